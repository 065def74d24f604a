package com.arservice.health;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.sqlclient.Pool;

/** The checks behind {@code GET /health}; a check that does not answer in time counts as DOWN. */
public final class HealthProcedures {
  static final long TIMEOUT_MS = 2_000;

  private HealthProcedures() {
  }

  public static HealthChecks create(Vertx vertx, Pool pool) {
    return HealthChecks.create(vertx)
        .register("database", TIMEOUT_MS, promise -> database(pool, promise));
  }

  private static void database(Pool pool, Promise<Status> promise) {
    pool.query("SELECT 1").execute()
        .onSuccess(rows -> promise.tryComplete(Status.OK()))
        .onFailure(e -> promise.tryComplete(Status.KO(new JsonObject().put("error", message(e)))));
  }

  private static String message(Throwable e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
