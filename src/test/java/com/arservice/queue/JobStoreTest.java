package com.arservice.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.arservice.config.DatabaseUrl;
import com.arservice.db.PgPool;
import com.arservice.testing.PostgresExtension;
import com.arservice.testing.SettableClock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class JobStoreTest {
  private static final String Q = "ar-compile";
  private static final Duration LEASE = Duration.ofSeconds(30);

  private Vertx vertx;
  private Pool pool;
  private SettableClock clock;
  private JobStore store;

  @BeforeEach
  void setUp(DatabaseUrl url) {
    vertx = Vertx.vertx();
    pool = PgPool.create(vertx, url, 8);
    clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));
    store = new JobStore(pool, clock, LEASE, () -> 1.0);
    pool.query("DELETE FROM ar_jobs").execute().await();
  }

  @AfterEach
  void tearDown() {
    vertx.close().await();
  }

  private Job enqueue(JsonObject data, JobOptions options) {
    return pool.withTransaction(tx -> store.enqueue(tx, Q, data, options)).await();
  }

  private Job enqueue(String name) {
    return enqueue(new JsonObject().put("name", name), JobOptions.DEFAULTS);
  }

  @Test
  void aFetchedJobIsActiveAndNotHandedOutAgain() {
    Job job = enqueue("a");
    assertEquals(JobState.CREATED, job.state());
    List<Job> got = store.fetch(Q, "w1", 5).await();
    assertEquals(1, got.size());
    assertEquals(job.id(), got.get(0).id());
    assertEquals(JobState.ACTIVE, got.get(0).state());
    assertEquals("a", got.get(0).data().getString("name"));
    assertTrue(store.fetch(Q, "w2", 5).await().isEmpty());
  }

  @Test
  void higherPriorityComesFirstThenOlderJobs() {
    enqueue("old");
    clock.advance(Duration.ofSeconds(1));
    enqueue("new");
    clock.advance(Duration.ofSeconds(1));
    enqueue(new JsonObject().put("name", "urgent"), JobOptions.DEFAULTS.withPriority(5));
    List<String> order = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      order.add(store.fetch(Q, "w", 1).await().get(0).data().getString("name"));
    }
    assertEquals(List.of("urgent", "old", "new"), order);
  }

  @Test
  void aSingletonKeyKeepsOneLiveJobPerProject() {
    JobOptions opts = JobOptions.DEFAULTS.withSingletonKey("project-1");
    Job first = enqueue(new JsonObject(), opts);
    Job again = enqueue(new JsonObject(), opts);
    assertEquals(first.id(), again.id());
    Job active = store.fetch(Q, "w", 1).await().get(0);
    assertEquals(first.id(), enqueue(new JsonObject(), opts).id(), "still live while active");
    assertTrue(store.complete(active.id(), "w", new JsonObject()).await());
    Job next = enqueue(new JsonObject(), opts);
    assertFalse(next.id().equals(first.id()), "a finished job frees the key");
  }

  @Test
  void aTransientFailureIsRetriedAfterAnExponentiallyGrowingDelay() {
    Job job = enqueue(new JsonObject(), JobOptions.DEFAULTS.withRetry(3, Duration.ofSeconds(60)));
    store.fetch(Q, "w", 1).await();
    assertEquals(Optional.of(JobState.RETRY), store.fail(job.id(), "w", "disk full", true).await());
    clock.advance(Duration.ofSeconds(59));
    assertTrue(store.fetch(Q, "w", 1).await().isEmpty(), "not due before the 60 s delay");
    clock.advance(Duration.ofSeconds(1));
    Job retried = store.fetch(Q, "w", 1).await().get(0);
    assertEquals(1, retried.retryCount());
    store.fail(job.id(), "w", "disk full", true).await();
    clock.advance(Duration.ofSeconds(119));
    assertTrue(store.fetch(Q, "w", 1).await().isEmpty(), "the second delay is doubled");
    clock.advance(Duration.ofSeconds(1));
    assertEquals(2, store.fetch(Q, "w", 1).await().get(0).retryCount());
  }

  @Test
  void jitterSpreadsTheRetryDelay() {
    JobStore jittery = new JobStore(pool, clock, LEASE, () -> 1.25);
    Job job = enqueue(new JsonObject(), JobOptions.DEFAULTS.withRetry(3, Duration.ofSeconds(60)));
    jittery.fetch(Q, "w", 1).await();
    jittery.fail(job.id(), "w", "timeout", true).await();
    clock.advance(Duration.ofSeconds(74));
    assertTrue(jittery.fetch(Q, "w", 1).await().isEmpty());
    clock.advance(Duration.ofSeconds(1));
    assertEquals(1, jittery.fetch(Q, "w", 1).await().size());
  }

  @Test
  void aJobFailsForGoodWhenRetriesRunOutOrTheInputIsBad() {
    Job bad = enqueue(new JsonObject(), JobOptions.DEFAULTS);
    store.fetch(Q, "w", 1).await();
    assertEquals(
        Optional.of(JobState.FAILED), store.fail(bad.id(), "w", "not an image", false).await());

    Job flaky = enqueue(new JsonObject(), JobOptions.DEFAULTS.withRetry(1, Duration.ofSeconds(1)));
    store.fetch(Q, "w", 1).await();
    assertEquals(Optional.of(JobState.RETRY), store.fail(flaky.id(), "w", "io", true).await());
    clock.advance(Duration.ofSeconds(1));
    store.fetch(Q, "w", 1).await();
    assertEquals(Optional.of(JobState.FAILED), store.fail(flaky.id(), "w", "io", true).await());
  }

  @Test
  void twoConsumersNeverClaimTheSameJob() {
    for (int i = 0; i < 40; i++) {
      enqueue("job-" + i);
    }
    List<Future<List<UUID>>> consumers = List.of(drain("w1"), drain("w2"));
    List<UUID> all = new ArrayList<>();
    for (Future<List<UUID>> c : consumers) {
      all.addAll(c.await());
    }
    Set<UUID> distinct = new HashSet<>(all);
    assertEquals(40, all.size(), "every job was claimed");
    assertEquals(40, distinct.size(), "no job was claimed twice");
  }

  @Test
  void aJobLockedByAnotherClaimIsSkippedNotWaitedFor() {
    Job first = enqueue("first");
    clock.advance(Duration.ofSeconds(1));
    Job second = enqueue("second");
    SqlConnection other = pool.getConnection().await();
    try {
      other.begin().await();
      other
          .query("SELECT id FROM ar_jobs WHERE id = '" + first.id() + "' FOR UPDATE")
          .execute()
          .await();
      List<Job> got = store.fetch(Q, "w2", 1).await();
      assertEquals(
          List.of(second.id()),
          got.stream().map(Job::id).toList(),
          "the locked oldest job is skipped");
    } finally {
      other.close().await();
    }
    assertEquals(
        first.id(), store.fetch(Q, "w1", 1).await().get(0).id(), "and is claimable once released");
  }

  /** Claims one job at a time until the queue is empty, completing each. */
  private Future<List<UUID>> drain(String worker) {
    List<UUID> claimed = new ArrayList<>();
    return drainStep(worker, claimed).map(claimed);
  }

  private Future<Void> drainStep(String worker, List<UUID> claimed) {
    return store
        .fetch(Q, worker, 1)
        .compose(
            jobs -> {
              if (jobs.isEmpty()) {
                return Future.succeededFuture();
              }
              claimed.add(jobs.get(0).id());
              return store
                  .complete(jobs.get(0).id(), worker, new JsonObject())
                  .compose(ok -> drainStep(worker, claimed));
            });
  }

  @Test
  void aJobWhoseWorkerDiedIsTakenBackAndCompletesOnceElsewhere() {
    Job job = enqueue(new JsonObject(), JobOptions.DEFAULTS.withRetry(3, Duration.ofSeconds(5)));
    store.fetch(Q, "dead-instance", 1).await();
    clock.advance(LEASE.minusSeconds(1));
    assertTrue(store.reapExpired("reaper").await().isEmpty(), "the lease still holds");
    clock.advance(Duration.ofSeconds(2));
    List<Job> reaped = store.reapExpired("reaper").await();
    assertEquals(1, reaped.size());
    assertEquals(JobState.RETRY, reaped.get(0).state());
    clock.advance(Duration.ofSeconds(5));
    Job again = store.fetch(Q, "live-instance", 1).await().get(0);
    assertEquals(job.id(), again.id());
    assertTrue(store.complete(job.id(), "live-instance", new JsonObject()).await());
    assertFalse(
        store.complete(job.id(), "dead-instance", new JsonObject()).await(),
        "the old worker cannot complete a job it lost");
    assertEquals(Optional.of(JobState.COMPLETED), store.state(job.id()).await());
  }

  @Test
  void heartbeatsKeepALongJobButNotPastItsExpiry() {
    Job job = enqueue(new JsonObject(), JobOptions.DEFAULTS.withExpireIn(Duration.ofMinutes(2)));
    store.fetch(Q, "w", 1).await();
    for (int i = 0; i < 3; i++) {
      clock.advance(Duration.ofSeconds(25));
      assertEquals(1, store.heartbeat("w").await());
      assertTrue(store.reapExpired("reaper").await().isEmpty());
    }
    clock.advance(Duration.ofSeconds(50));
    store.heartbeat("w").await();
    List<Job> reaped = store.reapExpired("reaper").await();
    assertEquals(
        List.of(job.id()), reaped.stream().map(Job::id).toList(), "expired after 2 minutes");
  }

  @Test
  void anAttemptPastItsExpiryIsLeftToItsOwnWorkerForOneLeaseSoItStopsBeforeAnyoneElseStartsIt() {
    Job job = enqueue(new JsonObject(), JobOptions.DEFAULTS.withExpireIn(Duration.ofMinutes(2)));
    Job claimed = store.fetch(Q, "w", 1).await().get(0);
    clock.advance(Duration.ofSeconds(119));
    assertFalse(store.pastExpiry(claimed));
    assertEquals(1, store.heartbeat("w").await());
    clock.advance(Duration.ofSeconds(1));
    assertTrue(store.pastExpiry(claimed));
    assertEquals(0, store.heartbeat("w").await(), "no renewal past the expiry");
    clock.advance(LEASE.minusSeconds(1));
    assertTrue(store.reapExpired("w").await().isEmpty(), "its own worker is still stopping it");
    clock.advance(Duration.ofSeconds(2));
    assertEquals(
        List.of(job.id()),
        store.reapExpired("w").await().stream().map(Job::id).toList(),
        "a worker that cannot stop it loses it a lease after the expiry");
  }

  @Test
  void aJobItsWorkerReleasedUnfinishedIsNoLongerRenewedAndIsReapedAfterItsLease() {
    Job job = enqueue(new JsonObject(), JobOptions.DEFAULTS.withRetry(3, Duration.ofSeconds(5)));
    store.fetch(Q, "w", 1).await();
    assertEquals(1, store.heartbeat("w").await());
    store.release(job.id());
    assertEquals(0, store.heartbeat("w").await());
    clock.advance(LEASE.plusSeconds(1));
    assertEquals(1, store.overdue(Duration.ZERO).await(), "past its lease and not yet reaped");
    assertEquals(
        List.of(job.id()), store.reapExpired("reaper").await().stream().map(Job::id).toList());
    assertEquals(0, store.overdue(Duration.ZERO).await());
  }

  @Test
  void depthCountsJobsByStateAndPurgeDeletesOldFinishedJobs() {
    Job done = enqueue("done");
    clock.advance(Duration.ofSeconds(1));
    enqueue("waiting");
    store.fetch(Q, "w", 1).await();
    store.complete(done.id(), "w", new JsonObject()).await();
    Map<JobState, Integer> depth = store.depth(Q).await();
    assertEquals(1, depth.get(JobState.COMPLETED));
    assertEquals(1, depth.get(JobState.CREATED));
    assertEquals(0, depth.get(JobState.FAILED));
    assertEquals(0, store.purgeFinished(Duration.ofDays(7)).await());
    clock.advance(Duration.ofDays(8));
    assertEquals(1, store.purgeFinished(Duration.ofDays(7)).await());
    assertEquals(0, store.depth(Q).await().get(JobState.COMPLETED));
  }

  @Test
  void aCancelledJobIsNeverHandedOut() {
    Job job = enqueue("x");
    assertTrue(store.cancel(job.id()).await());
    assertTrue(store.fetch(Q, "w", 1).await().isEmpty());
    assertFalse(store.cancel(job.id()).await());
  }
}
