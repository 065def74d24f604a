package com.arservice.config;

/**
 * A configuration value that the service cannot start with; the message is one line naming the key.
 */
public final class ConfigException extends RuntimeException {
  public ConfigException(String key, String problem) {
    super("Invalid configuration " + key + ": " + problem);
  }
}
