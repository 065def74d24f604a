package com.arservice.http;

import com.arservice.config.AppConfig;
import com.arservice.project.UploadPaths;
import com.arservice.queue.JobStore;
import com.arservice.storage.LocalArtifactStore;
import com.arservice.storage.UploadStore;
import com.arservice.viewer.ViewerPage;
import com.arservice.webhook.WebhookStore;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.Optional;

/** The HTTP verticle alone, with the components the application would hand it, for route tests. */
final class TestHttp {
  private TestHttp() {}

  static HttpVerticle verticle(Vertx vertx, Pool pool, AppConfig config) {
    Clock clock = Clock.systemUTC();
    // These tests never retry a job, so the retry jitter is fixed.
    return new HttpVerticle(
        config,
        new HttpVerticle.Components(
            pool,
            new JobStore(pool, clock, config.queue().lease(), () -> 1.0),
            new WebhookStore(pool, clock, false),
            new LocalArtifactStore(vertx, config.storage().artifacts()),
            new UploadStore(vertx, new UploadPaths(config.storage().uploads()), Optional.empty()),
            ViewerPage.create(config.media().viewerCdnBase()),
            Optional.empty()),
        clock);
  }
}
