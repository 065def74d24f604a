package com.arservice.db;

import com.arservice.config.DatabaseUrl;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the one vertx-pg-client pool every runtime query goes through, and the LISTEN connections.
 */
public final class PgPool {
  private static final Logger LOG = LoggerFactory.getLogger(PgPool.class);
  private static final long RECONNECT_MS = 1_000;

  private PgPool() {}

  /**
   * A LISTEN connection on {@code channel} that reconnects every second while the database is away.
   * Its connection's errors (the server going away) are logged as one line: a connection without an
   * exception handler prints each as a stack trace. Connect it with {@link PgSubscriber#connect()}.
   */
  public static PgSubscriber listener(
      Vertx vertx, PgConnectOptions options, String channel, Handler<String> onNotification) {
    PgSubscriber subscriber =
        PgSubscriber.subscriber(vertx, options).reconnectPolicy(attempt -> RECONNECT_MS);
    // called on every (re)subscription, so each new connection gets the handler
    subscriber
        .channel(channel)
        .subscribeHandler(
            v ->
                subscriber
                    .actualConnection()
                    .exceptionHandler(
                        e ->
                            LOG.info(
                                "LISTEN connection on {} lost ({}); reconnecting",
                                channel,
                                e.getMessage())))
        .handler(onNotification);
    return subscriber;
  }

  public static Pool create(Vertx vertx, DatabaseUrl url, int maxSize) {
    PoolOptions pool =
        new PoolOptions().setMaxSize(maxSize).setName("ar-pool").setConnectionTimeout(10);
    return PgBuilder.pool().with(pool).connectingTo(connectOptions(url)).using(vertx).build();
  }

  /** Connection settings for {@code url}, also used by the LISTEN connection of the queue. */
  public static PgConnectOptions connectOptions(DatabaseUrl url) {
    PgConnectOptions connect =
        new PgConnectOptions()
            .setHost(url.host())
            .setPort(url.port())
            .setDatabase(url.database())
            .setUser(url.user());
    if (url.password() != null) {
      connect.setPassword(url.password());
    }
    return connect;
  }
}
