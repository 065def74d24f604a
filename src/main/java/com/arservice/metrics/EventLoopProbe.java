package com.arservice.metrics;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.VertxOptions;

/**
 * Measures event-loop delay: a timer every second on this instance's event loop records how late it
 * fired. Deploy {@link #INSTANCES} instances so every loop is watched.
 */
public final class EventLoopProbe extends VerticleBase {
  /** One per event loop of a default Vert.x instance (instances are spread over the loops). */
  public static final int INSTANCES = VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE;

  private static final long PERIOD_MS = 1_000;

  private Metrics metrics;

  @Override
  public Future<?> start() {
    metrics = Metrics.of(vertx);
    schedule();
    return Future.succeededFuture();
  }

  /**
   * One-shot timers, each measured against the moment it was due (a periodic timer would catch up).
   */
  private void schedule() {
    long due = System.nanoTime() + PERIOD_MS * 1_000_000;
    vertx.setTimer(
        PERIOD_MS,
        id -> {
          metrics.eventLoopDelay(Math.max(0, System.nanoTime() - due));
          schedule(); // undeploying cancels the pending timer
        });
  }
}
