package com.arservice.http;

import com.arservice.common.ServiceException;
import com.arservice.common.ServiceException.Code;
import com.arservice.config.AppConfig;
import com.arservice.health.HealthProcedures;
import com.arservice.metrics.Metrics;
import com.arservice.project.ProjectStore;
import com.arservice.queue.JobStore;
import com.arservice.storage.Bucket;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.sqlclient.Pool;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The routes for operators and orchestrators, served by every role: {@code /health} (everything),
 * {@code /health/ready} (can take work), {@code /health/live} (the process answers) and {@code
 * /metrics} (Prometheus).
 */
final class OpsRoutes {
  private static final long DEPTH_TIMEOUT_MS = 2_000;

  private OpsRoutes() {}

  static void mount(
      Router router,
      Vertx vertx,
      Pool pool,
      JobStore jobs,
      AppConfig config,
      Optional<Bucket> bucket,
      Clock clock) {
    router
        .get("/health")
        .handler(
            HealthCheckHandler.createWithHealthChecks(
                HealthProcedures.full(vertx, pool, jobs, config, bucket, clock)));
    router
        .get("/health/ready")
        .handler(
            HealthCheckHandler.createWithHealthChecks(
                HealthProcedures.ready(vertx, pool, config, bucket)));
    router.get("/health/live").handler(ctx -> ctx.json(new JsonObject().put("status", "UP")));
    config
        .http()
        .metricsToken()
        .ifPresent(token -> router.get("/metrics").handler(ctx -> requireToken(ctx, token)));
    router.get("/metrics").handler(metrics(Metrics.of(vertx), jobs));
  }

  /** {@code Authorization: Bearer <AR_METRICS_TOKEN>}, compared in constant time. */
  private static void requireToken(RoutingContext ctx, String token) {
    String header = ctx.request().getHeader("Authorization");
    if (MessageDigest.isEqual(
        ("Bearer " + token).getBytes(StandardCharsets.UTF_8),
        header == null ? new byte[0] : header.getBytes(StandardCharsets.UTF_8))) {
      ctx.next();
    } else {
      ctx.response().putHeader("WWW-Authenticate", "Bearer");
      ctx.fail(new ServiceException(Code.UNAUTHORIZED, "A valid metrics token is required"));
    }
  }

  /**
   * Scrapes the registry after refreshing the queue depth; a slow or absent database keeps the last
   * depth.
   */
  private static Handler<RoutingContext> metrics(Metrics metrics, JobStore jobs) {
    Handler<RoutingContext> scrape = PrometheusScrapingHandler.create(metrics.registry());
    return ctx ->
        jobs.depth(ProjectStore.COMPILE_QUEUE)
            .timeout(DEPTH_TIMEOUT_MS, TimeUnit.MILLISECONDS)
            .onSuccess(
                depth ->
                    depth.forEach(
                        (state, n) ->
                            metrics.queueDepth(ProjectStore.COMPILE_QUEUE, state.sql(), n)))
            .onComplete(ignored -> scrape.handle(ctx));
  }
}
