package com.arservice.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.arservice.config.AddressRange;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClientAddressTest {
  private final ClientAddress clients =
      new ClientAddress(
          List.of(
              AddressRange.parse("127.0.0.1").orElseThrow(),
              AddressRange.parse("10.0.0.0/8").orElseThrow()));

  @Test
  void anUntrustedPeerIsTheClientWhateverItsForwardedForSays() {
    assertEquals("192.0.2.7", clients.of("192.0.2.7", List.of()));
    assertEquals("192.0.2.7", clients.of("192.0.2.7", List.of("198.51.100.1")));
  }

  @Test
  void behindTrustedProxiesTheRightMostUntrustedEntryIsTheClient() {
    assertEquals("192.0.2.7", clients.of("127.0.0.1", List.of("192.0.2.7")));
    assertEquals(
        "192.0.2.7",
        clients.of("127.0.0.1", List.of("198.51.100.1, 192.0.2.7", "10.1.2.3")),
        "what the client wrote to the left of its own address is never read");
    assertEquals("127.0.0.1", clients.of("127.0.0.1", List.of()), "no header: the proxy itself");
    assertEquals("10.1.2.3", clients.of("127.0.0.1", List.of("unknown, 10.1.2.3")));
  }

  @Test
  void anIpv6ClientCountsByItsSlash64() {
    assertEquals(
        "2001:db8:1:2:0:0:0:0/64", clients.of("2001:db8:1:2:aaaa:bbbb:cccc:dddd", List.of()));
    assertEquals(
        clients.of("2001:db8:1:2::1", List.of()), clients.of("2001:db8:1:2:ffff::9", List.of()));
    assertEquals("192.0.2.7", clients.of("::ffff:192.0.2.7", List.of()), "IPv4-mapped is IPv4");
  }

  @Test
  void onlyAddressesWrittenAsDigitsAreAddressesNamesAreNeverLookedUp() {
    assertEquals(Optional.empty(), AddressRange.literal("localhost"));
    assertEquals(Optional.empty(), AddressRange.literal("1.2.3.256"));
    assertEquals(Optional.empty(), AddressRange.literal("fe80::1%eth0"));
    assertEquals(Optional.empty(), AddressRange.parse("10.0.0.0/33"));
    assertEquals(
        true,
        AddressRange.parse("10.0.0.0/8")
            .orElseThrow()
            .contains(AddressRange.literal("10.255.0.1").orElseThrow()));
    assertEquals(
        false,
        AddressRange.parse("10.0.0.0/8")
            .orElseThrow()
            .contains(AddressRange.literal("11.0.0.1").orElseThrow()));
  }
}
