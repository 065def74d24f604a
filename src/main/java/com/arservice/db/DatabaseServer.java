package com.arservice.db;

import com.arservice.config.AppConfig;
import com.arservice.config.DatabaseUrl;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL server the service uses: the one at {@code AR_DATABASE_URL}, or else an embedded
 * server whose data lives under {@code $AR_DATA_DIR/postgres} and survives restarts.
 */
public interface DatabaseServer extends AutoCloseable {
  Logger LOG = LoggerFactory.getLogger(DatabaseServer.class);

  /** Where to connect. */
  DatabaseUrl url();

  /** Stops the server if this process started it. */
  @Override
  void close();

  static DatabaseServer forConfig(AppConfig config) throws IOException {
    return forConfig(config, dir -> java.util.List.of());
  }

  /** {@link #forConfig(AppConfig)} with {@code settings} for an embedded server. */
  static DatabaseServer forConfig(AppConfig config, EmbeddedDatabase.Settings settings)
      throws IOException {
    if (config.database().url().isPresent()) {
      DatabaseUrl url = config.database().url().get();
      LOG.info("Using external PostgreSQL at {}", url.redacted());
      return new External(url);
    }
    EmbeddedDatabase embedded =
        EmbeddedDatabase.start(config.database().dataDir().resolve("postgres"), 0, settings);
    LOG.info(
        "Using embedded PostgreSQL at {} (data in {})",
        embedded.url().redacted(),
        embedded.dataDirectory());
    return embedded;
  }

  /** A server someone else runs. */
  record External(DatabaseUrl url) implements DatabaseServer {
    @Override
    public void close() {}
  }
}
