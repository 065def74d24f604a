package com.arservice.cleanup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.arservice.analytics.AnalyticsStore;
import com.arservice.config.DatabaseUrl;
import com.arservice.db.PgPool;
import com.arservice.metrics.Metrics;
import com.arservice.project.ProjectStore;
import com.arservice.project.ProjectVerticle;
import com.arservice.project.UploadPaths;
import com.arservice.queue.JobOptions;
import com.arservice.queue.JobStore;
import com.arservice.storage.ArtifactStore;
import com.arservice.storage.Bucket;
import com.arservice.storage.LocalArtifactStore;
import com.arservice.storage.S3ArtifactStore;
import com.arservice.storage.S3Client;
import com.arservice.storage.UploadStore;
import com.arservice.testing.BlockedThreadWatch;
import com.arservice.testing.PostgresExtension;
import com.arservice.testing.S3Server;
import com.arservice.testing.SettableClock;
import com.arservice.testing.TestConfig;
import com.arservice.webhook.WebhookStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Demo cleanup ticks, driven by calling them with a clock moved by hand. */
@ExtendWith({PostgresExtension.class, BlockedThreadWatch.class})
class CleanupTest {
  private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");
  private final SettableClock clock = new SettableClock(START);
  private final List<Vertx> instances = new ArrayList<>();
  private final List<Optional<Bucket>> buckets = new ArrayList<>();
  private Path storage;
  private Path uploads;
  private DatabaseUrl db;
  private Pool pool;

  @BeforeEach
  void setUp(@TempDir Path dir, DatabaseUrl db) {
    this.storage = dir.resolve("ar-storage");
    this.uploads = dir.resolve("uploads");
    this.db = db;
  }

  @AfterEach
  void stop() {
    instances.forEach(v -> v.close().await());
  }

  @Test
  void theNextTickFollowsTheCronScheduleFromTheClock() {
    CleanupVerticle cleanup = instance("a");
    assertEquals(Instant.parse("2026-03-02T02:00:00Z"), cleanup.nextTick(clock.instant()));
    assertEquals(
        Instant.parse("2026-03-03T02:00:00Z"),
        cleanup.nextTick(Instant.parse("2026-03-02T02:00:00Z")));
  }

  @Test
  void onlyExpiredFinishedDemosAreDeletedAndEachOnce() throws Exception {
    CleanupVerticle cleanup = instance("a");
    UUID expired = project(true, "ready", START.minus(Duration.ofHours(1)));
    UUID expiredInError = project(true, "error", START.minus(Duration.ofMinutes(1)));
    UUID fresh = project(true, "ready", START.plus(Duration.ofDays(2)));
    UUID stillCompiling = project(true, "processing", START.minus(Duration.ofHours(1)));
    UUID customer = project(false, "ready", null);

    Instant tick = cleanup.nextTick(clock.instant());
    clock.advance(Duration.between(clock.instant(), tick));
    JsonObject first = cleanup.runTick(tick).await();
    assertTrue(first.getBoolean("ran"));
    assertEquals(sorted(expired, expiredInError), sorted(first.getJsonArray("deleted")));
    assertFalse(Files.exists(storage.resolve(expired.toString())));
    assertFalse(Files.exists(storage.resolve(expiredInError.toString())));
    for (UUID kept : List.of(fresh, stillCompiling, customer)) {
      assertTrue(
          Files.exists(storage.resolve(kept.toString()).resolve("index.html")),
          kept + " keeps its files");
    }
    assertEquals("deleted", status(expired));
    assertEquals("ready", status(fresh));
    assertEquals(
        List.of(expired.toString(), expiredInError.toString()).stream().sorted().toList(),
        deletedEvents());

    assertFalse(cleanup.runTick(tick).await().getBoolean("ran"), "a tick runs once");
    MeterRegistry metrics = Metrics.of(instances.get(0)).registry();
    assertEquals(
        1.0,
        metrics.get("ar.cleanup.runs").tag("outcome", "ok").counter().count(),
        "a run is counted");
    assertEquals(2.0, metrics.get("ar.cleanup.deleted.projects").counter().count());
    Instant next = cleanup.nextTick(tick);
    clock.advance(Duration.between(clock.instant(), next));
    JsonObject second = cleanup.runTick(next).await();
    assertTrue(second.getBoolean("ran"));
    assertTrue(
        second.getJsonArray("deleted").isEmpty(), "nothing left to delete: " + second.encode());
    assertEquals(2, deletedEvents().size(), "no second ar.project.deleted");
  }

  @Test
  void withABucketAnExpiredDemosObjectsGoByPrefixAndEveryOtherProjectsStay(@TempDir Path dir)
      throws Exception {
    try (S3Server s3 = S3Server.start(dir.resolve("s3"))) {
      CleanupVerticle cleanup = instance("a", s3);
      Bucket bucket = buckets.get(0).orElseThrow();
      UUID expired = project(true, "ready", START.minus(Duration.ofHours(1)));
      UUID customer = project(false, "ready", null);
      for (UUID id : List.of(expired, customer)) {
        for (String file : List.of("index.html", "video-0.mp4")) {
          bucket.put(bucket.projectPrefix(id) + file, Buffer.buffer(file), "text/plain").await();
        }
      }
      Instant tick = cleanup.nextTick(clock.instant());
      clock.advance(Duration.between(clock.instant(), tick));
      JsonObject run = cleanup.runTick(tick).await();
      assertEquals(List.of(expired.toString()), run.getJsonArray("deleted").getList());
      assertEquals(List.of(), s3.keys("ar-storage/" + expired + "/"));
      assertEquals(2, s3.keys("ar-storage/" + customer + "/").size(), "a customer's project stays");
      assertEquals("deleted", status(expired));
    }
  }

  @Test
  void onlyOneOfTwoInstancesActsOnATick() {
    CleanupVerticle a = instance("a");
    CleanupVerticle b = instance("b");
    UUID expired = project(true, "ready", START.minus(Duration.ofHours(1)));
    Instant tick = a.nextTick(clock.instant());
    clock.advance(Duration.between(clock.instant(), tick));

    List<JsonObject> results = Future.all(a.runTick(tick), b.runTick(tick)).await().list();
    assertEquals(1, results.stream().filter(r -> r.getBoolean("ran")).count(), results.toString());
    assertEquals(List.of(expired.toString()), deletedEvents());
  }

  @Test
  void oldFinishedJobsAndOldDeliveredWebhooksArePurged() {
    CleanupVerticle cleanup = instance("a");
    OffsetDateTime now = OffsetDateTime.ofInstant(START, ZoneOffset.UTC);
    for (Object[] job :
        new Object[][] {
          {"completed", now.minusDays(8)},
          {"failed", now.minusDays(1)},
          {"created", now.minusDays(30)}
        }) {
      pool.preparedQuery(
              "INSERT INTO ar_jobs (id, queue, state, data, retry_limit, retry_delay_ms, expire_in_ms, "
                  + "start_after, created_at, completed_at) VALUES ($1, 'ar-compile', $2, '{}', 0, 0, 0, $3, $3, $3)")
          .execute(Tuple.of(UUID.randomUUID(), job[0], job[1]))
          .await();
    }
    for (Object[] event :
        new Object[][] {
          {"delivered", now.minusDays(31)},
          {"delivered", now.minusDays(2)},
          {"failed", now.minusDays(60)}
        }) {
      pool.preparedQuery(
              "INSERT INTO ar_webhook_events (id, event_type, payload, body, state, delivered_at, created_at) "
                  + "VALUES ($1, 'ar.compilation.complete', '{}', '{}', $2, $3, $3)")
          .execute(Tuple.of(UUID.randomUUID(), event[0], event[1]))
          .await();
    }
    JsonObject result = cleanup.runTick(cleanup.nextTick(clock.instant())).await();
    assertEquals(1, result.getInteger("jobsPurged"));
    assertEquals(1, result.getInteger("webhooksPurged"));
    assertEquals(2L, count(pool, "SELECT count(*) FROM ar_jobs"));
    assertEquals(
        2L,
        count(pool, "SELECT count(*) FROM ar_webhook_events"),
        "failed events stay for the admin");
  }

  @Test
  void viewerCountsOfDaysPastTheirRetentionArePurged() {
    CleanupVerticle cleanup = instance("a");
    UUID project = project(false, "ready", null);
    LocalDate today = LocalDate.ofInstant(START, ZoneOffset.UTC);
    for (LocalDate day : List.of(today.minusDays(401), today.minusDays(400), today)) {
      pool.preparedQuery(
              "INSERT INTO ar_viewer_days (project_id, day, device, counts, ready_ms, found_ms)"
                  + " VALUES ($1, $2, 'ios-webkit', '{1}', '{}', '{}')")
          .execute(Tuple.of(project, day))
          .await();
    }
    JsonObject result = cleanup.runTick(cleanup.nextTick(clock.instant())).await();
    assertEquals(1, result.getInteger("viewerRowsPurged"), "older than 400 days");
    assertEquals(2L, count(pool, "SELECT count(*) FROM ar_viewer_days"));
  }

  @Test
  void whatCrashedCompilationsLeftIsRemovedOnceUntouchedForLongerThanAnAttemptMayRun()
      throws Exception {
    CleanupVerticle cleanup = instance("a");
    Path work = storage.resolve(".work");
    Path crashed = folder(work.resolve(UUID.randomUUID() + "-4242"), Duration.ofMinutes(11));
    Path replaced =
        folder(work.resolve(UUID.randomUUID() + "-replaced-123456789"), Duration.ofHours(3));
    Path running = folder(work.resolve(UUID.randomUUID() + "-77"), Duration.ofMinutes(11));
    touch(running.resolve("video-0.mp4"), Duration.ofMinutes(1));
    Path foreign = folder(work.resolve("operator-notes"), Duration.ofDays(30));

    JsonObject result = cleanup.runTick(cleanup.nextTick(clock.instant())).await();
    assertEquals(2, result.getInteger("leftoversRemoved"), result.encode());
    assertFalse(Files.exists(crashed));
    assertFalse(Files.exists(replaced));
    assertTrue(
        Files.exists(running.resolve("video-0.mp4")),
        "a file written a minute ago: a compile is running");
    assertTrue(Files.exists(foreign.resolve("file.txt")), "a name the service did not generate");
  }

  @Test
  void uploadsPastTheirRetentionAreDeletedUnlessAnUnfinishedProjectUsesThem() throws Exception {
    CleanupVerticle cleanup = instance("a");
    Duration old = Duration.ofDays(8);
    Path unused = touch(uploads.resolve(UUID.randomUUID() + ".jpg"), old);
    Path pending = touch(uploads.resolve(UUID.randomUUID() + ".mp4"), old);
    Path processing = touch(uploads.resolve(UUID.randomUUID() + ".png"), old);
    Path ofAReadyProject = touch(uploads.resolve(UUID.randomUUID() + ".jpg"), old);
    Path recent = touch(uploads.resolve(UUID.randomUUID() + ".webm"), Duration.ofDays(6));
    Path namedByTheBackend = touch(uploads.resolve("holiday.jpg"), old);
    Path unknownType = touch(uploads.resolve(UUID.randomUUID() + ".txt"), old);
    Path halfReceived =
        touch(uploads.resolve(".incoming").resolve(UUID.randomUUID().toString()), old);
    Path receiving =
        touch(uploads.resolve(".incoming").resolve(UUID.randomUUID().toString()), Duration.ZERO);
    uses(project(false, "pending", null), "/objects/uploads/p.jpg", url(pending));
    uses(project(false, "processing", null), url(processing), null);
    uses(project(false, "ready", null), url(ofAReadyProject), null);

    JsonObject result = cleanup.runTick(cleanup.nextTick(clock.instant())).await();
    assertEquals(3, result.getInteger("uploadsRemoved"), result.encode());
    for (Path gone : List.of(unused, ofAReadyProject, halfReceived)) {
      assertFalse(Files.exists(gone), gone + " is deleted");
    }
    for (Path kept :
        List.of(pending, processing, recent, namedByTheBackend, unknownType, receiving)) {
      assertTrue(Files.exists(kept), kept + " is kept");
    }
  }

  /** A folder with one file, both last modified {@code age} before now. */
  private Path folder(Path folder, Duration age) throws java.io.IOException {
    touch(folder.resolve("file.txt"), age);
    Files.setLastModifiedTime(
        folder, java.nio.file.attribute.FileTime.from(clock.instant().minus(age)));
    return folder;
  }

  /** A file last modified {@code age} before now (creating it and its folders). */
  private Path touch(Path file, Duration age) throws java.io.IOException {
    Files.createDirectories(file.getParent());
    if (!Files.exists(file)) {
      Files.writeString(file, "x");
    }
    Files.setLastModifiedTime(
        file, java.nio.file.attribute.FileTime.from(clock.instant().minus(age)));
    return file;
  }

  private static String url(Path upload) {
    return "/objects/uploads/" + upload.getFileName();
  }

  /** Gives a project an item with these uploads. */
  private void uses(UUID project, String photoUrl, String videoUrl) {
    pool()
        .preparedQuery(
            "INSERT INTO ar_project_items (project_id, item_index, photo_url, video_url, created_at) "
                + "VALUES ($1, 0, $2, $3, $4)")
        .execute(
            Tuple.of(project, photoUrl, videoUrl, OffsetDateTime.ofInstant(START, ZoneOffset.UTC)))
        .await();
  }

  /**
   * A service instance: its own Vert.x with the project and cleanup verticles, on the shared
   * database.
   */
  private CleanupVerticle instance(String name) {
    return instance(name, null);
  }

  /** An instance whose artifacts and uploads are in the bucket of {@code s3} (null: folders). */
  private CleanupVerticle instance(String name, S3Server s3) {
    Vertx vertx = Vertx.vertx();
    instances.add(vertx);
    Pool pool = PgPool.create(vertx, db, 2);
    if (this.pool == null) {
      this.pool = pool;
    }
    JobStore jobs = new JobStore(pool, clock, Duration.ofSeconds(30), () -> 1.0);
    WebhookStore webhooks = new WebhookStore(pool, clock, false);
    vertx
        .deployVerticle(
            new ProjectVerticle(
                new ProjectStore(pool, jobs, webhooks, clock, JobOptions.DEFAULTS),
                Duration.ofHours(24)))
        .await();
    LocalArtifactStore folder = new LocalArtifactStore(vertx, storage);
    Optional<Bucket> bucket =
        Optional.ofNullable(s3)
            .map(
                server ->
                    new Bucket(
                        vertx,
                        new S3Client(
                            vertx,
                            TestConfig.create(storage, server.settings())
                                .storage()
                                .s3()
                                .orElseThrow())));
    buckets.add(bucket);
    CleanupVerticle cleanup =
        new CleanupVerticle(
            new CleanupStore(pool, clock),
            jobs,
            webhooks,
            bucket.<ArtifactStore>map(b -> new S3ArtifactStore(b, folder)).orElse(folder),
            new UploadStore(vertx, new UploadPaths(uploads), bucket),
            "0 2 * * *",
            Duration.ofDays(7),
            Duration.ofDays(30),
            Duration.ofMinutes(10),
            Duration.ofDays(7),
            new AnalyticsStore(pool, webhooks, clock),
            Duration.ofDays(400),
            name,
            clock);
    vertx.deployVerticle(cleanup).await();
    return cleanup;
  }

  private Pool pool() {
    return pool;
  }

  /** A project row with an artifact folder. */
  private UUID project(boolean demo, String status, Instant expiresAt) {
    UUID id = UUID.randomUUID();
    pool()
        .preparedQuery(
            "INSERT INTO ar_projects (id, user_id, photo_url, status, is_demo, expires_at, created_at) "
                + "VALUES ($1, 'u', '/objects/uploads/p.jpg', $2, $3, $4, $5)")
        .execute(
            Tuple.of(
                id,
                status,
                demo,
                expiresAt == null ? null : OffsetDateTime.ofInstant(expiresAt, ZoneOffset.UTC),
                OffsetDateTime.ofInstant(START.minus(Duration.ofDays(1)), ZoneOffset.UTC)))
        .await();
    try {
      Files.createDirectories(storage.resolve(id.toString()).resolve("sub"));
      Files.writeString(storage.resolve(id.toString()).resolve("index.html"), "<html>");
      Files.writeString(storage.resolve(id.toString()).resolve("sub").resolve("x.bin"), "x");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return id;
  }

  private String status(UUID id) {
    return pool()
        .preparedQuery("SELECT status FROM ar_projects WHERE id = $1")
        .execute(Tuple.of(id))
        .await()
        .iterator()
        .next()
        .getString("status");
  }

  /** Project ids of the ar.project.deleted events, sorted. */
  private List<String> deletedEvents() {
    List<String> out = new ArrayList<>();
    pool()
        .preparedQuery("SELECT project_id FROM ar_webhook_events WHERE event_type = $1")
        .execute(Tuple.of(WebhookStore.PROJECT_DELETED))
        .await()
        .forEach(r -> out.add(r.getUUID("project_id").toString()));
    out.sort(null);
    return out;
  }

  private static long count(Pool pool, String sql) {
    return pool.query(sql).execute().await().iterator().next().getLong(0);
  }

  private static List<String> sorted(UUID... ids) {
    return java.util.Arrays.stream(ids).map(UUID::toString).sorted().toList();
  }

  private static List<String> sorted(JsonArray ids) {
    return ids.stream().map(String.class::cast).sorted().toList();
  }
}
