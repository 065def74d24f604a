package com.arservice.testing;

import com.arservice.config.DatabaseUrl;
import com.arservice.db.EmbeddedDatabase;
import com.arservice.db.Migrations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One real embedded PostgreSQL for the whole test run, migrated once; every table the migrations
 * made is emptied before each test. Tests receive its {@link DatabaseUrl} as a parameter.
 */
public final class PostgresExtension implements BeforeEachCallback, ParameterResolver {
  private static final String TABLES =
      "ar_compilation_logs, ar_project_items, ar_webhook_events, ar_projects, ar_jobs, ar_cleanup_runs, ar_instances, ar_console_sessions";

  public static synchronized DatabaseUrl url() {
    return Holder.DB.url();
  }

  @Override
  public void beforeEach(ExtensionContext context) throws SQLException {
    emptyTables();
  }

  /** Empties every table, e.g. after a test that leaves a job no later test should run. */
  public static void emptyTables() throws SQLException {
    DatabaseUrl url = url();
    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
        Statement st = c.createStatement()) {
      st.execute("TRUNCATE " + TABLES + " RESTART IDENTITY CASCADE");
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == DatabaseUrl.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return url();
  }

  /** Started on first use; stopped when the test JVM exits. */
  private static final class Holder {
    static final EmbeddedDatabase DB = start();

    private static EmbeddedDatabase start() {
      try {
        Path dir = Files.createTempDirectory("ar-test-pg");
        EmbeddedDatabase db = EmbeddedDatabase.start(dir.resolve("data"), 0);
        Migrations.migrate(db.url());
        Runtime.getRuntime().addShutdownHook(new Thread(db::close));
        return db;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
