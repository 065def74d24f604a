package com.arservice.health;

import com.arservice.backup.BackupHealth;
import com.arservice.config.AppConfig;
import com.arservice.media.FfmpegFeatures;
import com.arservice.queue.JobStore;
import com.arservice.storage.Bucket;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.sqlclient.Pool;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The checks behind the health routes; a check that does not answer in time counts as DOWN. {@code
 * /health} runs all of them, {@code /health/ready} those that decide whether this process can take
 * work (database, storage, and ffmpeg where it compiles).
 */
public final class HealthProcedures {
  static final long TIMEOUT_MS = 2_000;

  /** How long a check waits for ffmpeg's features to be looked up, well within its deadline. */
  private static final long FEATURES_WAIT_MS = 1_000;

  private HealthProcedures() {}

  /**
   * Database, queue (no job stuck past its lease), storage, ffmpeg (when this process compiles).
   */
  public static HealthChecks full(
      Vertx vertx,
      Pool pool,
      JobStore jobs,
      AppConfig config,
      Optional<Bucket> bucket,
      Clock clock) {
    HealthChecks checks =
        HealthChecks.create(vertx)
            .register("database", TIMEOUT_MS, promise -> database(pool, promise))
            .register("queue", TIMEOUT_MS, promise -> queue(jobs, promise));
    config
        .backup()
        .folder()
        .ifPresent(
            folder ->
                checks.register(
                    "backup",
                    TIMEOUT_MS,
                    promise ->
                        archiver(pool, config)
                            .onComplete(
                                archiver ->
                                    blocking(
                                        vertx,
                                        promise,
                                        () ->
                                            backup(
                                                folder,
                                                config.backup().schedule(),
                                                clock,
                                                archiver.result())))));
    return local(vertx, checks, config, bucket);
  }

  /**
   * The embedded server's archiver: a WAL file it failed to archive since the last one it did, or
   * {@code null} when it archives (or the database is external, or does not answer).
   */
  private static Future<String> archiver(Pool pool, AppConfig config) {
    if (config.database().url().isPresent()) {
      return Future.succeededFuture();
    }
    return pool.query(
            "SELECT last_failed_wal FROM pg_stat_archiver"
                + " WHERE last_failed_time > coalesce(last_archived_time, '-infinity')")
        .execute()
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString(0))
        .otherwise((String) null);
  }

  static Status backup(Path folder, String schedule, Clock clock, String failedWal)
      throws IOException {
    JsonObject status = BackupHealth.check(folder, schedule, clock, false);
    if (failedWal != null) {
      status.put(
          "error",
          "the database cannot archive WAL file "
              + failedWal
              + " into "
              + folder
              + " (see its server.log)");
    }
    return status.containsKey("error") ? Status.KO(status) : Status.OK(status);
  }

  /**
   * What an orchestrator needs before sending work: database, storage, ffmpeg (when this process
   * compiles).
   */
  public static HealthChecks ready(
      Vertx vertx, Pool pool, AppConfig config, Optional<Bucket> bucket) {
    return local(
        vertx,
        HealthChecks.create(vertx)
            .register("database", TIMEOUT_MS, promise -> database(pool, promise)),
        config,
        bucket);
  }

  private static HealthChecks local(
      Vertx vertx, HealthChecks checks, AppConfig config, Optional<Bucket> bucket) {
    checks.register(
        "storage",
        TIMEOUT_MS,
        promise -> {
          if (bucket.isPresent()) {
            bucket(bucket.get(), promise);
          } else {
            blocking(
                vertx,
                promise,
                () -> storage(config.storage().artifacts(), config.storage().minFreeBytes()));
          }
        });
    if (config.role().runsWorkers()) {
      checks.register(
          "ffmpeg",
          TIMEOUT_MS,
          promise ->
              blocking(
                  vertx,
                  promise,
                  () ->
                      ffmpeg(
                          config.media().toolSearchPath(),
                          config.media().ffmpegPath(),
                          config.media().ffprobePath())));
      checks.register(
          "heif",
          TIMEOUT_MS,
          promise ->
              blocking(
                  vertx,
                  promise,
                  () -> heif(config.media().toolSearchPath(), config.media().heifConvertPath())));
    }
    return checks;
  }

  private static void database(Pool pool, Promise<Status> promise) {
    pool.query("SELECT 1")
        .execute()
        .onSuccess(rows -> promise.tryComplete(Status.OK()))
        .onFailure(e -> promise.tryComplete(Status.KO(new JsonObject().put("error", message(e)))));
  }

  /** The bucket answers a listing with the configured credentials. */
  private static void bucket(Bucket bucket, Promise<Status> promise) {
    JsonObject data = new JsonObject().put("bucket", bucket.client().settings().bucket());
    bucket
        .probe()
        .onSuccess(v -> promise.tryComplete(Status.OK(data)))
        .onFailure(e -> promise.tryComplete(Status.KO(data.put("error", message(e)))));
  }

  /** A job active more than one lease past its lease's end: nobody reaps, so no worker is alive. */
  private static void queue(JobStore jobs, Promise<Status> promise) {
    jobs.overdue(jobs.lease())
        .onSuccess(
            n ->
                promise.tryComplete(
                    n == 0
                        ? Status.OK()
                        : Status.KO(
                            new JsonObject()
                                .put("stuckJobs", n)
                                .put("error", "jobs are stuck past their lease"))))
        .onFailure(e -> promise.tryComplete(Status.KO(new JsonObject().put("error", message(e)))));
  }

  /** The storage folder takes a file and keeps at least {@code minFree} bytes free. */
  static Status storage(Path folder, long minFree) {
    try {
      Files.createDirectories(folder);
      Path probe = Files.createTempFile(folder, ".health-", ".tmp");
      Files.delete(probe);
      long free = Files.getFileStore(folder).getUsableSpace();
      JsonObject data = new JsonObject().put("freeMb", free / (1024 * 1024));
      return free >= minFree
          ? Status.OK(data)
          : Status.KO(data.put("error", "less than " + minFree / (1024 * 1024) + " MB free"));
    } catch (IOException | SecurityException e) {
      return Status.KO(new JsonObject().put("error", "storage is not writable: " + message(e)));
    }
  }

  /**
   * The video tools can be run: each is an executable path, or a name found in {@code searchPath}.
   */
  static Status tools(List<Path> searchPath, String... commands) {
    List<String> missing = new ArrayList<>();
    for (String command : commands) {
      if (!executable(searchPath, command)) {
        missing.add(command);
      }
    }
    return missing.isEmpty()
        ? Status.OK()
        : Status.KO(
            new JsonObject()
                .put("error", "not found or not executable: " + String.join(", ", missing)));
  }

  /**
   * ffmpeg and ffprobe are there, and ffmpeg has every feature the video step uses. The features
   * are looked up once, in the background from the first check on; until they are known the check
   * says so and stays UP.
   */
  static Status ffmpeg(List<Path> searchPath, String ffmpeg, String ffprobe) {
    Status tools = tools(searchPath, ffmpeg, ffprobe);
    if (!tools.isOk()) {
      return tools;
    }
    try {
      List<String> missing =
          FfmpegFeatures.inBackground(ffmpeg).get(FEATURES_WAIT_MS, TimeUnit.MILLISECONDS);
      return missing.isEmpty()
          ? Status.OK()
          : Status.KO(
              new JsonObject()
                  .put(
                      "error",
                      ffmpeg
                          + " lacks "
                          + String.join(", ", missing)
                          + " (HDR and 10-bit videos need zscale and tonemap; ffmpeg 5.1 or newer"
                          + " with libx264 is needed)"));
    } catch (TimeoutException e) {
      return Status.OK(new JsonObject().put("features", "being checked"));
    } catch (ExecutionException e) {
      return Status.KO(new JsonObject().put("error", message(e.getCause())));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Status.KO(new JsonObject().put("error", "interrupted"));
    }
  }

  /**
   * libheif's decoder: without it only HEIC and AVIF photos are refused (with a message saying so),
   * so it is reported but never makes the service DOWN.
   */
  static Status heif(List<Path> searchPath, String command) {
    return executable(searchPath, command)
        ? Status.OK(new JsonObject().put("heicAvif", "enabled"))
        : Status.OK(
            new JsonObject()
                .put(
                    "heicAvif",
                    "disabled: "
                        + command
                        + " not found or not executable (HEIC and AVIF photos are refused)"));
  }

  private static boolean executable(List<Path> searchPath, String command) {
    if (command.contains(File.separator)) {
      return Files.isExecutable(Path.of(command));
    }
    return searchPath.stream().anyMatch(dir -> Files.isExecutable(dir.resolve(command)));
  }

  private static void blocking(
      Vertx vertx, Promise<Status> promise, java.util.concurrent.Callable<Status> check) {
    vertx
        .executeBlocking(check, false)
        .onComplete(
            ar ->
                promise.tryComplete(
                    ar.succeeded()
                        ? ar.result()
                        : Status.KO(new JsonObject().put("error", message(ar.cause())))));
  }

  private static String message(Throwable e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
