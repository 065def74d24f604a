package com.arservice.config;

import java.time.Duration;

/**
 * The anonymous viewer analytics.
 *
 * @param enabled whether viewer pages report and the service counts ({@code AR_VIEWER_ANALYTICS})
 * @param retention how long the daily counts are kept
 * @param poorDetectionScans AR-ready viewings a project needs before a low found rate flags it
 */
public record AnalyticsSettings(boolean enabled, Duration retention, int poorDetectionScans) {

  static AnalyticsSettings from(Values values) {
    return new AnalyticsSettings(
        values.get(Settings.VIEWER_ANALYTICS),
        values.get(Settings.ANALYTICS_RETENTION),
        values.get(Settings.POOR_DETECTION_SCANS));
  }
}
