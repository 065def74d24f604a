package com.arservice;

import com.arservice.analytics.AnalyticsStore;
import com.arservice.analytics.AnalyticsVerticle;
import com.arservice.backup.BackupBucket;
import com.arservice.backup.BackupFolder;
import com.arservice.backup.BackupVerticle;
import com.arservice.backup.FileBackup;
import com.arservice.backup.WalArchive;
import com.arservice.cleanup.CleanupStore;
import com.arservice.cleanup.CleanupVerticle;
import com.arservice.config.AppConfig;
import com.arservice.config.BackupSettings;
import com.arservice.config.ConfigException;
import com.arservice.config.ConfigKeys;
import com.arservice.config.DatabaseUrl;
import com.arservice.config.MediaSettings;
import com.arservice.config.QueueSettings;
import com.arservice.config.StartupWarnings;
import com.arservice.config.StorageSettings;
import com.arservice.config.WebhookSettings;
import com.arservice.db.DatabaseServer;
import com.arservice.db.EmbeddedDatabase;
import com.arservice.db.Migrations;
import com.arservice.db.PgPool;
import com.arservice.http.HttpVerticle;
import com.arservice.imageio.HeifDecoder;
import com.arservice.legacy.LegacyAdoption;
import com.arservice.media.BorderEnhancer;
import com.arservice.media.MaskGenerator;
import com.arservice.media.PhotoNormalizer;
import com.arservice.media.VideoProcessor;
import com.arservice.metrics.EventLoopProbe;
import com.arservice.mind.MarkerMode;
import com.arservice.pipeline.CompilePipeline;
import com.arservice.pipeline.CompileVerticle;
import com.arservice.pipeline.MindCache;
import com.arservice.pipeline.QualityVerticle;
import com.arservice.project.ChangeListener;
import com.arservice.project.ProjectStore;
import com.arservice.project.ProjectVerticle;
import com.arservice.project.UploadPaths;
import com.arservice.queue.JobOptions;
import com.arservice.queue.JobStore;
import com.arservice.queue.QueueVerticle;
import com.arservice.storage.ArtifactStore;
import com.arservice.storage.Bucket;
import com.arservice.storage.CacheEntries;
import com.arservice.storage.LocalArtifactStore;
import com.arservice.storage.S3ArtifactStore;
import com.arservice.storage.S3Client;
import com.arservice.storage.UploadStore;
import com.arservice.viewer.ViewerPage;
import com.arservice.webhook.RetryPolicy;
import com.arservice.webhook.WebhookSigner;
import com.arservice.webhook.WebhookStore;
import com.arservice.webhook.WebhookVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.net.InetAddress;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running service: database server, migrations, the shared pool and the deployed verticles of
 * its role (the compile pool and queue housekeeping only where the role runs workers, the API
 * routes only where it serves them). Create {@code vertx} with {@code Metrics.newVertx()} for
 * Vert.x metrics. Stopping undeploys in reverse order, the HTTP verticle first so no new work
 * arrives, then the compile workers (each finishes the job in hand), then closes the pool and the
 * embedded database.
 */
public final class Application implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Application.class);
  private static final long STOP_TIMEOUT_S = 60;

  private final Vertx vertx;
  private final DatabaseServer database;
  private final Pool pool;
  private final List<String> deployments;
  private final int port;
  private boolean closed;

  Application(Vertx vertx, DatabaseServer database, Pool pool, List<String> deployments, int port) {
    this.vertx = vertx;
    this.database = database;
    this.pool = pool;
    this.deployments = deployments;
    this.port = port;
  }

  /** Starts everything on {@code vertx}; on failure, whatever was started is stopped again. */
  public static Application start(Vertx vertx, AppConfig config, Clock clock) throws Exception {
    StorageSettings storage = config.storage();
    LocalArtifactStore.createRoot(storage.artifacts());
    Files.createDirectories(storage.uploads());
    BackupSettings backup = config.backup();
    DatabaseServer database =
        DatabaseServer.forConfig(
            config,
            backup
                .folder()
                .map(folder -> WalArchive.into(folder, backup.walInterval()))
                .orElse(dir -> List.of()));
    Pool pool = null;
    List<String> deployed = new ArrayList<>();
    try {
      adoptIfAsked(config, database.url());
      int applied = Migrations.migrate(database.url());
      LOG.info("Database schema up to date ({} migration(s) applied now)", applied);
      pool = PgPool.create(vertx, database.url(), config.database().poolSize());
      Random random = new SecureRandom();
      QueueSettings queue = config.queue();
      WebhookSettings hooks = config.webhooks();
      // Each component exists once and is handed to every verticle that needs it.
      JobStore jobs =
          new JobStore(pool, clock, queue.lease(), () -> 0.75 + random.nextDouble() * 0.5);
      WebhookStore webhooks = new WebhookStore(pool, clock, hooks.backendUrl().isPresent());
      JobOptions jobOptions =
          JobOptions.DEFAULTS
              .withRetry(queue.retryLimit(), queue.retryDelay())
              .withExpireIn(queue.expireIn());
      AnalyticsStore analytics = new AnalyticsStore(pool, webhooks, clock);
      ProjectStore projects = new ProjectStore(pool, jobs, webhooks, clock, jobOptions);
      Optional<Bucket> bucket =
          storage.s3().map(settings -> new Bucket(vertx, new S3Client(vertx, settings)));
      LocalArtifactStore folder = new LocalArtifactStore(vertx, storage.artifacts());
      ArtifactStore artifacts =
          bucket.<ArtifactStore>map(b -> new S3ArtifactStore(b, folder)).orElse(folder);
      UploadStore uploads = new UploadStore(vertx, new UploadPaths(storage.uploads()), bucket);
      // a page read from a public bucket loads the libraries from the service
      ViewerPage viewer =
          ViewerPage.create(
              config.media().viewerCdnBase(),
              ArtifactStore.publicBucket(config.storage())
                  ? Optional.of(config.http().frontendUrl())
                  : Optional.empty(),
              config.analytics().enabled());
      String workerId = workerId();

      deployed.add(
          vertx.deployVerticle(new ProjectVerticle(projects, config.cleanup().demoTtl())).await());
      deployed.add(
          vertx
              .deployVerticle(
                  EventLoopProbe::new,
                  new DeploymentOptions().setInstances(EventLoopProbe.INSTANCES))
              .await());
      // Every role delivers webhooks (claims keep each delivery single) and answers the admin
      // webhook routes.
      deployed.add(
          vertx
              .deployVerticle(
                  new WebhookVerticle(
                      webhooks,
                      hooks.backendUrl().map(WebhookVerticle::endpoint).orElse(null),
                      new WebhookSigner(hooks.secrets(), hooks.secretHeader()),
                      new RetryPolicy(hooks.retrySchedule(), () -> 0.8 + random.nextDouble() * 0.4),
                      PgPool.connectOptions(database.url()),
                      workerId,
                      queue.pollInterval(),
                      clock))
              .await());
      if (config.role().runsWorkers()) {
        deployed.add(
            vertx
                .deployVerticle(
                    new QueueVerticle(
                        jobs,
                        PgPool.connectOptions(database.url()),
                        ProjectStore.COMPILE_QUEUE,
                        workerId,
                        job -> "The compilation did not finish in time, even after retries"))
                .await());
        CompilePipeline pipeline = pipeline(config, viewer, bucket);
        deployed.add(
            vertx
                .deployVerticle(
                    () ->
                        new CompileVerticle(
                            jobs, pipeline, uploads, artifacts, workerId, queue.pollInterval()),
                    new DeploymentOptions()
                        .setThreadingModel(ThreadingModel.WORKER)
                        .setInstances(queue.compileWorkers())
                        .setWorkerPoolName("ar-compile")
                        .setWorkerPoolSize(queue.compileWorkers())
                        .setMaxWorkerExecuteTime(queue.expireIn().toMillis())
                        .setMaxWorkerExecuteTimeUnit(TimeUnit.MILLISECONDS))
                .await());
        deployed.add(
            vertx
                .deployVerticle(
                    new CleanupVerticle(
                        new CleanupStore(pool, clock),
                        jobs,
                        webhooks,
                        artifacts,
                        uploads,
                        config.cleanup().schedule(),
                        queue.jobRetention(),
                        hooks.retention(),
                        queue.expireIn(),
                        storage.uploadRetention(),
                        analytics,
                        config.analytics().retention(),
                        workerId,
                        clock))
                .await());
      }
      if (backup.bucketPrefix().isPresent() && backup.folder().isEmpty()) {
        throw new ConfigException(
            ConfigKeys.BACKUP_S3_PREFIX,
            "needs AR_BACKUP_DIR too: the backup is written there and shipped to the bucket");
      }
      if (backup.folder().isPresent() && config.role().runsWorkers()) {
        deployed.add(vertx.deployVerticle(backupVerticle(config, database, bucket, clock)).await());
      }
      if (config.role().servesApi()) {
        // the viewer pages' reports arrive where the API is served
        deployed.add(
            vertx
                .deployVerticle(
                    new AnalyticsVerticle(
                        analytics, config.analytics().poorDetectionScans(), clock))
                .await());
        // live streams hear of changes that any process made
        deployed.add(
            vertx
                .deployVerticle(new ChangeListener(PgPool.connectOptions(database.url())))
                .await());
        // POST /quality's reports: a second of one core each, off the event loop
        deployed.add(
            vertx
                .deployVerticle(
                    new QualityVerticle(new PhotoNormalizer(heifDecoder(config.media()))),
                    new DeploymentOptions()
                        .setThreadingModel(ThreadingModel.WORKER)
                        .setWorkerPoolName("ar-quality")
                        .setWorkerPoolSize(1))
                .await());
      }
      HttpVerticle http =
          new HttpVerticle(
              config,
              new HttpVerticle.Components(pool, jobs, webhooks, artifacts, uploads, viewer, bucket),
              clock);
      deployed.add(vertx.deployVerticle(http).await());
      LOG.info(
          "AR Service ({} role) listening on {}:{}{}",
          config.role().id(),
          config.http().bindAddress(),
          http.actualPort(),
          config.role().runsWorkers()
              ? " with " + queue.compileWorkers() + " compile worker(s) as " + workerId
              : "");
      StartupWarnings.of(config, http.actualPort()).forEach(LOG::warn);
      return new Application(vertx, database, pool, deployed, http.actualPort());
    } catch (Exception | Error e) {
      for (String id : deployed) {
        vertx.undeploy(id);
      }
      if (pool != null) {
        pool.close();
      }
      database.close();
      throw e;
    }
  }

  private static CompilePipeline pipeline(
      AppConfig config, ViewerPage viewer, Optional<Bucket> bucket) {
    MediaSettings media = config.media();
    CacheEntries cache =
        bucket
            .map(CacheEntries::inBucket)
            .orElseGet(
                () ->
                    CacheEntries.inFolder(
                        config.storage().artifacts().resolve(".cache").resolve("mind")));
    return new CompilePipeline(
        new PhotoNormalizer(heifDecoder(media)),
        media.borderEnhancer() ? new BorderEnhancer() : null,
        new MaskGenerator(),
        new VideoProcessor(
            media.ffmpegPath(), media.ffprobePath(), VideoProcessor.Limits.defaults()),
        new MindCache(cache),
        viewer,
        ArtifactStore.publicBase(config.storage()),
        MarkerMode.parse(media.markerMode()));
  }

  /**
   * The backup of the embedded database (not of an external one: its operator's) and of the local
   * artifact and upload folders (not of a bucket: its versioning's).
   */
  private static BackupVerticle backupVerticle(
      AppConfig config, DatabaseServer database, Optional<Bucket> bucket, Clock clock) {
    Optional<BackupVerticle.Database> embedded =
        database instanceof EmbeddedDatabase db
            ? Optional.of(new BackupVerticle.Database(db.url(), db.dataDirectory()))
            : Optional.empty();
    Optional<FileBackup> files =
        bucket.isPresent()
            ? Optional.empty()
            : Optional.of(
                new FileBackup(
                    new BackupFolder(config.backup().folder().orElseThrow()),
                    Map.of(
                        "storage", config.storage().artifacts(),
                        "uploads", config.storage().uploads())));
    Optional<BackupBucket> shipped =
        config
            .backup()
            .bucketPrefix()
            .map(p -> new BackupBucket(bucket.orElseThrow(), bucket.get().prefix() + p));
    return new BackupVerticle(config.backup(), embedded, files, shipped, clock);
  }

  /** Names this process in the job table: host, pid and a random suffix. */
  private static String workerId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      host = "unknown-host";
    }
    return host
        + ":"
        + ProcessHandle.current().pid()
        + ":"
        + UUID.randomUUID().toString().substring(0, 8);
  }

  public int port() {
    return port;
  }

  public Pool pool() {
    return pool;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    // Each step is tried whatever the one before did: a verticle whose stop fails must not keep the
    // event loops (and so the JVM) alive or the embedded database running.
    List<String> reverse = new ArrayList<>(deployments);
    Collections.reverse(reverse);
    for (String id : reverse) {
      stopStep("undeploying " + id, () -> vertx.undeploy(id));
    }
    stopStep("closing the database pool", pool::close);
    stopStep("closing Vert.x", vertx::close);
    database.close();
    LOG.info("AR Service stopped");
  }

  private static void stopStep(String what, Supplier<Future<Void>> step) {
    try {
      step.get().await(STOP_TIMEOUT_S, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("Shutdown step failed ({}): {}", what, e.toString());
    }
  }

  /**
   * A database of the old Node service is converted when the configuration asks for it, else the
   * start stops with a sentence saying how; one adopted before, or ours, goes on as it is.
   */
  private static void adoptIfAsked(AppConfig config, DatabaseUrl url) {
    if (LegacyAdoption.state(url) != LegacyAdoption.State.LEGACY) {
      return;
    }
    if (!config.database().adoptLegacySchema()) {
      throw new IllegalStateException(LegacyAdoption.refusal(url));
    }
    LegacyAdoption.apply(
            url,
            config.storage().artifacts(),
            LegacyAdoption.Options.of(config.queue(), false, false, LegacyAdoption.DEFAULT_ZONE))
        .lines()
        .forEach(LOG::info);
  }

  private static HeifDecoder heifDecoder(MediaSettings media) {
    return new HeifDecoder(media.heifConvertPath(), HeifDecoder.DEFAULT_TIMEOUT);
  }
}
