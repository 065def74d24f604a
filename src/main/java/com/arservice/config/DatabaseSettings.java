package com.arservice.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the data lives and which database server holds it.
 *
 * @param dataDir the base folder of the embedded database and the default storage folders
 * @param url the external database, or empty when the embedded server is used
 * @param poolSize connections in the one database pool
 */
public record DatabaseSettings(Path dataDir, Optional<DatabaseUrl> url, int poolSize) {

  static DatabaseSettings from(Values values) {
    return new DatabaseSettings(
        values.get(Settings.DATA_DIR),
        values.optional(Settings.DATABASE_URL),
        values.get(Settings.DB_POOL_SIZE));
  }
}
