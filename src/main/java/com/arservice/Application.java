package com.arservice;

import com.arservice.config.AppConfig;
import com.arservice.db.DatabaseServer;
import com.arservice.db.Migrations;
import com.arservice.db.PgPool;
import com.arservice.http.HttpVerticle;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.util.concurrent.TimeUnit;

/**
 * One running service: database server, migrations, the shared pool and the deployed verticles.
 * Stopping undeploys the HTTP verticle first so no new work arrives, then the others, then closes
 * the pool and the embedded database.
 */
public final class Application implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Application.class);
  private static final long STOP_TIMEOUT_S = 60;

  private final Vertx vertx;
  private final DatabaseServer database;
  private final Pool pool;
  private final String httpDeployment;
  private final int port;
  private boolean closed;

  private Application(Vertx vertx, DatabaseServer database, Pool pool, String httpDeployment, int port) {
    this.vertx = vertx;
    this.database = database;
    this.pool = pool;
    this.httpDeployment = httpDeployment;
    this.port = port;
  }

  /** Starts everything on {@code vertx}; on failure, whatever was started is stopped again. */
  public static Application start(Vertx vertx, AppConfig config) throws Exception {
    Files.createDirectories(config.storagePath());
    Files.createDirectories(config.uploadsPath());
    DatabaseServer database = DatabaseServer.forConfig(config);
    Pool pool = null;
    try {
      int applied = Migrations.migrate(database.url());
      LOG.info("Database schema up to date ({} migration(s) applied now)", applied);
      pool = PgPool.create(vertx, database.url(), config.dbPoolSize());
      HttpVerticle http = new HttpVerticle(pool, config.port());
      String httpId = vertx.deployVerticle(http).await();
      // The compile worker pool, webhook and cleanup verticles are deployed here as they are built.
      LOG.info("AR Service listening on port {}", http.actualPort());
      return new Application(vertx, database, pool, httpId, http.actualPort());
    } catch (Exception | Error e) {
      if (pool != null) {
        pool.close();
      }
      database.close();
      throw e;
    }
  }

  public int port() {
    return port;
  }

  public Pool pool() {
    return pool;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      vertx.undeploy(httpDeployment).await(STOP_TIMEOUT_S, TimeUnit.SECONDS);
      pool.close().await(STOP_TIMEOUT_S, TimeUnit.SECONDS);
      vertx.close().await(STOP_TIMEOUT_S, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("Shutdown did not complete cleanly: {}", e.toString());
    } finally {
      database.close();
    }
    LOG.info("AR Service stopped");
  }
}
