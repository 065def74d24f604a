package com.arservice.project;

import com.arservice.common.Addresses;
import com.arservice.db.PgPool;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the database's {@code NOTIFY ar_projects, '<id>'} into a local publish on {@link
 * Addresses#PROJECT_CHANGED}, so this process's live streams hear of changes that any process (a
 * worker elsewhere) committed: one LISTEN connection per process, whatever the number of streams. A
 * periodic recheck of the projects with open streams covers the time the connection is down.
 */
public final class ChangeListener extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ChangeListener.class);

  private final PgConnectOptions options;
  private PgSubscriber subscriber;

  public ChangeListener(PgConnectOptions options) {
    this.options = options;
  }

  @Override
  public Future<?> start() {
    subscriber =
        PgPool.listener(
            vertx,
            options,
            ProjectStore.CHANGES_CHANNEL,
            id -> vertx.eventBus().publish(Addresses.PROJECT_CHANGED, id));
    return subscriber
        .connect()
        .recover(
            e -> {
              LOG.warn(
                  "LISTEN connection failed ({}); live streams fall back to the periodic recheck",
                  e.getMessage());
              return Future.succeededFuture();
            });
  }

  @Override
  public Future<?> stop() {
    return subscriber.close();
  }
}
