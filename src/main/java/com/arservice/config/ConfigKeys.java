package com.arservice.config;

import java.util.List;

/**
 * Every configuration key, defined once. The names are the environment variables of the service
 * this one replaces; {@code conf/config.json} and {@code --conf} files use the same names.
 */
public final class ConfigKeys {
  public static final String PORT = "PORT";
  public static final String DATA_DIR = "AR_DATA_DIR";
  public static final String DATABASE_URL = "AR_DATABASE_URL";
  public static final String DB_POOL_SIZE = "AR_DB_POOL_SIZE";
  public static final String BACKEND_URL = "BACKEND_URL";
  public static final String BACKEND_WEBHOOK_SECRET = "BACKEND_WEBHOOK_SECRET";
  public static final String FRONTEND_URL = "FRONTEND_URL";
  public static final String STORAGE_PATH = "AR_STORAGE_PATH";
  public static final String UPLOADS_PATH = "SHARED_UPLOADS_PATH";
  public static final String DEMO_CLEANUP_SCHEDULE = "DEMO_CLEANUP_SCHEDULE";
  public static final String BORDER_ENHANCER = "AR_ENABLE_BORDER_ENHANCER";

  /** The keys read from the environment, in the order the README documents them. */
  public static final List<String> ALL = List.of(PORT, DATA_DIR, DATABASE_URL, DB_POOL_SIZE, BACKEND_URL,
      BACKEND_WEBHOOK_SECRET, FRONTEND_URL, STORAGE_PATH, UPLOADS_PATH, DEMO_CLEANUP_SCHEDULE, BORDER_ENHANCER);

  /** Keys whose values are secrets and never printed or logged. */
  public static final List<String> SECRETS = List.of(BACKEND_WEBHOOK_SECRET);

  private ConfigKeys() {
  }
}
