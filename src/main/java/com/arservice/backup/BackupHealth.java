package com.arservice.backup;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The {@code backup} health check: DOWN when there is no base backup, when the newest one is older
 * than twice the schedule's interval, when the last verification failed, or when shipping to the
 * bucket fails. Its data is what the console shows: the folder's {@link BackupFolder#status}, and
 * the next scheduled run.
 */
public final class BackupHealth {
  private BackupHealth() {}

  /**
   * The status with {@code nextRun}, and {@code error} when the check is DOWN; the folder's size
   * only {@code withSize} (the console's, not the frequent health probes').
   */
  public static JsonObject check(Path folder, String cron, Clock clock, boolean withSize)
      throws IOException {
    BackupSchedule schedule = new BackupSchedule(cron);
    Instant now = clock.instant();
    JsonObject status =
        new BackupFolder(folder).status(withSize).put("nextRun", schedule.next(now).toString());
    JsonObject last = status.getJsonObject("lastBaseBackup");
    Duration limit = schedule.interval(now).multipliedBy(2);
    JsonObject verify = status.getJsonObject("lastVerify");
    if (last == null) {
      status.put("error", "no base backup yet");
    } else if (Instant.parse(last.getString("finished")).plus(limit).isBefore(now)) {
      status.put(
          "error", "the last good base backup is older than twice the schedule (" + limit + ")");
    } else if (verify != null && !verify.getBoolean("ok", false)) {
      status.put("error", "the last verification failed: " + verify.getString("error"));
    } else if (status.containsKey("bucket")
        && status.getJsonObject("bucket").containsKey("error")) {
      status.put(
          "error",
          "the backup does not reach the bucket: "
              + status.getJsonObject("bucket").getString("error"));
    }
    return status;
  }
}
