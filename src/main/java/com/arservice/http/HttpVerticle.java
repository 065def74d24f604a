package com.arservice.http;

import com.arservice.config.AppConfig;
import com.arservice.config.HttpSettings;
import com.arservice.project.UploadPaths;
import com.arservice.queue.JobStore;
import com.arservice.storage.ArtifactStore;
import com.arservice.storage.Bucket;
import com.arservice.storage.UploadStore;
import com.arservice.viewer.ViewerPage;
import com.arservice.webhook.WebhookStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The REST front door: routes, request log and failure mapping; business work goes over the event
 * bus.
 */
public final class HttpVerticle extends VerticleBase {
  private static final long JSON_BODY_LIMIT = 1024 * 1024;
  private static final long ARTIFACT_MAX_AGE_S = 3600;

  private final AppConfig config;
  private final Components components;
  private final Clock clock;
  private HttpServer server;
  private static final int COMPRESS_FROM_BYTES = 1024;

  private Router router;

  /**
   * What the routes serve, wired once by the application and shared with the other verticles.
   *
   * @param jobs the compile queue, read for health, metrics and the console
   * @param webhooks the webhook outbox, read for the console's counts
   */
  public record Components(
      Pool pool,
      JobStore jobs,
      WebhookStore webhooks,
      ArtifactStore artifacts,
      UploadStore uploads,
      ViewerPage viewer,
      Optional<Bucket> bucket) {}

  public HttpVerticle(AppConfig config, Components components, Clock clock) {
    this.config = config;
    this.components = components;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    router = Router.router(vertx);
    HeaderTimeout headerTimeout = new HeaderTimeout(vertx, config.http().headerTimeout());
    router.route().handler(headerTimeout::requestArrived);
    router.route().handler(new RequestLog());
    router.route().handler(SecurityHeaders::mark);
    router.route().handler(MalformedPath::check);
    OpsRoutes.mount(
        router, vertx, components.pool(), components.jobs(), config, components.bucket(), clock);
    if (config.role().servesApi()) {
      api();
    }
    router.route().last().handler(ctx -> ctx.fail(404));
    router.route().failureHandler(Failures::handle);
    // No h2c: an upgrade request's body is held in memory until the upgrade is done, so a large
    // upload would land in the heap; clients and nginx then simply speak HTTP/1.1.
    // JSON and pages compressed as sent (gzip, deflate); static files and artifacts choose their
    // own. The idle timeout counts bytes either way, so a live stream's heartbeats keep it open.
    server =
        vertx.createHttpServer(
            new HttpServerOptions()
                .setHttp2ClearTextEnabled(false)
                .setCompressionSupported(true)
                .setCompressionContentSizeThreshold(COMPRESS_FROM_BYTES)
                .setIdleTimeout(
                    (int) Math.min(Integer.MAX_VALUE, config.http().idleTimeout().toMillis()))
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS));
    return server
        .connectionHandler(headerTimeout::connected)
        .requestHandler(router)
        .listen(config.http().port(), config.http().bindAddress());
  }

  /** A multipart body whose files stream to disk beside the uploads, deleted after the request. */
  private static BodyHandler fileBody(UploadPaths uploads, HttpSettings http) {
    return BodyHandler.create(uploads.incoming().toString())
        .setBodyLimit(http.maxUploadBytes())
        .setDeleteUploadedFilesOnEnd(true)
        .setHandleFileUploads(true);
  }

  /** The public API; a worker-role process serves only the health and metrics routes. */
  private void api() {
    HttpSettings http = config.http();
    boolean publicBucket = ArtifactStore.publicBucket(config.storage());
    UploadPaths uploadPaths = components.uploads().folder();
    ClientAddress clients = new ClientAddress(http.trustedProxies());
    AuthThrottle throttle =
        new AuthThrottle(new FailureLimiter(clock, FailureLimiter.MAX_CLIENTS), clients);
    ConsoleSession console =
        new ConsoleSession(http.apiToken(), new SessionStore(components.pool()), throttle, clock);
    Optional<ApiAuth> auth = http.apiToken().map(token -> new ApiAuth(token, console, throttle));
    // Status and logs are in full where ApiAuth.resolve (mounted below) found the token; without a
    // token configured nobody holds it, so they are always the public form.
    ProjectRoutes projects =
        new ProjectRoutes(
            vertx,
            components.uploads(),
            http.frontendUrl(),
            publicBucket
                ? Optional.of(ArtifactStore.publicBase(config.storage()))
                : Optional.empty(),
            ApiAuth::fullView);
    UploadRoutes uploads = new UploadRoutes(vertx, components.uploads(), http.maxUploadBytes());
    ViewRoutes views = new ViewRoutes(vertx, components.artifacts(), clock, components.viewer());
    WebhookRoutes webhooks = new WebhookRoutes(vertx);
    QualityRoutes quality = new QualityRoutes(vertx, uploadPaths);
    ProjectEvents events = ProjectEvents.start(vertx, http, ApiAuth::fullView, clients);
    ProjectActions actions = new ProjectActions(vertx, components.artifacts());
    AdminRoutes admin =
        new AdminRoutes(
            vertx, components.jobs(), components.webhooks(), config.storage().artifacts(), clock);
    SecurityHeaders headers =
        new SecurityHeaders(
            components.viewer(),
            publicBucket
                ? Optional.of(ViewerPage.origin(ArtifactStore.publicBase(config.storage())))
                : Optional.empty(),
            http.viewerFrameAncestors());
    router.get("/").handler(ApiDescription::describe);
    // The console's page, scripts and sign-in are open; what they call is guarded below.
    router.get("/admin/").handler(ctx -> ctx.reroute("/admin/app/index.html"));
    router
        .get("/admin/app/*")
        .handler(headers::console)
        .handler(new StaticAssets(vertx, "webroot/admin", "/admin/app/", false));
    router.get("/admin/session").handler(console::state);
    router
        .post("/admin/session")
        .handler(BodyHandler.create(false).setBodyLimit(JSON_BODY_LIMIT))
        .handler(console::signIn);
    router.delete("/admin/session").handler(console::signOut);
    auth.ifPresent(
        required -> {
          router.post("/compile").handler(required::require);
          router.post("/quality").handler(required::require);
          router.route("/uploads").handler(required::require);
          router.route("/admin/*").handler(required::require);
          router.route("/projects/*").handler(required::require);
          router.route("/status/*").handler(required::resolve);
        });
    router
        .post("/compile")
        .handler(BodyHandler.create(false).setBodyLimit(JSON_BODY_LIMIT))
        .handler(projects::compile);
    // Incoming files land beside their final place, so storing one is a rename on the same disk; a
    // body of any other type is the file itself.
    router
        .post("/uploads")
        .consumes("multipart/form-data")
        .handler(fileBody(uploadPaths, http))
        .handler(uploads::upload);
    router.post("/uploads").handler(uploads::uploadRaw);
    router
        .post("/quality")
        .consumes("multipart/form-data")
        .handler(fileBody(uploadPaths, http))
        .handler(quality::uploaded);
    router
        .post("/quality")
        .handler(BodyHandler.create(false).setBodyLimit(JSON_BODY_LIMIT))
        .handler(quality::byUrl);
    router.get("/status/:id").handler(projects::status);
    router.get("/status/:id/logs").handler(projects::logs);
    router.get("/status/:id/events").handler(events::stream);
    String artifactPrefix = ArtifactStore.PUBLIC_PATH + "/";
    Route artifactRoute =
        router
            .get(ArtifactStore.PUBLIC_PATH + "/*")
            .handler(new ArtifactPath(artifactPrefix))
            .handler(headers::projectPage);
    components
        .bucket()
        .ifPresentOrElse(
            bucket -> artifactRoute.handler(new BucketObjects(bucket, ARTIFACT_MAX_AGE_S)),
            () ->
                artifactRoute
                    .handler(
                        new ArtifactETag(vertx, config.storage().artifacts(), ARTIFACT_MAX_AGE_S))
                    .handler(new ArtifactEncoding(vertx, config.storage().artifacts()))
                    .handler(
                        StaticHandler.create(
                                FileSystemAccess.ROOT, config.storage().artifacts().toString())
                            .setDirectoryListing(false)
                            .setIncludeHidden(false)
                            .setEnableRangeSupport(true)
                            .setCachingEnabled(false)
                            .setSendVaryHeader(false)));
    ViewerEventRoutes viewerEvents = new ViewerEventRoutes(vertx, clients, clock);
    if (config.analytics().enabled()) {
      // the rate is checked before the body is read (a route's body handler must come first)
      router.post("/ar/view/:id/events").handler(viewerEvents::limit);
      router
          .post("/ar/view/:id/events")
          .handler(BodyHandler.create(false).setBodyLimit(ViewerEventRoutes.BODY_LIMIT))
          .handler(viewerEvents::record);
    }
    router.get("/projects/:id/stats").handler(viewerEvents::projectStats);
    router.get("/admin/analytics").handler(viewerEvents::overview);
    router.get("/view/:id").handler(headers::viewer).handler(views::view);
    router.get("/ar/view/:id").handler(headers::viewer).handler(views::view);
    // A wildcard route hands the static handler the path after its prefix: /viewer/x.js →
    // webroot/viewer/x.js.
    router.get("/viewer/*").handler(new StaticAssets(vertx, "webroot/viewer", "/viewer/", false));
    // the licences of the libraries bundled into the viewer; the versions are in their paths, so
    // they never change
    router
        .get(ViewerPage.VENDOR_PATH + "/*")
        .handler(new StaticAssets(vertx, "webroot/vendor", ViewerPage.VENDOR_PATH + "/", true));
    router.get("/openapi.yaml").handler(ApiDescription::openApi);
    router.get("/admin/webhooks").handler(webhooks::list);
    router.post("/admin/webhooks/:id/redeliver").handler(webhooks::redeliver);
    router.delete("/projects/:id").handler(actions::delete);
    router.post("/projects/:id/retry").handler(actions::retry);
    router.get("/admin/projects").handler(admin::projects);
    router.get("/admin/stats").handler(admin::stats);
    BackupRoutes backup = new BackupRoutes(vertx, config.backup(), clock);
    router.get("/admin/backup").handler(backup::status);
    router.post("/admin/backup").handler(backup::now);
  }

  /** The port actually bound (useful when configured as 0). */
  public int actualPort() {
    return server.actualPort();
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
}
