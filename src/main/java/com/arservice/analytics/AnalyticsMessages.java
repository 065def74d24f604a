package com.arservice.analytics;

import java.util.UUID;

/** The event-bus messages of the analytics verticle, records handed over by reference. */
public final class AnalyticsMessages {
  private AnalyticsMessages() {}

  /** What one request of a viewer page on a {@code device} of that family counted. */
  public record Recorded(UUID projectId, String device, Tally tally) {}

  /** A project's stats over its last {@code days} days (today included); answered with JSON. */
  public record ProjectStats(UUID projectId, int days) {}

  /** All projects' stats over the last {@code days} days and the flagged projects; JSON. */
  public record Overview(int days) {}
}
