package com.arservice.pipeline;

import com.arservice.common.Addresses;
import com.arservice.common.ServiceException;
import com.arservice.media.MediaException;
import com.arservice.metrics.Metrics;
import com.arservice.project.CompileResult;
import com.arservice.project.ProjectMessages.Find;
import com.arservice.project.ProjectMessages.Processing;
import com.arservice.project.ProjectMessages.Ready;
import com.arservice.project.ProjectMessages.Step;
import com.arservice.project.ProjectSpec;
import com.arservice.project.ProjectStore;
import com.arservice.project.StoredProject;
import com.arservice.queue.Job;
import com.arservice.queue.JobFailure;
import com.arservice.queue.JobStore;
import com.arservice.storage.ArtifactStore;
import com.arservice.storage.UploadStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
  private final UploadStore uploads;
  private final ArtifactStore store;
  private final String workerId;
  private final Duration pollInterval;
  private Metrics metrics;
  private boolean stopping;

  /** The claim-and-compile round in progress, if any; stopping waits for it. */
  private Future<Boolean> round;

  public CompileVerticle(
      JobStore jobs,
      CompilePipeline pipeline,
      UploadStore uploads,
      ArtifactStore store,
      String workerId,
      Duration pollInterval) {
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
    // The job in hand finishes (a database reply may still be on its way) before the pool goes
    // away.
    stopping = true;
    return round == null ? Future.succeededFuture() : round.otherwiseEmpty();
  }

  private void poll() {
    if (round != null || stopping) {
      return;
    }
    round =
        jobs.fetch(ProjectStore.COMPILE_QUEUE, workerId, 1)
            .compose(
                claimed ->
                    claimed.isEmpty()
                        ? Future.succeededFuture(false)
                        : process(claimed.get(0)).map(true));
    round.onComplete(
        ar -> {
          round = null;
          if (ar.failed()) {
            LOG.warn("Compile worker: {}", ar.cause().getMessage());
          } else if (ar.result()) {
            poll();
          }
        });
  }

  private Future<Void> process(Job job) {
    UUID id = UUID.fromString(job.data().getString("projectId"));
    send(id, Addresses.PROJECT_PROCESSING, new Processing(id, job.retryCount()));
    long t0 = System.nanoTime();
    return vertx
        .eventBus()
        .<StoredProject>request(Addresses.PROJECT_GET, new Find(id, false))
        .map(Message::body)
        .compose(project -> outcome(job, id, project))
        .onSuccess(
            outcome ->
                metrics.compileFinished(
                    outcome instanceof Ready ? "ready" : "failed",
                    (System.nanoTime() - t0) / 1_000_000))
        .compose(
            outcome ->
                report(
                    id,
                    outcome instanceof Ready ? Addresses.PROJECT_READY : Addresses.PROJECT_FAILED,
                    outcome))
        .onComplete(ar -> jobs.release(job.id()));
  }

  /**
   * Tells the projects verticle how the attempt ended. While the database is unreachable this tries
   * again every few seconds (the job keeps its lease), so a finished compilation is not thrown
   * away; a definite answer (the job was lost to another worker) or a stop ends the attempt, and
   * the job, no longer renewed, is retried after its lease.
   */
  private Future<Void> report(UUID id, String address, Record message) {
    return vertx
        .eventBus()
        .request(address, message)
        .<Void>mapEmpty()
        .recover(
            e -> {
              if (stopping || !unreachable(e)) {
                return Future.failedFuture(e);
              }
              LOG.warn(
                  "Project {}: the outcome could not be recorded ({}); trying again",
                  id,
                  e.getMessage());
              Promise<Void> retried = Promise.promise();
              vertx.setTimer(
                  REPORT_RETRY_MS, timer -> report(id, address, message).onComplete(retried));
              return retried.future();
            });
  }

  /** An unexpected failure (the database is away) or no answer in time, rather than a refusal. */
  private static boolean unreachable(Throwable e) {
    return e instanceof ReplyException r
        && (r.failureType() == ReplyFailure.TIMEOUT
            || r.failureType() == ReplyFailure.RECIPIENT_FAILURE
                && r.failureCode() == ServiceException.Code.INTERNAL.ordinal());
  }

  /**
   * Runs the pipeline on this worker thread, then publishes its artifacts; the outcome is a {@link
   * Ready} or a {@link JobFailure}.
   */
  private Future<Record> outcome(Job job, UUID id, StoredProject project) {
    Path work = null;
    Path inputs = null;
    boolean publishing = false;
    try {
      work = store.newWorkFolder(id);
      inputs = store.newWorkFolder(id);
      ProjectSpec spec = spec(id, project, inputs, job.data().getString("mode"));
      final Path folder = work;
      CompileResult result =
          pipeline.run(
              spec,
              folder,
              event -> {
                if (event.durationMs() != null) {
                  metrics.compileStep(event.step(), event.status(), event.durationMs());
                }
                send(id, Addresses.PROJECT_STEP, new Step(id, event));
              },
              () -> jobs.pastExpiry(job));
      publishing = true;
      return store
          .publish(id, folder)
          .<Record>map(
              v -> {
                LOG.info("Project {} compiled in {} ms", id, result.compilationTimeMs());
                return new Ready(id, result, job.id(), workerId);
              })
          .recover(e -> removeLeftObjects(id, storageFailure(job, id, e)))
          .andThen(done -> store.discard(folder));
    } catch (PipelineException e) {
      LOG.info("Project {} attempt {} failed: {}", id, job.retryCount() + 1, e.getMessage());
      return failed(job, id, failure(job, id, e.getMessage(), e.isTransient()));
    } catch (ServiceException e) {
      return failed(job, id, failure(job, id, e.getMessage(), false));
    } catch (IOException e) {
      return failed(job, id, storageFailure(job, id, e));
    } finally {
      store.discard(inputs);
      if (!publishing) {
        store.discard(work);
      }
    }
  }

  /**
   * A failed attempt after earlier ones: what an earlier attempt may have published before it
   * crashed goes (the next attempt publishes everything again).
   */
  private Future<Record> failed(Job job, UUID id, JobFailure failure) {
    return job.retryCount() == 0 ? Future.succeededFuture(failure) : removeLeftObjects(id, failure);
  }

  /** Removes what a failed publish (this one, or an earlier attempt's) left; best effort. */
  private Future<Record> removeLeftObjects(UUID id, JobFailure failure) {
    return store
        .delete(id)
        .<Record>map(n -> failure)
        .recover(
            e -> {
              LOG.warn("Project {}: earlier artifacts not removed: {}", id, e.getMessage());
              return Future.succeededFuture(failure);
            });
  }

  private JobFailure storageFailure(Job job, UUID id, Throwable e) {
    LOG.warn("Project {}: storage failed: {}", id, e.getMessage());
    return failure(
        job,
        id,
        e instanceof IOException io && MediaException.isDiskFull(io)
            ? MediaException.DISK_FULL
            : "The project's files could not be stored; it will be tried again",
        true);
  }

  private JobFailure failure(Job job, UUID id, String message, boolean transientFailure) {
    return new JobFailure(id, message, transientFailure, job.id(), workerId);
  }

  /** What to compile; {@code mode} is the marker mode a recompile asked for, or null. */
  private ProjectSpec spec(UUID id, StoredProject project, Path inputs, String mode)
      throws IOException {
    List<StoredProject.Item> items = project.targets();
    return new ProjectSpec(
        id,
        resolve("photoUrls", items, StoredProject.Item::photoUrl, inputs),
        resolve("videoUrls", items, StoredProject.Item::videoUrl, inputs),
        resolve("maskUrls", items, StoredProject.Item::maskUrl, inputs),
        project.shapeType(),
        project.viewUrl(),
        project.config(),
        mode);
  }

  /**
   * The resolved uploads of one kind (fetched into {@code inputs} from the bucket where they are
   * there); a kind that the items do not have is empty.
   */
  private List<Path> resolve(
      String field,
      List<StoredProject.Item> items,
      Function<StoredProject.Item, String> url,
      Path inputs)
      throws IOException {
    List<Path> out = new ArrayList<>();
    for (StoredProject.Item item : items) {
      if (url.apply(item) != null) {
        out.add(uploads.fetch(field, url.apply(item), inputs));
      }
    }
    return out;
  }

  /**
   * Fire-and-forget: the projects verticle applies a project's messages in the order they were
   * sent.
   */
  private void send(UUID id, String address, Record body) {
    vertx
        .eventBus()
        .request(address, body)
        .onFailure(e -> LOG.warn("{} for {} was not recorded: {}", address, id, e.getMessage()));
  }
}
