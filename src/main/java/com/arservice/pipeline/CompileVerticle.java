package com.arservice.pipeline;

import com.arservice.common.Addresses;
import com.arservice.common.ServiceException;
import com.arservice.media.MediaException;
import com.arservice.metrics.Metrics;
import com.arservice.project.CompileRequest;
import com.arservice.project.ProjectSpec;
import com.arservice.project.ProjectStore;
import com.arservice.project.UploadPaths;
import com.arservice.queue.Job;
import com.arservice.queue.JobStore;
import com.arservice.storage.ArtifactStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One compile worker; deployed as a worker-verticle pool, so the pipeline's CPU work and ffmpeg
 * runs never touch an event loop. Each instance claims one job at a time (woken by NOTIFY, with
 * polling as fallback), runs the pipeline, publishes the artifacts and reports the outcome to the
 * projects verticle, which ends the job in the same transaction as the project's change.
 */
public final class CompileVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(CompileVerticle.class);
  private static final long REPORT_RETRY_MS = 2_000;

  private final JobStore jobs;
  private final CompilePipeline pipeline;
  private final UploadPaths uploads;
  private final ArtifactStore store;
  private final String workerId;
  private final Duration pollInterval;
  private Metrics metrics;
  private boolean stopping;
  /** The claim-and-compile round in progress, if any; stopping waits for it. */
  private Future<Boolean> round;

  public CompileVerticle(JobStore jobs, CompilePipeline pipeline, UploadPaths uploads, ArtifactStore store,
                         String workerId, Duration pollInterval) {
    this.jobs = jobs;
    this.pipeline = pipeline;
    this.uploads = uploads;
    this.store = store;
    this.workerId = workerId;
    this.pollInterval = pollInterval;
  }

  @Override
  public Future<?> start() {
    metrics = Metrics.of(vertx);
    vertx.setPeriodic(pollInterval.toMillis(), id -> poll());
    vertx.setTimer(1, id -> poll());
    return vertx.eventBus().<String>consumer(Addresses.QUEUE_WAKE, m -> poll()).completion();
  }

  @Override
  public Future<?> stop() {
    // The job in hand finishes (a database reply may still be on its way) before the pool goes away.
    stopping = true;
    return round == null ? Future.succeededFuture() : round.otherwiseEmpty();
  }

  private void poll() {
    if (round != null || stopping) {
      return;
    }
    round = jobs.fetch(ProjectStore.COMPILE_QUEUE, workerId, 1)
        .compose(claimed -> claimed.isEmpty() ? Future.succeededFuture(false) : process(claimed.get(0)).map(true));
    round.onComplete(ar -> {
      round = null;
      if (ar.failed()) {
        LOG.warn("Compile worker: {}", ar.cause().getMessage());
      } else if (ar.result()) {
        poll();
      }
    });
  }

  private Future<Void> process(Job job) {
    String projectId = job.data().getString("projectId");
    send(Addresses.PROJECT_PROCESSING, new JsonObject().put("projectId", projectId).put("attempt", job.retryCount()));
    long t0 = System.nanoTime();
    return vertx.eventBus().<JsonObject>request(Addresses.PROJECT_GET, new JsonObject().put("projectId", projectId))
        .map(Message::body)
        .compose(project -> outcome(job, project))
        .onSuccess(message -> metrics.compileFinished(message.getBoolean("ready") ? "ready" : "failed",
            (System.nanoTime() - t0) / 1_000_000))
        .compose(message -> report(message.getBoolean("ready") ? Addresses.PROJECT_READY : Addresses.PROJECT_FAILED,
            message.put("jobId", job.id().toString()).put("workerId", workerId)))
        .onComplete(ar -> jobs.release(job.id()));
  }

  /**
   * Tells the projects verticle how the attempt ended. While the database is unreachable this tries
   * again every few seconds (the job keeps its lease), so a finished compilation is not thrown away;
   * a definite answer (the job was lost to another worker) or a stop ends the attempt, and the job,
   * no longer renewed, is retried after its lease.
   */
  private Future<Void> report(String address, JsonObject message) {
    return vertx.eventBus().request(address, message).<Void>mapEmpty().recover(e -> {
      if (stopping || !unreachable(e)) {
        return Future.failedFuture(e);
      }
      LOG.warn("Project {}: the outcome could not be recorded ({}); trying again", message.getString("projectId"),
          e.getMessage());
      Promise<Void> retried = Promise.promise();
      vertx.setTimer(REPORT_RETRY_MS, id -> report(address, message).onComplete(retried));
      return retried.future();
    });
  }

  /** An unexpected failure (the database is away) or no answer in time, rather than a refusal. */
  private static boolean unreachable(Throwable e) {
    return e instanceof ReplyException r && (r.failureType() == ReplyFailure.TIMEOUT
        || r.failureType() == ReplyFailure.RECIPIENT_FAILURE
        && r.failureCode() == ServiceException.Code.INTERNAL.ordinal());
  }

  /** Runs the pipeline on this worker thread; the result is the message for the projects verticle. */
  private Future<JsonObject> outcome(Job job, JsonObject project) {
    UUID id = UUID.fromString(project.getString("id"));
    JsonObject message = new JsonObject().put("projectId", id.toString());
    Path work = null;
    try {
      ProjectSpec spec = spec(id, project);
      work = store.newWorkFolder(id);
      final Path folder = work;
      JsonObject result = pipeline.run(spec, folder, event -> {
        if (event.durationMs() != null) {
          metrics.compileStep(event.step(), event.status(), event.durationMs());
        }
        send(Addresses.PROJECT_STEP, new JsonObject().put("projectId", id.toString()).put("event", event.toJson()));
      }, () -> jobs.pastExpiry(job));
      store.publish(id, folder);
      LOG.info("Project {} compiled in {} ms", id, result.getInteger("compilationTimeMs"));
      return Future.succeededFuture(message.put("ready", true).put("result", result));
    } catch (PipelineException e) {
      LOG.info("Project {} attempt {} failed: {}", id, job.retryCount() + 1, e.getMessage());
      return Future.succeededFuture(message.put("ready", false).put("errorMessage", e.getMessage())
          .put("transient", e.isTransient()));
    } catch (ServiceException e) {
      return Future.succeededFuture(message.put("ready", false).put("errorMessage", e.getMessage())
          .put("transient", false));
    } catch (IOException e) {
      LOG.warn("Project {}: storage failed", id, e);
      return Future.succeededFuture(message.put("ready", false).put("transient", true)
          .put("errorMessage", MediaException.isDiskFull(e) ? MediaException.DISK_FULL
              : "The project's files could not be stored; it will be tried again"));
    } finally {
      store.discard(work);
    }
  }

  private ProjectSpec spec(UUID id, JsonObject project) {
    CompileRequest request = CompileRequest.fromJson(new JsonObject()
        .put("userId", project.getString("userId")).put("config", project.getJsonObject("config"))
        .put("shapeType", project.getString("shapeType"))
        .put("photoUrls", urls(project, "photoUrl")).put("videoUrls", urls(project, "videoUrl"))
        .put("maskUrls", urls(project, "maskUrl")));
    return new ProjectSpec(id, resolve("photoUrls", request.photoUrls()), resolve("videoUrls", request.videoUrls()),
        resolve("maskUrls", request.maskUrls()), request.shapeType(), project.getString("viewUrl"), request.config());
  }

  private static JsonArray urls(JsonObject project, String key) {
    JsonArray out = new JsonArray();
    project.getJsonArray("targets").forEach(t -> {
      String url = ((JsonObject) t).getString(key);
      if (url != null) {
        out.add(url);
      }
    });
    return out;
  }

  private List<Path> resolve(String field, List<String> urls) {
    List<Path> out = new ArrayList<>();
    for (String url : urls) {
      out.add(uploads.resolve(field, url));
    }
    return out;
  }

  /** Fire-and-forget: the projects verticle applies a project's messages in the order they were sent. */
  private void send(String address, JsonObject body) {
    vertx.eventBus().request(address, body)
        .onFailure(e -> LOG.warn("{} for {} was not recorded: {}", address, body.getString("projectId"), e.getMessage()));
  }
}
