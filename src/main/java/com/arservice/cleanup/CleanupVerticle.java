package com.arservice.cleanup;

import com.arservice.analytics.AnalyticsStore;
import com.arservice.common.Addresses;
import com.arservice.metrics.Metrics;
import com.arservice.project.ProjectMessages.Delete;
import com.arservice.project.ProjectMessages.ExpiredDemos;
import com.arservice.project.ProjectMessages.ProjectIds;
import com.arservice.project.ProjectMessages.Uploads;
import com.arservice.project.ProjectMessages.UploadsInUse;
import com.arservice.queue.JobStore;
import com.arservice.storage.ArtifactStore;
import com.arservice.storage.UploadStore;
import com.arservice.webhook.WebhookStore;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Demo cleanup on a cron schedule: on each tick (run by one instance only) deletes the storage
 * folder of every expired demo, marks it deleted (which emits {@code ar.project.deleted}), purges
 * finished queue jobs and delivered webhook events past their retention, removes what crashed
 * compilations left (work and replaced folders untouched for longer than a compile attempt may
 * run), deletes uploads past their retention that no unfinished project uses and viewer counts of
 * days past theirs. Only files and folders named the way the service names them are ever deleted.
 * Ticks are computed from the injected clock, in UTC.
 */
public final class CleanupVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(CleanupVerticle.class);
  private static final CronParser CRON =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  private static final int BATCH = 100;

  private final CleanupStore store;
  private final JobStore jobs;
  private final WebhookStore webhooks;
  private final ArtifactStore artifacts;
  private final UploadStore uploads;
  private final Duration leftoverAge;
  private final Duration uploadRetention;
  private final AnalyticsStore analytics;
  private final Duration analyticsRetention;
  private final ExecutionTime schedule;
  private final Duration jobRetention;
  private final Duration webhookRetention;
  private final String instance;
  private final Clock clock;
  private long timer = -1;

  /**
   * @param schedule a 5-field cron expression (already validated by the configuration)
   * @param leftoverAge how long a work folder must be untouched to be a crash's leftover: the
   *     longest a compile attempt may run
   * @param instance names this instance in the record of each tick it runs
   */
  public CleanupVerticle(
      CleanupStore store,
      JobStore jobs,
      WebhookStore webhooks,
      ArtifactStore artifacts,
      UploadStore uploads,
      String schedule,
      Duration jobRetention,
      Duration webhookRetention,
      Duration leftoverAge,
      Duration uploadRetention,
      AnalyticsStore analytics,
      Duration analyticsRetention,
      String instance,
      Clock clock) {
    this.store = store;
    this.jobs = jobs;
    this.webhooks = webhooks;
    this.artifacts = artifacts;
    this.uploads = uploads;
    this.leftoverAge = leftoverAge;
    this.uploadRetention = uploadRetention;
    this.analytics = analytics;
    this.analyticsRetention = analyticsRetention;
    this.schedule = ExecutionTime.forCron(CRON.parse(schedule));
    this.jobRetention = jobRetention;
    this.webhookRetention = webhookRetention;
    this.instance = instance;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    scheduleAfter(clock.instant());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }

  /** The first tick of the schedule strictly after {@code time}. */
  public Instant nextTick(Instant time) {
    return schedule
        .nextExecution(time.atZone(ZoneOffset.UTC))
        .map(ZonedDateTime::toInstant)
        .orElseThrow(() -> new IllegalStateException("the cleanup schedule has no next execution"));
  }

  private void scheduleAfter(Instant previous) {
    Instant now = clock.instant();
    Instant tick = nextTick(previous.isAfter(now) ? previous : now);
    long delay = Math.max(1, Duration.between(now, tick).toMillis());
    timer = vertx.setTimer(delay, id -> runTick(tick).onComplete(r -> scheduleAfter(tick)));
  }

  /**
   * Runs the cleanup of {@code tick} unless another instance claimed it first. Answers {@code {ran,
   * deleted: [ids], jobsPurged, webhooksPurged, leftoversRemoved, uploadsRemoved}}.
   */
  public Future<JsonObject> runTick(Instant tick) {
    return store
        .claim(tick, instance)
        .compose(
            claimed -> {
              if (!claimed) {
                return Future.succeededFuture(new JsonObject().put("ran", false));
              }
              JsonObject summary = new JsonObject().put("ran", true);
              return deleteExpiredDemos()
                  .compose(
                      deleted -> {
                        summary.put("deleted", deleted);
                        return jobs.purgeFinished(jobRetention);
                      })
                  .compose(
                      n -> {
                        summary.put("jobsPurged", n);
                        return webhooks.purgeDelivered(webhookRetention);
                      })
                  .compose(
                      n -> {
                        summary.put("webhooksPurged", n);
                        Instant now = clock.instant();
                        return artifacts.removeLeftovers(now.minus(leftoverAge));
                      })
                  .compose(
                      n -> {
                        summary.put("leftoversRemoved", n);
                        return removeStaleUploads();
                      })
                  .compose(
                      n -> {
                        summary.put("uploadsRemoved", n);
                        return analytics.purge(
                            LocalDate.ofInstant(
                                clock.instant().minus(analyticsRetention), ZoneOffset.UTC));
                      })
                  .compose(
                      n -> store.finish(tick, summary.put("viewerRowsPurged", n), webhookRetention))
                  .map(
                      v -> {
                        LOG.info(
                            "Cleanup of {}: deleted {} expired demo(s) {}, purged {} finished job(s), {} delivered "
                                + "webhook event(s) and {} row(s) of viewer counts, removed {} crashed attempt"
                                + " folder(s) and {} old upload(s)",
                            tick,
                            summary.getJsonArray("deleted").size(),
                            summary.getJsonArray("deleted"),
                            summary.getInteger("jobsPurged"),
                            summary.getInteger("webhooksPurged"),
                            summary.getInteger("viewerRowsPurged"),
                            summary.getInteger("leftoversRemoved"),
                            summary.getInteger("uploadsRemoved"));
                        Metrics.of(vertx).cleanupRun("ok", summary.getJsonArray("deleted").size());
                        return summary;
                      })
                  .onFailure(
                      e -> {
                        LOG.error("Cleanup of {} stopped: {}", tick, e.getMessage());
                        Metrics.of(vertx).cleanupRun("failed", 0);
                      });
            });
  }

  /**
   * Uploads past their retention that no pending or processing project uses. A compile request
   * naming such an old file in the moment between the two would find it gone and fail as bad input.
   */
  private Future<Integer> removeStaleUploads() {
    Instant before = clock.instant().minus(uploadRetention);
    return vertx
        .eventBus()
        .<Uploads>request(Addresses.PROJECT_UPLOADS_IN_USE, new UploadsInUse())
        .map(reply -> reply.body().urls())
        .compose(inUse -> uploads.removeStale(before, inUse));
  }

  /** Deletes expired demos batch by batch; returns the ids deleted. */
  private Future<JsonArray> deleteExpiredDemos() {
    JsonArray deleted = new JsonArray();
    return nextBatch(deleted).map(deleted);
  }

  private Future<Void> nextBatch(JsonArray deleted) {
    return vertx
        .eventBus()
        .<ProjectIds>request(Addresses.PROJECT_EXPIRED_DEMOS, new ExpiredDemos(BATCH))
        .map(reply -> reply.body().ids())
        .compose(
            ids -> {
              Future<Void> chain = Future.succeededFuture();
              for (UUID id : ids) {
                chain =
                    chain
                        .compose(v -> deleteDemo(id))
                        .map(
                            done -> {
                              deleted.add(id.toString());
                              return null;
                            });
              }
              return ids.size() == BATCH ? chain.compose(v -> nextBatch(deleted)) : chain;
            });
  }

  /** Files first, then the row: a crash in between leaves a project the next tick deletes again. */
  private Future<Void> deleteDemo(UUID id) {
    return artifacts
        .delete(id)
        .compose(
            files ->
                vertx
                    .eventBus()
                    .request(Addresses.PROJECT_DELETE, new Delete(id, "demo expired"))
                    .map(files))
        .map(
            files -> {
              LOG.info("Deleted expired demo {} ({} file(s))", id, files);
              return null;
            });
  }
}
