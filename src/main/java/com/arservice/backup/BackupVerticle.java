package com.arservice.backup;

import com.arservice.common.Addresses;
import com.arservice.config.BackupSettings;
import com.arservice.config.DatabaseUrl;
import com.arservice.metrics.Metrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the backup into {@code AR_BACKUP_DIR}: a base backup of the embedded database at start when
 * the newest one is older than the schedule's interval (or there is none) and then on each tick of
 * {@code AR_BACKUP_SCHEDULE}, each followed by the retention and, once a week, a {@link Verify};
 * and the artifacts and uploads every {@code AR_BACKUP_WAL_INTERVAL}, like the WAL (and a project's
 * artifacts as soon as it changed, so they are in the backup before its row's WAL). The steps run
 * one at a time on a worker thread. With a {@link BackupBucket}, the folder is shipped there every
 * {@link #SHIP_EVERY} (at most the WAL interval) on a worker thread of its own, so that a long base
 * backup delays no WAL, and the bucket's retention runs after the folder's.
 */
public final class BackupVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(BackupVerticle.class);
  static final Duration VERIFY_EVERY = Duration.ofDays(7);
  static final Duration SHIP_EVERY = Duration.ofSeconds(2);

  /** The embedded server to back up: where to connect and its data directory. */
  public record Database(DatabaseUrl url, Path dataDirectory) {}

  private final BackupSettings settings;
  private final BackupFolder folder;
  private final Optional<Database> database;
  private final Optional<FileBackup> files;
  private final Optional<BackupBucket> bucket;
  private final java.util.concurrent.atomic.AtomicBoolean shipping =
      new java.util.concurrent.atomic.AtomicBoolean();
  private final BackupSchedule schedule;
  private final Clock clock;
  private long timer = -1;
  private long periodic = -1;
  private long shipper = -1;
  private boolean shipFailed;

  /**
   * @param database empty with an external database (its backups are its operator's)
   * @param files empty when the artifacts live in a bucket
   * @param bucket where the folder is shipped to, if anywhere
   */
  public BackupVerticle(
      BackupSettings settings,
      Optional<Database> database,
      Optional<FileBackup> files,
      Optional<BackupBucket> bucket,
      Clock clock) {
    this.settings = settings;
    this.folder = new BackupFolder(settings.folder().orElseThrow());
    this.database = database;
    this.files = files;
    this.bucket = bucket;
    this.schedule = new BackupSchedule(settings.schedule());
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    vertx
        .eventBus()
        .<JsonObject>consumer(
            Addresses.BACKUP_NOW,
            message ->
                runBase()
                    .onSuccess(message::reply)
                    .onFailure(e -> message.fail(500, "The backup failed: " + e.getMessage())));
    periodic = vertx.setPeriodic(settings.walInterval().toMillis(), id -> syncFiles());
    if (files.isPresent()) {
      vertx
          .eventBus()
          .<String>localConsumer(
              Addresses.PROJECT_CHANGED,
              m -> blocking("files", () -> files.get().syncProject(m.body())));
    }
    if (bucket.isPresent()) {
      long every = Math.min(SHIP_EVERY.toMillis(), settings.walInterval().toMillis());
      shipper = vertx.setPeriodic(every, id -> ship());
    }
    Instant now = clock.instant();
    vertx
        .executeBlocking(folder::latest, true)
        .onSuccess(
            last -> {
              if (last.isEmpty()
                  || last.get().finished().plus(schedule.interval(now)).isBefore(now)) {
                runBase();
              }
            });
    scheduleAfter(now);
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    vertx.cancelTimer(periodic);
    vertx.cancelTimer(shipper);
    return Future.succeededFuture();
  }

  private void scheduleAfter(Instant previous) {
    Instant now = clock.instant();
    Instant tick = schedule.next(previous.isAfter(now) ? previous : now);
    timer =
        vertx.setTimer(
            Math.max(1, Duration.between(now, tick).toMillis()),
            id -> runBase().onComplete(r -> scheduleAfter(tick)));
  }

  /** One base backup (when the database is ours), the retention, the files, and a due verify. */
  Future<JsonObject> runBase() {
    return blocking(
        "base",
        () -> {
          JsonObject summary = new JsonObject();
          if (database.isPresent()) {
            JsonObject info =
                BaseBackup.take(
                    database.get().url(), database.get().dataDirectory(), folder, clock);
            summary.put("base", info);
            LOG.info(
                "Base backup {} taken: {} file(s), {} bytes",
                info.getString("id"),
                info.getInteger("files"),
                info.getLong("bytes"));
          }
          int pruned = BaseBackup.prune(folder, settings.retention(), clock);
          summary.put("pruned", pruned);
          if (files.isPresent()) {
            summary.put("filesCopied", files.get().sync(settings.retention(), clock));
          }
          if (bucket.isPresent()) {
            summary.put("prunedInBucket", bucket.get().prune(folder, settings.retention(), clock));
          }
          if (database.isPresent() && verifyDue()) {
            JsonObject report = Verify.run(folder, files.isPresent(), clock);
            summary.put("verify", report);
            metric("verify", report.getBoolean("ok"));
            if (report.getBoolean("ok")) {
              LOG.info("Backup verified: {}", report.encode());
            } else {
              LOG.error("Backup verification failed: {}", report.getString("error"));
            }
          }
          return summary;
        });
  }

  private boolean verifyDue() throws java.io.IOException {
    if (!java.nio.file.Files.exists(folder.verifyReport())) {
      return true;
    }
    JsonObject last = new JsonObject(java.nio.file.Files.readString(folder.verifyReport()));
    return Instant.parse(last.getString("at")).plus(VERIFY_EVERY).isBefore(clock.instant());
  }

  private void syncFiles() {
    if (files.isPresent()) {
      blocking("files", () -> files.get().sync(settings.retention(), clock));
    }
  }

  /** Ships the folder to the bucket, unless the previous shipping still runs. */
  private void ship() {
    if (shipping.compareAndSet(false, true)) {
      vertx
          .executeBlocking(() -> bucket.get().ship(folder, clock), false)
          .onComplete(
              r -> {
                if (r.failed() && !shipFailed) {
                  LOG.error("Shipping the backup to the bucket failed: {}", r.cause().toString());
                }
                shipFailed = r.failed();
                shipping.set(false);
                metric("ship", r.succeeded());
              });
    }
  }

  /** Runs {@code step} on a worker thread after the steps before it; records its outcome. */
  private <T> Future<T> blocking(String kind, Callable<T> step) {
    return vertx
        .executeBlocking(step, true)
        .onSuccess(r -> metric(kind, true))
        .onFailure(
            e -> {
              LOG.error("Backup step '{}' failed: {}", kind, e.toString());
              metric(kind, false);
            });
  }

  private void metric(String kind, boolean ok) {
    Metrics.of(vertx).backupRun(kind, ok ? "ok" : "failed", clock.instant().getEpochSecond());
  }
}
