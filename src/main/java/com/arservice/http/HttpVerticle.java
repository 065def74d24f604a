package com.arservice.http;

import com.arservice.health.HealthProcedures;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.sqlclient.Pool;

/** The REST front door: routes, request log and failure mapping; business work goes over the event bus. */
public final class HttpVerticle extends VerticleBase {
  private final Pool pool;
  private final int port;
  private HttpServer server;

  public HttpVerticle(Pool pool, int port) {
    this.pool = pool;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.route().handler(new RequestLog());
    router.get("/").handler(this::describe);
    router.get("/health").handler(HealthCheckHandler.createWithHealthChecks(HealthProcedures.create(vertx, pool)));
    router.route().last().handler(ctx -> ctx.fail(404));
    router.route().failureHandler(Failures::handle);
    server = vertx.createHttpServer();
    return server.requestHandler(router).listen(port);
  }

  /** The port actually bound (useful when configured as 0). */
  public int actualPort() {
    return server.actualPort();
  }

  private void describe(RoutingContext ctx) {
    JsonArray endpoints = new JsonArray()
        .add(endpoint("GET", "/", "this description"))
        .add(endpoint("GET", "/health", "health of the service and its database: 200 UP or 503 DOWN"));
    ctx.json(new JsonObject()
        .put("service", "ar-service")
        .put("description", "Turns a printed photo and a video into a MindAR web AR experience")
        .put("endpoints", endpoints));
  }

  private static JsonObject endpoint(String method, String path, String description) {
    return new JsonObject().put("method", method).put("path", path).put("description", description);
  }
}
