package com.arservice.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An IP address or a CIDR block ({@code 10.0.0.0/8}, {@code fd00::/8}), such as a trusted proxy.
 *
 * @param network the block's address, its host bits cleared
 * @param prefix how many leading bits an address must share with {@code network}
 */
public record AddressRange(byte[] network, int prefix) {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

  /** Parses {@code address} or {@code address/prefix}; empty when it is neither. */
  public static Optional<AddressRange> parse(String text) {
    int slash = text.indexOf('/');
    Optional<InetAddress> address = literal(slash < 0 ? text : text.substring(0, slash));
    if (address.isEmpty()) {
      return Optional.empty();
    }
    byte[] bytes = address.get().getAddress();
    int bits = bytes.length * 8;
    int prefix = bits;
    if (slash >= 0) {
      String digits = text.substring(slash + 1);
      if (!digits.matches("\\d{1,3}") || Integer.parseInt(digits) > bits) {
        return Optional.empty();
      }
      prefix = Integer.parseInt(digits);
    }
    return Optional.of(new AddressRange(masked(bytes, prefix), prefix));
  }

  /**
   * An IP address written as digits ({@code 192.0.2.7}, {@code 2001:db8::1}, {@code
   * ::ffff:192.0.2.7}), never looked up by name; empty for anything else.
   */
  public static Optional<InetAddress> literal(String text) {
    String s = text.trim();
    try {
      if (IPV4.matcher(s).matches()) {
        String[] parts = s.split("\\.");
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
          int octet = Integer.parseInt(parts[i]);
          if (octet > 255) {
            return Optional.empty();
          }
          bytes[i] = (byte) octet;
        }
        return Optional.of(InetAddress.getByAddress(bytes));
      }
      // A name with a colon is taken as an IPv6 literal: parsed, never resolved.
      return IPV6.matcher(s).matches() ? Optional.of(InetAddress.getByName(s)) : Optional.empty();
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  /** Whether {@code address} lies in this range (IPv4-mapped IPv6 addresses count as IPv4). */
  public boolean contains(InetAddress address) {
    byte[] bytes = address.getAddress();
    return bytes.length == network.length && Arrays.equals(masked(bytes, prefix), network);
  }

  /** {@code bytes} with every bit after the first {@code prefix} cleared. */
  public static byte[] masked(byte[] bytes, int prefix) {
    byte[] out = bytes.clone();
    for (int i = 0; i < out.length; i++) {
      int keep = Math.max(0, Math.min(8, prefix - i * 8));
      out[i] &= (byte) (0xff << (8 - keep));
    }
    return out;
  }

  @Override
  public String toString() {
    try {
      String address = InetAddress.getByAddress(network).getHostAddress();
      return prefix == network.length * 8 ? address : address + "/" + prefix;
    } catch (UnknownHostException e) {
      throw new IllegalStateException("4 or 16 bytes are always an address", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AddressRange r && r.prefix == prefix && Arrays.equals(r.network, network);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(network) + prefix;
  }
}
