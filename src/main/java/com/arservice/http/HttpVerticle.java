package com.arservice.http;

import com.arservice.config.AppConfig;
import com.arservice.health.HealthProcedures;
import com.arservice.project.UploadPaths;
import com.arservice.viewer.ViewerPage;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.sqlclient.Pool;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** The REST front door: routes, request log and failure mapping; business work goes over the event bus. */
public final class HttpVerticle extends VerticleBase {
  private static final long JSON_BODY_LIMIT = 1024 * 1024;
  private static final String OPENAPI = loadOpenApi();

  private final Pool pool;
  private final AppConfig config;
  private final Clock clock;
  private HttpServer server;
  private Router router;

  public HttpVerticle(Pool pool, AppConfig config, Clock clock) {
    this.pool = pool;
    this.config = config;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    UploadPaths uploadPaths = new UploadPaths(config.uploadsPath());
    ProjectRoutes projects = new ProjectRoutes(vertx, uploadPaths, config.frontendUrl());
    UploadRoutes uploads = new UploadRoutes(vertx, uploadPaths);
    ViewRoutes views = new ViewRoutes(vertx, config.storagePath(), clock, ViewerPage.create(config.viewerCdnBase()));
    router = Router.router(vertx);
    router.route().handler(new RequestLog());
    router.get("/").handler(this::describe);
    router.get("/health").handler(HealthCheckHandler.createWithHealthChecks(HealthProcedures.create(vertx, pool)));
    config.apiToken().map(ApiAuth::new).ifPresent(auth -> {
      router.post("/compile").handler(auth);
      router.route("/uploads").handler(auth);
      router.route("/admin/*").handler(auth);
    });
    router.post("/compile").handler(BodyHandler.create(false).setBodyLimit(JSON_BODY_LIMIT))
        .handler(projects::compile);
    // Incoming files land beside their final place, so storing one is a rename on the same disk.
    router.post("/uploads").handler(BodyHandler.create(config.uploadsPath().resolve(".incoming").toString())
            .setBodyLimit(config.maxUploadBytes()).setDeleteUploadedFilesOnEnd(true).setHandleFileUploads(true))
        .handler(uploads::upload);
    router.get("/status/:id").handler(projects::status);
    router.get("/status/:id/logs").handler(projects::logs);
    router.get("/objects/ar-storage/*").handler(new ArtifactETag(vertx, config.storagePath(), "/objects/ar-storage/"))
        .handler(StaticHandler.create(FileSystemAccess.ROOT,
            config.storagePath().toString())
        .setDirectoryListing(false).setIncludeHidden(false).setEnableRangeSupport(true)
        .setCachingEnabled(true).setMaxAgeSeconds(3600).setSendVaryHeader(false));
    router.get("/view/:id").handler(views::view);
    router.get("/ar/view/:id").handler(views::view);
    router.get("/viewer/*").handler(StaticHandler.create("webroot/viewer").setCachingEnabled(true).setMaxAgeSeconds(3600));
    // A-Frame and MindAR bundled at build time; the versions are in their paths, so they never change
    router.get(ViewerPage.VENDOR_PATH + "/*").handler(StaticHandler.create("webroot/vendor").setCachingEnabled(true)
        .setMaxAgeSeconds(365 * 24 * 3600));
    router.get("/openapi.yaml").handler(this::openApi);
    router.route().last().handler(ctx -> ctx.fail(404));
    router.route().failureHandler(Failures::handle);
    server = vertx.createHttpServer();
    return server.requestHandler(router).listen(config.port());
  }

  /** The port actually bound (useful when configured as 0). */
  public int actualPort() {
    return server.actualPort();
  }

  private void describe(RoutingContext ctx) {
    JsonArray endpoints = new JsonArray()
        .add(endpoint("GET", "/", "this description"))
        .add(endpoint("GET", "/health", "health of the service and its database: 200 UP or 503 DOWN"))
        .add(endpoint("POST", "/compile", "start an AR project from uploaded photos and videos: 202 {projectId}"))
        .add(endpoint("POST", "/uploads", "store one photo, video or mask (multipart): 201 {url}"))
        .add(endpoint("GET", "/status/:id", "a project's state, progress and artifact URLs"))
        .add(endpoint("GET", "/status/:id/logs", "a project's compilation step log"))
        .add(endpoint("GET", "/objects/ar-storage/:id/:file", "a project's artifacts"))
        .add(endpoint("GET", "/ar/view/:id", "the AR viewer of a project (also /view/:id)"))
        .add(endpoint("GET", "/openapi.yaml", "the OpenAPI 3 description of this API"));
    ctx.json(new JsonObject()
        .put("service", "ar-service")
        .put("description", "Turns a printed photo and a video into a MindAR web AR experience")
        .put("endpoints", endpoints));
  }

  private void openApi(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "application/yaml; charset=utf-8").end(OPENAPI);
  }

  /** Every route with a method and a path, as {@code "METHOD /path"}, for the OpenAPI test. */
  List<String> routes() {
    List<String> out = new ArrayList<>();
    for (Route r : router.getRoutes()) {
      if (r.getPath() != null && r.methods() != null && !r.methods().isEmpty()) {
        r.methods().forEach(m -> out.add(m.name() + " " + r.getPath()));
      }
    }
    return out;
  }

  private static String loadOpenApi() {
    try (InputStream in = HttpVerticle.class.getClassLoader().getResourceAsStream("openapi.yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonObject endpoint(String method, String path, String description) {
    return new JsonObject().put("method", method).put("path", path).put("description", description);
  }
}
