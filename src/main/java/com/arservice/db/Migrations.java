package com.arservice.db;

import com.arservice.config.DatabaseUrl;
import java.sql.Connection;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Applies the Flyway migrations in {@code db/migration}. Flyway takes a PostgreSQL advisory lock
 * while migrating, so instances starting together against one database apply each version once.
 */
public final class Migrations {
  private static final String LOCATION = "classpath:db/migration";

  private Migrations() {}

  /**
   * Work that must share the migrations' transaction: converting a schema that another program made
   * into ours.
   */
  public interface Conversion {
    /** Before the first migration: clears the way (moves the other program's tables aside). */
    void before(Connection connection) throws SQLException;

    /** After the last migration, on our complete schema: fills it. */
    void after(Connection connection) throws SQLException;
  }

  /** Migrates to the latest version and returns how many migrations this call applied. */
  public static int migrate(DatabaseUrl url) {
    return flyway(url).load().migrate().migrationsExecuted;
  }

  /**
   * Builds our whole schema on a database without Flyway history that holds another program's
   * tables, with {@code conversion} before and after, all in one transaction under Flyway's lock: a
   * failure anywhere leaves the database as it was.
   */
  public static int migrate(DatabaseUrl url, Conversion conversion) {
    MigrationVersion latest = null;
    for (MigrationInfo m : flyway(url).load().info().all()) {
      if (m.getVersion() != null && (latest == null || m.getVersion().compareTo(latest) > 0)) {
        latest = m.getVersion();
      }
    }
    MigrationVersion last = latest;
    Callback around =
        new Callback() {
          @Override
          public boolean supports(Event event, Context context) {
            return event == Event.BEFORE_EACH_MIGRATE || event == Event.AFTER_EACH_MIGRATE;
          }

          @Override
          public boolean canHandleInTransaction(Event event, Context context) {
            return true;
          }

          @Override
          public void handle(Event event, Context context) {
            MigrationVersion version = context.getMigrationInfo().getVersion();
            try {
              if (event == Event.BEFORE_EACH_MIGRATE
                  && version.equals(MigrationVersion.fromVersion("1"))) {
                conversion.before(context.getConnection());
              } else if (event == Event.AFTER_EACH_MIGRATE && version.equals(last)) {
                conversion.after(context.getConnection());
              }
            } catch (SQLException e) {
              throw new IllegalStateException(e.getMessage(), e);
            }
          }

          @Override
          public String getCallbackName() {
            return "conversion";
          }
        };
    MigrateResult result =
        flyway(url)
            .baselineOnMigrate(true)
            .baselineVersion("0")
            .baselineDescription("before the conversion")
            .group(true)
            .callbacks(around)
            .load()
            .migrate();
    return result.migrationsExecuted;
  }

  private static FluentConfiguration flyway(DatabaseUrl url) {
    return Flyway.configure()
        .dataSource(url.jdbcUrl(), url.user(), url.password())
        .locations(LOCATION)
        .loggers("slf4j");
  }
}
