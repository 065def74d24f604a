package com.arservice.config;

import static com.arservice.config.Setting.derived;
import static com.arservice.config.Setting.optional;
import static com.arservice.config.Setting.required;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The setting table: every key of {@link ConfigKeys} with its parser, fallback and printing, in the
 * order the README documents them. Loading, validation and the {@code config} printout all come
 * from it.
 */
final class Settings {
  private static final List<Setting<?>> TABLE = new ArrayList<>();

  static final Setting<Integer> PORT =
      add(required(ConfigKeys.PORT, Parsers.wholeNumber(0, 65535)));
  static final Setting<String> BIND_ADDRESS =
      add(required(ConfigKeys.BIND_ADDRESS, Parsers::address));
  static final Setting<Path> DATA_DIR = add(required(ConfigKeys.DATA_DIR, Parsers::path));
  static final Setting<DatabaseUrl> DATABASE_URL =
      add(optional(ConfigKeys.DATABASE_URL, DatabaseUrl::parse));
  static final Setting<Integer> DB_POOL_SIZE =
      add(required(ConfigKeys.DB_POOL_SIZE, Parsers.wholeNumber(1, 1000)));
  static final Setting<Boolean> ADOPT_LEGACY_SCHEMA =
      add(required(ConfigKeys.ADOPT_LEGACY_SCHEMA, Parsers::bool));
  static final Setting<URI> BACKEND_URL = add(optional(ConfigKeys.BACKEND_URL, Parsers::httpUrl));
  static final Setting<List<String>> BACKEND_WEBHOOK_SECRET =
      add(
          derived(ConfigKeys.BACKEND_WEBHOOK_SECRET, Parsers::list, values -> List.<String>of())
              .masked());
  static final Setting<Boolean> WEBHOOK_SECRET_HEADER =
      add(required(ConfigKeys.WEBHOOK_SECRET_HEADER, Parsers::bool));
  static final Setting<URI> FRONTEND_URL =
      add(
          derived(
              ConfigKeys.FRONTEND_URL,
              Parsers::httpUrl,
              values ->
                  Parsers.httpUrl(
                      ConfigKeys.FRONTEND_URL, "http://localhost:" + values.get(PORT))));
  static final Setting<Path> STORAGE_PATH =
      add(
          derived(
              ConfigKeys.STORAGE_PATH,
              Parsers::path,
              values -> values.get(DATA_DIR).resolve("ar-storage")));
  static final Setting<Path> UPLOADS_PATH =
      add(
          derived(
              ConfigKeys.UPLOADS_PATH,
              Parsers::path,
              values -> values.get(DATA_DIR).resolve("uploads")));
  static final Setting<String> DEMO_CLEANUP_SCHEDULE =
      add(required(ConfigKeys.DEMO_CLEANUP_SCHEDULE, Parsers::cron));
  static final Setting<Boolean> BORDER_ENHANCER =
      add(derived(ConfigKeys.BORDER_ENHANCER, Parsers::bool, values -> false));
  static final Setting<String> MARKER_MODE =
      add(derived(ConfigKeys.MARKER_MODE, Parsers::markerMode, values -> "robust"));
  static final Setting<String> API_TOKEN =
      add(optional(ConfigKeys.API_TOKEN, Parsers::text).masked());
  static final Setting<List<AddressRange>> TRUSTED_PROXIES =
      add(
          derived(
                  ConfigKeys.TRUSTED_PROXIES,
                  Parsers::addressRanges,
                  values -> List.<AddressRange>of())
              .printedAs(
                  ranges ->
                      String.join(",", ranges.stream().map(AddressRange::toString).toList())));
  static final Setting<Duration> DEMO_TTL = add(required(ConfigKeys.DEMO_TTL, Parsers::duration));
  static final Setting<Integer> COMPILE_WORKERS =
      add(
          derived(
              ConfigKeys.COMPILE_WORKERS,
              Parsers.wholeNumber(1, 64),
              values -> Math.max(1, Runtime.getRuntime().availableProcessors() - 1)));
  static final Setting<Integer> MAX_UPLOAD_MB =
      add(required(ConfigKeys.MAX_UPLOAD_MB, Parsers.wholeNumber(1, 10_000)));
  static final Setting<Duration> SSE_HEARTBEAT =
      add(required(ConfigKeys.SSE_HEARTBEAT, Parsers::duration));
  static final Setting<Duration> SSE_RECHECK_INTERVAL =
      add(required(ConfigKeys.SSE_RECHECK_INTERVAL, Parsers::duration));
  static final Setting<Integer> SSE_MAX_PER_CLIENT =
      add(required(ConfigKeys.SSE_MAX_PER_CLIENT, Parsers.wholeNumber(1, 100_000)));
  static final Setting<Duration> HTTP_IDLE_TIMEOUT =
      add(required(ConfigKeys.HTTP_IDLE_TIMEOUT, Parsers::duration));
  static final Setting<Duration> HTTP_HEADER_TIMEOUT =
      add(required(ConfigKeys.HTTP_HEADER_TIMEOUT, Parsers::duration));
  static final Setting<String> METRICS_TOKEN =
      add(optional(ConfigKeys.METRICS_TOKEN, Parsers::text).masked());
  static final Setting<Integer> QUEUE_RETRY_LIMIT =
      add(required(ConfigKeys.QUEUE_RETRY_LIMIT, Parsers.wholeNumber(0, 100)));
  static final Setting<Duration> QUEUE_RETRY_DELAY =
      add(required(ConfigKeys.QUEUE_RETRY_DELAY, Parsers::duration));
  static final Setting<Duration> QUEUE_EXPIRE_IN =
      add(required(ConfigKeys.QUEUE_EXPIRE_IN, Parsers::duration));
  static final Setting<Duration> QUEUE_LEASE =
      add(required(ConfigKeys.QUEUE_LEASE, Parsers::duration));
  static final Setting<Duration> QUEUE_POLL_INTERVAL =
      add(required(ConfigKeys.QUEUE_POLL_INTERVAL, Parsers::duration));
  static final Setting<Duration> JOB_RETENTION =
      add(required(ConfigKeys.JOB_RETENTION, Parsers::duration));
  static final Setting<Duration> UPLOAD_RETENTION =
      add(required(ConfigKeys.UPLOAD_RETENTION, Parsers::duration));
  static final Setting<String> FFMPEG_PATH = add(required(ConfigKeys.FFMPEG_PATH, Parsers::text));
  static final Setting<String> FFPROBE_PATH = add(required(ConfigKeys.FFPROBE_PATH, Parsers::text));
  static final Setting<String> HEIF_CONVERT_PATH =
      add(required(ConfigKeys.HEIF_CONVERT_PATH, Parsers::text));
  static final Setting<List<Duration>> WEBHOOK_RETRY_SCHEDULE =
      add(
          required(ConfigKeys.WEBHOOK_RETRY_SCHEDULE, Parsers::durations)
              .printedAs(
                  schedule ->
                      String.join(",", schedule.stream().map(Duration::toString).toList())));
  static final Setting<Duration> WEBHOOK_RETENTION =
      add(required(ConfigKeys.WEBHOOK_RETENTION, Parsers::duration));
  static final Setting<Role> ROLE = add(required(ConfigKeys.ROLE, Role::parse).printedAs(Role::id));
  static final Setting<Integer> STORAGE_MIN_FREE_MB =
      add(required(ConfigKeys.STORAGE_MIN_FREE_MB, Parsers.wholeNumber(0, 10_000_000)));
  static final Setting<URI> VIEWER_CDN_BASE =
      add(required(ConfigKeys.VIEWER_CDN_BASE, Parsers::httpUrl));
  static final Setting<List<String>> VIEWER_FRAME_ANCESTORS =
      add(
          derived(
                  ConfigKeys.VIEWER_FRAME_ANCESTORS,
                  Parsers::frameAncestors,
                  values -> List.of("'self'"))
              .printedAs(sources -> String.join(" ", sources)));
  static final Setting<Boolean> VIEWER_ANALYTICS =
      add(required(ConfigKeys.VIEWER_ANALYTICS, Parsers::bool));
  static final Setting<Duration> ANALYTICS_RETENTION =
      add(required(ConfigKeys.ANALYTICS_RETENTION, Parsers::duration));
  static final Setting<Integer> POOR_DETECTION_SCANS =
      add(required(ConfigKeys.POOR_DETECTION_SCANS, Parsers.wholeNumber(1, 1_000_000)));
  static final Setting<URI> S3_ENDPOINT = add(optional(ConfigKeys.S3_ENDPOINT, Parsers::httpUrl));
  static final Setting<String> S3_BUCKET = add(optional(ConfigKeys.S3_BUCKET, Parsers::bucket));
  static final Setting<String> S3_REGION =
      add(derived(ConfigKeys.S3_REGION, Parsers::text, values -> "us-east-1"));
  static final Setting<String> S3_ACCESS_KEY_ID =
      add(optional(ConfigKeys.S3_ACCESS_KEY_ID, Parsers::text));
  static final Setting<String> S3_SECRET_ACCESS_KEY =
      add(optional(ConfigKeys.S3_SECRET_ACCESS_KEY, Parsers::text).masked());
  static final Setting<String> S3_PREFIX =
      add(derived(ConfigKeys.S3_PREFIX, Parsers::keyPrefix, values -> ""));
  static final Setting<Boolean> S3_PATH_STYLE =
      add(derived(ConfigKeys.S3_PATH_STYLE, Parsers::bool, values -> false));
  static final Setting<URI> S3_PUBLIC_URL =
      add(optional(ConfigKeys.S3_PUBLIC_URL, Parsers::httpUrl));
  static final Setting<Path> BACKUP_DIR =
      add(optional(ConfigKeys.BACKUP_DIR, Parsers::backupFolder));
  static final Setting<String> BACKUP_S3_PREFIX =
      add(optional(ConfigKeys.BACKUP_S3_PREFIX, Parsers::keyPrefix));
  static final Setting<String> BACKUP_SCHEDULE =
      add(required(ConfigKeys.BACKUP_SCHEDULE, Parsers::cron));
  static final Setting<Duration> BACKUP_RETENTION =
      add(required(ConfigKeys.BACKUP_RETENTION, Parsers::duration));
  static final Setting<Duration> BACKUP_WAL_INTERVAL =
      add(required(ConfigKeys.BACKUP_WAL_INTERVAL, Parsers::duration));

  /**
   * The table, in README order (the order of the fields above); a fallback may only read settings
   * above it.
   */
  static final List<Setting<?>> ALL = List.copyOf(TABLE);

  private Settings() {}

  private static <T> Setting<T> add(Setting<T> setting) {
    TABLE.add(setting);
    return setting;
  }
}
