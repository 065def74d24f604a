package com.arservice.config;

import java.time.Duration;

/**
 * Demo projects and their cleanup.
 *
 * @param schedule the 5-field cron expression (UTC) of the cleanup
 * @param demoTtl how long a demo project lives
 */
public record CleanupSettings(String schedule, Duration demoTtl) {

  static CleanupSettings from(Values values) {
    return new CleanupSettings(
        values.get(Settings.DEMO_CLEANUP_SCHEDULE), values.get(Settings.DEMO_TTL));
  }
}
