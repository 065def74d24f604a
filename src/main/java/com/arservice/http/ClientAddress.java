package com.arservice.http;

import com.arservice.config.AddressRange;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * Who sent a request, as a key for per-client limits: the TCP peer, or, when the peer is a trusted
 * proxy ({@code AR_TRUSTED_PROXIES}), the right-most {@code X-Forwarded-For} entry that is not a
 * trusted proxy itself; entries to its left are whatever the client wrote, so they are never read.
 * An IPv6 client counts by its /64, the block one host usually holds.
 */
final class ClientAddress {
  /** How many {@code X-Forwarded-For} entries are looked at, from the right. */
  private static final int MAX_HOPS = 16;

  private final List<AddressRange> trusted;

  ClientAddress(List<AddressRange> trusted) {
    this.trusted = List.copyOf(trusted);
  }

  String of(HttpServerRequest request) {
    SocketAddress peer = request.remoteAddress();
    return of(
        peer == null || peer.hostAddress() == null ? "" : peer.hostAddress(),
        request.headers().getAll("X-Forwarded-For"));
  }

  /** The client of a request from {@code peer} with these {@code X-Forwarded-For} headers. */
  String of(String peer, List<String> forwarded) {
    Optional<InetAddress> peerAddress = AddressRange.literal(peer);
    if (peerAddress.isEmpty()) {
      return peer;
    }
    InetAddress client = peerAddress.get();
    String[] hops = String.join(",", forwarded).split(",");
    for (int i = hops.length - 1; i >= 0 && i >= hops.length - MAX_HOPS && trusted(client); i--) {
      Optional<InetAddress> hop = AddressRange.literal(hops[i]);
      if (hop.isEmpty()) {
        break;
      }
      client = hop.get();
    }
    return key(client);
  }

  private boolean trusted(InetAddress address) {
    return trusted.stream().anyMatch(range -> range.contains(address));
  }

  private static String key(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return address.getHostAddress();
    }
    try {
      return InetAddress.getByAddress(AddressRange.masked(address.getAddress(), 64))
              .getHostAddress()
          + "/64";
    } catch (UnknownHostException e) {
      throw new IllegalStateException("16 bytes are always an address", e);
    }
  }
}
