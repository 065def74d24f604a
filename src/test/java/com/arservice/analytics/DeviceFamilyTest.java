package com.arservice.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DeviceFamilyTest {
  @Test
  void aUserAgentBecomesOneOfTheNineFamilies() {
    Map<String, String> agents =
        Map.of(
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML,"
                + " like Gecko) CriOS/126.0 Mobile/15E148 Safari/604.1",
            "ios-webkit",
            "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko)"
                + " SamsungBrowser/25.0 Chrome/121.0 Mobile Safari/537.36",
            "android-blink",
            "Mozilla/5.0 (Android 14; Mobile; rv:127.0) Gecko/127.0 Firefox/127.0",
            "android-gecko",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko)"
                + " Version/17.5 Safari/605.1.15",
            "desktop-webkit",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
                + " Chrome/126.0 Safari/537.36 Edg/126.0",
            "desktop-blink",
            "curl/8.5.0",
            "desktop-other",
            "",
            "desktop-other");
    agents.forEach((agent, family) -> assertEquals(family, DeviceFamily.of(agent), agent));
    assertEquals("desktop-other", DeviceFamily.of(null));
    assertTrue(DeviceFamily.ALL.containsAll(agents.values()));
  }

  @Test
  void timesToFoundAreEstimatedWithinTheirBuckets() {
    Tally tally = new Tally();
    assertEquals(-1, tally.foundQuantile(0.5), "nothing found yet");
    for (long ms : new long[] {1200, 1500, 1800, 2500, 70_000}) {
      tally.found(ms);
    }
    long median = tally.foundQuantile(0.5);
    assertTrue(median > 1000 && median <= 2000, "three of five in 1-2 s: " + median);
    assertEquals(60_000, tally.foundQuantile(0.9), "the open bucket gives its lower end");
  }
}
