package com.arservice.db;

import com.arservice.config.DatabaseUrl;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/** Builds the one vertx-pg-client pool every runtime query goes through. */
public final class PgPool {
  private PgPool() {
  }

  public static Pool create(Vertx vertx, DatabaseUrl url, int maxSize) {
    PgConnectOptions connect = new PgConnectOptions()
        .setHost(url.host())
        .setPort(url.port())
        .setDatabase(url.database())
        .setUser(url.user());
    if (url.password() != null) {
      connect.setPassword(url.password());
    }
    PoolOptions pool = new PoolOptions().setMaxSize(maxSize).setName("ar-pool").setConnectionTimeout(10);
    return PgBuilder.pool().with(pool).connectingTo(connect).using(vertx).build();
  }
}
