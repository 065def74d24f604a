package com.arservice.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The continuous backup: archived WAL and scheduled base backups of the embedded database, and
 * copies of the artifacts and uploads, in one folder.
 *
 * @param folder where backups go (another disk, a mounted NAS); empty = no backup
 * @param schedule the 5-field cron expression (UTC) of the base backups
 * @param retention base backups (and the WAL and deleted projects' files only they need) older than
 *     this are removed, the newest one always kept
 * @param walInterval the longest a commit waits before its WAL file is archived ({@code
 *     archive_timeout}): the most a lost machine loses
 */
public record BackupSettings(
    Optional<Path> folder, String schedule, Duration retention, Duration walInterval) {

  static BackupSettings from(Values values) {
    return new BackupSettings(
        values.optional(Settings.BACKUP_DIR),
        values.get(Settings.BACKUP_SCHEDULE),
        values.get(Settings.BACKUP_RETENTION),
        values.get(Settings.BACKUP_WAL_INTERVAL));
  }
}
