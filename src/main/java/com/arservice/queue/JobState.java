package com.arservice.queue;

import java.util.Locale;

/**
 * The life of a job: created → active → completed, or → retry → active …, or → failed / cancelled.
 */
public enum JobState {
  CREATED,
  RETRY,
  ACTIVE,
  COMPLETED,
  FAILED,
  CANCELLED;

  public String sql() {
    return name().toLowerCase(Locale.ROOT);
  }

  static JobState of(String sql) {
    return valueOf(sql.toUpperCase(Locale.ROOT));
  }
}
