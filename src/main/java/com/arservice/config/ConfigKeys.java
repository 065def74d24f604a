package com.arservice.config;

import java.util.List;

/**
 * Every configuration key name, written once; the setting table ({@link Settings}) says what each
 * one means. The names are the environment variables of the service this one replaces; {@code
 * conf/config.json} and {@code --conf} files use the same names.
 */
public final class ConfigKeys {
  public static final String PORT = "PORT";
  public static final String BIND_ADDRESS = "AR_BIND_ADDRESS";
  public static final String DATA_DIR = "AR_DATA_DIR";
  public static final String DATABASE_URL = "AR_DATABASE_URL";
  public static final String DB_POOL_SIZE = "AR_DB_POOL_SIZE";
  public static final String ADOPT_LEGACY_SCHEMA = "AR_ADOPT_LEGACY_SCHEMA";
  public static final String BACKEND_URL = "BACKEND_URL";
  public static final String BACKEND_WEBHOOK_SECRET = "BACKEND_WEBHOOK_SECRET";
  public static final String WEBHOOK_SECRET_HEADER = "AR_WEBHOOK_SECRET_HEADER";
  public static final String FRONTEND_URL = "FRONTEND_URL";
  public static final String STORAGE_PATH = "AR_STORAGE_PATH";
  public static final String UPLOADS_PATH = "SHARED_UPLOADS_PATH";
  public static final String DEMO_CLEANUP_SCHEDULE = "DEMO_CLEANUP_SCHEDULE";
  public static final String BORDER_ENHANCER = "AR_ENABLE_BORDER_ENHANCER";
  public static final String MARKER_MODE = "AR_MARKER_MODE";
  public static final String API_TOKEN = "AR_API_TOKEN";
  public static final String TRUSTED_PROXIES = "AR_TRUSTED_PROXIES";
  public static final String DEMO_TTL = "AR_DEMO_TTL";
  public static final String COMPILE_WORKERS = "AR_COMPILE_WORKERS";
  public static final String MAX_UPLOAD_MB = "AR_MAX_UPLOAD_MB";
  public static final String SSE_HEARTBEAT = "AR_SSE_HEARTBEAT";
  public static final String SSE_RECHECK_INTERVAL = "AR_SSE_RECHECK_INTERVAL";
  public static final String SSE_MAX_PER_CLIENT = "AR_SSE_MAX_PER_CLIENT";
  public static final String HTTP_IDLE_TIMEOUT = "AR_HTTP_IDLE_TIMEOUT";
  public static final String HTTP_HEADER_TIMEOUT = "AR_HTTP_HEADER_TIMEOUT";
  public static final String METRICS_TOKEN = "AR_METRICS_TOKEN";
  public static final String QUEUE_RETRY_LIMIT = "AR_QUEUE_RETRY_LIMIT";
  public static final String QUEUE_RETRY_DELAY = "AR_QUEUE_RETRY_DELAY";
  public static final String QUEUE_EXPIRE_IN = "AR_QUEUE_EXPIRE_IN";
  public static final String QUEUE_LEASE = "AR_QUEUE_LEASE";
  public static final String QUEUE_POLL_INTERVAL = "AR_QUEUE_POLL_INTERVAL";
  public static final String JOB_RETENTION = "AR_JOB_RETENTION";
  public static final String UPLOAD_RETENTION = "AR_UPLOAD_RETENTION";
  public static final String FFMPEG_PATH = "FFMPEG_PATH";
  public static final String FFPROBE_PATH = "FFPROBE_PATH";
  public static final String HEIF_CONVERT_PATH = "HEIF_CONVERT_PATH";
  public static final String WEBHOOK_RETRY_SCHEDULE = "AR_WEBHOOK_RETRY_SCHEDULE";
  public static final String WEBHOOK_RETENTION = "AR_WEBHOOK_RETENTION";
  public static final String ROLE = "AR_ROLE";
  public static final String STORAGE_MIN_FREE_MB = "AR_STORAGE_MIN_FREE_MB";
  public static final String VIEWER_CDN_BASE = "AR_VIEWER_CDN_BASE";
  public static final String VIEWER_FRAME_ANCESTORS = "AR_VIEWER_FRAME_ANCESTORS";
  public static final String VIEWER_ANALYTICS = "AR_VIEWER_ANALYTICS";
  public static final String ANALYTICS_RETENTION = "AR_ANALYTICS_RETENTION";
  public static final String POOR_DETECTION_SCANS = "AR_POOR_DETECTION_SCANS";
  public static final String S3_ENDPOINT = "AR_S3_ENDPOINT";
  public static final String S3_BUCKET = "AR_S3_BUCKET";
  public static final String S3_REGION = "AR_S3_REGION";
  public static final String S3_ACCESS_KEY_ID = "AR_S3_ACCESS_KEY_ID";
  public static final String S3_SECRET_ACCESS_KEY = "AR_S3_SECRET_ACCESS_KEY";
  public static final String S3_PREFIX = "AR_S3_PREFIX";
  public static final String S3_PATH_STYLE = "AR_S3_PATH_STYLE";
  public static final String S3_PUBLIC_URL = "AR_S3_PUBLIC_URL";
  public static final String BACKUP_DIR = "AR_BACKUP_DIR";
  public static final String BACKUP_S3_PREFIX = "AR_BACKUP_S3_PREFIX";
  public static final String BACKUP_SCHEDULE = "AR_BACKUP_SCHEDULE";
  public static final String BACKUP_RETENTION = "AR_BACKUP_RETENTION";
  public static final String BACKUP_WAL_INTERVAL = "AR_BACKUP_WAL_INTERVAL";

  /**
   * The keys read from the environment, in the order the README documents them (the setting
   * table's).
   */
  public static final List<String> ALL = Settings.ALL.stream().map(Setting::key).toList();

  private ConfigKeys() {}
}
