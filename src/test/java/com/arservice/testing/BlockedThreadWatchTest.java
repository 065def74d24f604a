package com.arservice.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BlockedThreadWatchTest {

  @Test
  void aBlockedEventLoopIsRecorded() {
    new BlockedThreadWatch().beforeEach(null);
    Vertx vertx =
        Vertx.vertx(
            new VertxOptions()
                .setBlockedThreadCheckInterval(50)
                .setMaxEventLoopExecuteTime(20)
                .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS));
    try {
      Promise<Void> done = Promise.promise();
      vertx.runOnContext(
          v -> {
            try {
              Thread.sleep(400);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            done.complete();
          });
      done.future().await();
      assertFalse(BlockedThreadWatch.events().isEmpty(), "the checker's warning reached the watch");
    } finally {
      vertx.close().await();
      new BlockedThreadWatch().beforeEach(null);
    }
  }
}
