package com.arservice.queue;

import com.arservice.common.Addresses;
import com.arservice.db.PgPool;
import com.arservice.metrics.Metrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue's housekeeping for this process: turns {@code NOTIFY} into local wake-ups for idle
 * workers, renews the leases of the jobs this process runs, and takes back jobs of dead instances
 * or past their expiry. (Old finished jobs are deleted by the cleanup verticle.)
 */
public final class QueueVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(QueueVerticle.class);

  /** What {@code ar_instances.role} says of the processes that run this verticle. */
  private static final String ROLE = "worker";

  private final JobStore jobs;
  private final PgConnectOptions listenOptions;
  private final String queue;
  private final String workerId;
  private final Function<Job, String> failedMessage;
  private PgSubscriber subscriber;

  /**
   * @param failedMessage what to tell the owner of a job that ran out of attempts by expiring
   */
  public QueueVerticle(
      JobStore jobs,
      PgConnectOptions listenOptions,
      String queue,
      String workerId,
      Function<Job, String> failedMessage) {
    this.jobs = jobs;
    this.listenOptions = listenOptions;
    this.queue = queue;
    this.workerId = workerId;
    this.failedMessage = failedMessage;
  }

  @Override
  public Future<?> start() {
    long leaseMs = jobs.lease().toMillis();
    vertx.setPeriodic(
        Math.max(100, leaseMs / 3),
        id -> {
          jobs.heartbeat(workerId)
              .onFailure(e -> LOG.warn("Lease renewal failed: {}", e.getMessage()));
          beat();
        });
    vertx.setPeriodic(Math.max(100, leaseMs / 2), id -> reap());
    beat();
    subscriber =
        PgPool.listener(
            vertx,
            listenOptions,
            JobStore.CHANNEL,
            payload -> {
              if (queue.equals(payload)) {
                vertx.eventBus().publish(Addresses.QUEUE_WAKE, queue);
              }
            });
    // Polling by the workers covers the time the LISTEN connection is down.
    return subscriber
        .connect()
        .recover(
            e -> {
              LOG.warn(
                  "LISTEN connection failed ({}); workers fall back to polling", e.getMessage());
              return Future.succeededFuture();
            });
  }

  @Override
  public Future<?> stop() {
    return subscriber == null ? Future.succeededFuture() : subscriber.close();
  }

  /** The instance's own heartbeat, whether or not it holds jobs, for the console. */
  private void beat() {
    jobs.seen(workerId, ROLE)
        .onFailure(e -> LOG.debug("Recording this instance failed: {}", e.getMessage()));
  }

  private void reap() {
    jobs.reapExpired(workerId)
        .onSuccess(
            reaped -> {
              boolean wake = false;
              for (Job job : reaped) {
                Metrics.of(vertx).jobEnded(job.state().sql());
                if (job.state() == JobState.FAILED) {
                  LOG.warn("Job {} failed for good: it expired", job.id());
                  vertx
                      .eventBus()
                      .request(
                          Addresses.PROJECT_FAILED,
                          JobFailure.ended(
                              UUID.fromString(job.data().getString("projectId")),
                              failedMessage.apply(job)));
                } else {
                  LOG.info(
                      "Job {} taken back for another attempt (worker gone or too slow)", job.id());
                  wake = true;
                }
              }
              if (wake) {
                vertx.eventBus().publish(Addresses.QUEUE_WAKE, queue);
              }
            })
        .onFailure(e -> LOG.warn("Reaping expired jobs failed: {}", e.getMessage()));
  }
}
