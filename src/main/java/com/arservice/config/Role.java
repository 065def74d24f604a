package com.arservice.config;

import java.util.Locale;

/**
 * What one process of the service does. {@code all} runs everything; for horizontal scale, {@code
 * api} processes serve HTTP and {@code worker} processes compile (and serve only the health and
 * metrics routes).
 */
public enum Role {
  ALL,
  API,
  WORKER;

  /** Whether this role serves the public API routes. */
  public boolean servesApi() {
    return this != WORKER;
  }

  /** Whether this role runs the compile pool, the queue's housekeeping and the demo cleanup. */
  public boolean runsWorkers() {
    return this != API;
  }

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Role parse(String key, String value) {
    for (Role r : values()) {
      if (r.id().equals(value.trim().toLowerCase(Locale.ROOT))) {
        return r;
      }
    }
    throw new ConfigException(key, "'" + value + "' is not one of all, api, worker");
  }
}
