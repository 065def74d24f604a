package com.arservice.db;

import com.arservice.config.DatabaseUrl;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Applies the Flyway migrations in {@code db/migration}. Flyway takes a PostgreSQL advisory lock
 * while migrating, so instances starting together against one database apply each version once.
 */
public final class Migrations {
  private Migrations() {}

  /** Migrates to the latest version and returns how many migrations this call applied. */
  public static int migrate(DatabaseUrl url) {
    MigrateResult result =
        Flyway.configure()
            .dataSource(url.jdbcUrl(), url.user(), url.password())
            .locations("classpath:db/migration")
            .loggers("slf4j")
            .load()
            .migrate();
    return result.migrationsExecuted;
  }
}
