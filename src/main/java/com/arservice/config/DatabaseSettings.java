package com.arservice.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the data lives and which database server holds it.
 *
 * @param dataDir the base folder of the embedded database and the default storage folders
 * @param url the external database, or empty when the embedded server is used
 * @param poolSize connections in the one database pool
 * @param adoptLegacySchema whether a start that finds the old Node service's tables converts them
 */
public record DatabaseSettings(
    Path dataDir, Optional<DatabaseUrl> url, int poolSize, boolean adoptLegacySchema) {

  static DatabaseSettings from(Values values) {
    return new DatabaseSettings(
        values.get(Settings.DATA_DIR),
        values.optional(Settings.DATABASE_URL),
        values.get(Settings.DB_POOL_SIZE),
        values.get(Settings.ADOPT_LEGACY_SCHEMA));
  }
}
