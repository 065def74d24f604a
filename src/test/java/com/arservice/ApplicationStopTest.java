package com.arservice;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.arservice.config.DatabaseUrl;
import com.arservice.db.DatabaseServer;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ApplicationStopTest {

  @Test
  void aVerticleWhoseStopFailsStillLetsVertxAndTheDatabaseStop() throws Exception {
    Vertx vertx = Vertx.vertx();
    AtomicBoolean vertxClosed = new AtomicBoolean();
    ((VertxInternal) vertx)
        .addCloseHook(
            completion -> {
              vertxClosed.set(true);
              completion.succeed();
            });
    String failing =
        vertx
            .deployVerticle(
                new VerticleBase() {
                  @Override
                  public Future<?> stop() {
                    return Future.failedFuture("the stop of this verticle fails");
                  }
                })
            .await();
    // a pool connects lazily: this one never reaches a server
    Pool pool =
        PgBuilder.pool().connectingTo(new PgConnectOptions().setPort(1)).using(vertx).build();
    AtomicBoolean databaseClosed = new AtomicBoolean();
    DatabaseServer database =
        new DatabaseServer() {
          @Override
          public DatabaseUrl url() {
            return new DatabaseUrl("localhost", 1, "ar_db", "ar", null);
          }

          @Override
          public void close() {
            databaseClosed.set(true);
          }
        };

    new Application(vertx, database, pool, List.of(failing), 0).close();

    assertTrue(vertxClosed.get(), "Vert.x was closed");
    assertTrue(databaseClosed.get(), "the database server was stopped");
  }
}
