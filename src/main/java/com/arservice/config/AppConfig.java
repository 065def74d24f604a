package com.arservice.config;

import io.vertx.core.json.JsonObject;

/**
 * The validated, typed configuration of one service instance, one record per concern. Built once
 * from the merged configuration (defaults, then file, then environment) through the setting table
 * ({@link Settings}); any bad value fails with a {@link ConfigException} naming the variable.
 *
 * @param analytics the anonymous viewer analytics
 * @param backup the continuous backup, when a folder for it is configured
 * @param role what this process runs: everything, the API only, or the compile workers only
 * @param describe the effective settings with secrets and database passwords masked, for logs and
 *     {@code config}
 */
public record AppConfig(
    Role role,
    HttpSettings http,
    DatabaseSettings database,
    QueueSettings queue,
    WebhookSettings webhooks,
    StorageSettings storage,
    CleanupSettings cleanup,
    MediaSettings media,
    AnalyticsSettings analytics,
    BackupSettings backup,
    JsonObject describe) {
  static final long MB = 1024L * 1024L;

  /** Validates a merged configuration object. */
  public static AppConfig from(JsonObject merged) {
    Values values = new Values(Settings.ALL, merged);
    return new AppConfig(
        values.get(Settings.ROLE),
        HttpSettings.from(values),
        DatabaseSettings.from(values),
        QueueSettings.from(values),
        WebhookSettings.from(values),
        StorageSettings.from(values),
        CleanupSettings.from(values),
        MediaSettings.from(values),
        AnalyticsSettings.from(values),
        BackupSettings.from(values),
        values.printed());
  }

  /** A copy: the printout is the configuration's, not the caller's to change. */
  @Override
  public JsonObject describe() {
    return describe.copy();
  }
}
