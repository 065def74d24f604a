package com.arservice.analytics;

import java.util.List;

/**
 * A phone or computer reduced to its family: iOS, Android or desktop, times the browser engine
 * (every iOS browser is WebKit). The user agent is read only for this and never kept.
 */
public final class DeviceFamily {
  /** Every family, so stored rows per project and day stay at most this many. */
  public static final List<String> ALL =
      List.of(
          "ios-webkit",
          "android-blink",
          "android-gecko",
          "android-webkit",
          "android-other",
          "desktop-blink",
          "desktop-gecko",
          "desktop-webkit",
          "desktop-other");

  private DeviceFamily() {}

  public static String of(String userAgent) {
    String ua = userAgent == null ? "" : userAgent;
    if (ua.contains("iPhone") || ua.contains("iPad") || ua.contains("iPod")) {
      return "ios-webkit";
    }
    String os = ua.contains("Android") ? "android" : "desktop";
    String engine;
    if (ua.contains("Firefox/")) {
      engine = "gecko";
    } else if (ua.contains("Chrome/") || ua.contains("Chromium/")) {
      engine = "blink";
    } else if (ua.contains("AppleWebKit/")) {
      engine = "webkit";
    } else {
      engine = "other";
    }
    return os + "-" + engine;
  }
}
