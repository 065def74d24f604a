package com.arservice.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The folders of artifacts and uploads.
 *
 * @param artifacts where each project's artifacts are written
 * @param uploads the folder shared with the backend; {@code /objects/uploads/<file>} URLs resolve
 *     here
 * @param minFreeBytes free space the artifact folder must keep for the service to report healthy
 * @param uploadRetention uploads older than this, which no unfinished project uses, are deleted by
 *     the cleanup
 * @param s3 the bucket that holds artifacts, uploads and the cache instead of the folders, if one
 *     is configured
 */
public record StorageSettings(
    Path artifacts,
    Path uploads,
    long minFreeBytes,
    Duration uploadRetention,
    Optional<S3Settings> s3) {

  static StorageSettings from(Values values) {
    return new StorageSettings(
        values.get(Settings.STORAGE_PATH),
        values.get(Settings.UPLOADS_PATH),
        values.get(Settings.STORAGE_MIN_FREE_MB) * AppConfig.MB,
        values.get(Settings.UPLOAD_RETENTION),
        S3Settings.from(values));
  }
}
