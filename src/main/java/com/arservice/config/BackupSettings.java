package com.arservice.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The continuous backup: archived WAL and scheduled base backups of the embedded database, and
 * copies of the artifacts and uploads, in one folder.
 *
 * @param folder where backups go (another disk, a mounted NAS); empty = no backup
 * @param bucketPrefix where in the bucket of {@code AR_S3_*} (after {@code AR_S3_PREFIX}) the
 *     folder is shipped too (serving needs the folder then; a restore from the bucket does not);
 *     empty = nowhere
 * @param schedule the 5-field cron expression (UTC) of the base backups
 * @param retention base backups (and the WAL and deleted projects' files only they need) older than
 *     this are removed, the newest one always kept
 * @param walInterval the longest a commit waits before its WAL file is archived ({@code
 *     archive_timeout}): the most a lost machine loses
 */
public record BackupSettings(
    Optional<Path> folder,
    Optional<String> bucketPrefix,
    String schedule,
    Duration retention,
    Duration walInterval) {

  static BackupSettings from(Values values) {
    Optional<String> bucketPrefix = values.optional(Settings.BACKUP_S3_PREFIX);
    if (bucketPrefix.isPresent()) {
      if (values.optional(Settings.S3_ENDPOINT).isEmpty()) {
        throw new ConfigException(
            ConfigKeys.BACKUP_S3_PREFIX,
            "needs the bucket of AR_S3_* (AR_S3_ENDPOINT and the rest)");
      }
      if (bucketPrefix.get().isEmpty()) {
        throw new ConfigException(
            ConfigKeys.BACKUP_S3_PREFIX,
            "must name a prefix of its own (such as backup/): the service's objects are in the"
                + " bucket too");
      }
    }
    return new BackupSettings(
        values.optional(Settings.BACKUP_DIR),
        bucketPrefix,
        values.get(Settings.BACKUP_SCHEDULE),
        values.get(Settings.BACKUP_RETENTION),
        values.get(Settings.BACKUP_WAL_INTERVAL));
  }
}
