package com.arservice.project;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.arservice.common.ServiceException;
import com.arservice.config.DatabaseUrl;
import com.arservice.db.PgPool;
import com.arservice.queue.Job;
import com.arservice.queue.JobOptions;
import com.arservice.queue.JobState;
import com.arservice.queue.JobStore;
import com.arservice.testing.PostgresExtension;
import com.arservice.testing.SettableClock;
import com.arservice.webhook.WebhookStore;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Each project outcome writes its webhook events in its own transaction, and only then. */
@ExtendWith(PostgresExtension.class)
class ProjectOutboxTest {
  private final SettableClock clock = new SettableClock(Instant.parse("2026-03-01T10:00:00Z"));
  private Vertx vertx;
  private Pool pool;
  private JobStore jobs;
  private ProjectStore projects;

  @BeforeEach
  void start(DatabaseUrl db) {
    vertx = Vertx.vertx();
    pool = PgPool.create(vertx, db, 2);
    jobs = new JobStore(pool, clock, Duration.ofSeconds(30), () -> 1.0);
    projects =
        new ProjectStore(
            pool,
            jobs,
            new WebhookStore(pool, clock, true),
            clock,
            JobOptions.DEFAULTS.withRetry(1, Duration.ofSeconds(1)));
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void aReadyProjectEmitsCompleteAndAnEmailRequestWithTheOldServicesFields() {
    UUID id = create(false);
    Job job = claim();
    projects.finishReady(id, result(id), job.id(), "w").await();

    assertEquals(
        "robust",
        ProjectView.status(projects.find(id).await().orElseThrow()).getString("markerMode"),
        "the status says how the marker was compiled");
    List<JsonObject> events = events(id);
    assertEquals(2, events.size());
    JsonObject complete = events.get(0);
    assertEquals(WebhookStore.COMPILATION_COMPLETE, complete.getString("event"));
    assertEquals(
        new JsonObject()
            .put("projectId", id.toString())
            .put("viewUrl", viewUrl(id))
            .put("qrCodeUrl", "/objects/ar-storage/" + id + "/qr-code.png")
            .put("status", "ready"),
        complete.getJsonObject("data"));
    assertEquals("2026-03-01T10:00:00Z", complete.getString("timestamp"));
    JsonObject email = events.get(1);
    assertEquals(WebhookStore.EMAIL_REQUEST, email.getString("event"));
    assertEquals(
        new JsonObject()
            .put("projectId", id.toString())
            .put("userId", "user-9")
            .put("viewUrl", viewUrl(id))
            .put("emailType", "ar_ready"),
        email.getJsonObject("data"));
  }

  @Test
  void
      anAlbumsCompleteEventAddsEachTargetsQualityTheWeakestScoreAndTheWarningAndStoresTheReports() {
    UUID id =
        create(false, new JsonArray().add("/objects/uploads/a.jpg").add("/objects/uploads/b.jpg"));
    String base = "/objects/ar-storage/" + id + "/";
    JsonArray goodAdvice = advice("good");
    JsonArray poorAdvice = advice("likely-to-fail");
    CompileResult.Quality good = quality(94, goodAdvice, base + "quality-0.png", null);
    CompileResult.Quality poor =
        quality(12, poorAdvice, base + "quality-1.png", "Photo 2 of 2 scores 12 of 100.");
    CompileResult one = result(id);
    CompileResult album =
        new CompileResult(
            one.compilationTimeMs(),
            one.markerMode(),
            one.markerMindUrl(),
            one.viewerHtmlUrl(),
            one.qrCodeUrl(),
            List.of(withQuality(one.first(), good), withQuality(one.first(), poor)));

    projects.finishReady(id, album, claim().id(), "w").await();

    JsonObject data = events(id).get(0).getJsonObject("data");
    assertEquals(
        new JsonObject()
            .put("projectId", id.toString())
            .put("viewUrl", viewUrl(id))
            .put("qrCodeUrl", base + "qr-code.png")
            .put("status", "ready")
            .put(
                "quality",
                new JsonObject()
                    .put("score", 12)
                    .put("stars", 1)
                    .put("advice", poorAdvice)
                    .put(
                        "targets",
                        new JsonArray()
                            .add(
                                new JsonObject()
                                    .put("index", 0)
                                    .put("score", 94)
                                    .put("stars", 5)
                                    .put("advice", goodAdvice))
                            .add(
                                new JsonObject()
                                    .put("index", 1)
                                    .put("score", 12)
                                    .put("stars", 1)
                                    .put("advice", poorAdvice)))
                    .put("warning", "Photo 2 of 2 scores 12 of 100.")),
        data);
    List<StoredProject.Item> items = projects.find(id).await().orElseThrow().targets();
    assertEquals(good.toJson(), items.get(0).quality());
    assertEquals(poor.toJson(), items.get(1).quality());
    assertFalse(items.get(0).quality().containsKey("warning"));
  }

  @Test
  void aCompleteEventWithoutQualityReportsHasTheOldServicesFieldsOnly() {
    UUID id = create(true);
    projects.finishReady(id, result(id), claim().id(), "w").await();
    assertFalse(events(id).get(0).getJsonObject("data").containsKey("quality"));
    assertEquals(null, projects.find(id).await().orElseThrow().targets().get(0).quality());
  }

  private static JsonArray advice(String code) {
    return new JsonArray()
        .add(
            new JsonObject().put("code", code).put("en", code + " (en)").put("ru", code + " (ru)"));
  }

  private static CompileResult.Quality quality(
      int score, JsonArray advice, String heatmapUrl, String warning) {
    return new CompileResult.Quality(
        score,
        (int) Math.round(score / 20.0),
        48,
        new JsonObject().put("all", score / 100.0),
        new JsonObject().put("coverage", 0.5),
        advice,
        heatmapUrl,
        warning);
  }

  private static CompileResult.Target withQuality(CompileResult.Target t, CompileResult.Quality q) {
    return new CompileResult.Target(
        t.photoWidth(),
        t.photoHeight(),
        t.printedWidth(),
        t.printedHeight(),
        t.targetWidth(),
        t.targetHeight(),
        t.keyframes(),
        t.points(),
        t.photoUrl(),
        t.videoUrl(),
        t.maskUrl(),
        t.videoWidth(),
        t.videoHeight(),
        t.videoDurationMs(),
        q,
        t.playback());
  }

  @Test
  void aReadyDemoEmitsNoEmailRequest() {
    UUID id = create(true);
    projects.finishReady(id, result(id), claim().id(), "w").await();
    assertEquals(
        List.of(WebhookStore.COMPILATION_COMPLETE),
        events(id).stream().map(e -> e.getString("event")).toList());
  }

  @Test
  void aWorkerThatLostItsJobWritesNoEvent() {
    UUID id = create(false);
    Job job = claim();
    ServiceException e =
        assertThrows(
            ServiceException.class,
            () -> projects.finishReady(id, result(id), job.id(), "someone-else").await());
    assertEquals(ServiceException.Code.CONFLICT, e.code());
    assertTrue(events(id).isEmpty());
  }

  @Test
  void onlyTheFinalFailureEmitsCompilationFailedAndOnlyOnce() {
    UUID id = create(false);
    assertEquals(
        Optional.of(JobState.RETRY),
        projects.finishFailed(id, "ffmpeg crashed", true, claim().id(), "w").await());
    assertTrue(events(id).isEmpty(), "a retry is not a failure yet");
    clock.advance(Duration.ofMinutes(1));
    assertEquals(
        Optional.of(JobState.FAILED),
        projects.finishFailed(id, "The video could not be read", false, claim().id(), "w").await());
    projects.markError(id, "The video could not be read").await();

    List<JsonObject> events = events(id);
    assertEquals(1, events.size());
    assertEquals(WebhookStore.COMPILATION_FAILED, events.get(0).getString("event"));
    assertEquals(
        new JsonObject()
            .put("projectId", id.toString())
            .put("errorMessage", "The video could not be read")
            .put("status", "error"),
        events.get(0).getJsonObject("data"));
  }

  @Test
  void deletingAProjectEmitsProjectDeletedOnce() {
    UUID id = create(true);
    assertTrue(projects.markDeleted(id, "demo expired").await());
    assertFalse(projects.markDeleted(id, "demo expired").await());
    List<JsonObject> events = events(id);
    assertEquals(1, events.size());
    assertEquals(WebhookStore.PROJECT_DELETED, events.get(0).getString("event"));
    assertEquals("deleted", events.get(0).getJsonObject("data").getString("status"));
    assertEquals(
        "deleted",
        pool.preparedQuery("SELECT status FROM ar_projects WHERE id = $1")
            .execute(Tuple.of(id))
            .await()
            .iterator()
            .next()
            .getString("status"));
  }

  private UUID create(boolean demo) {
    return create(demo, new JsonArray().add("/objects/uploads/p.jpg"));
  }

  private UUID create(boolean demo, JsonArray photoUrls) {
    UUID id = UUID.randomUUID();
    projects
        .create(
            id,
            CompileRequest.parse(
                new JsonObject()
                    .put("userId", "user-9")
                    .put("isDemo", demo)
                    .put("photoUrls", photoUrls)),
            viewUrl(id),
            Duration.ofHours(24))
        .await();
    return id;
  }

  private Job claim() {
    return jobs.fetch(ProjectStore.COMPILE_QUEUE, "w", 1).await().get(0);
  }

  private static String viewUrl(UUID id) {
    return "https://shop.example/ar/view/" + id;
  }

  private static CompileResult result(UUID id) {
    String base = "/objects/ar-storage/" + id + "/";
    return new CompileResult(
        1200,
        "robust",
        base + "marker.mind",
        base + "index.html",
        base + "qr-code.png",
        List.of(
            new CompileResult.Target(
                800,
                640,
                800,
                640,
                800,
                640,
                3,
                120,
                base + "photo-0.jpg",
                null,
                null,
                null,
                null,
                null,
                null,
                null)));
  }

  /**
   * The bodies stored for a project's events, oldest first; each is exactly what every attempt
   * sends.
   */
  private List<JsonObject> events(UUID id) {
    List<JsonObject> out = new ArrayList<>();
    for (Row r :
        pool.preparedQuery(
                "SELECT body, payload, state FROM ar_webhook_events WHERE project_id = $1 "
                    + "ORDER BY created_at, event_type")
            .execute(Tuple.of(id))
            .await()) {
      assertEquals("pending", r.getString("state"));
      JsonObject body = new JsonObject(r.getString("body"));
      assertEquals(r.getJsonObject("payload"), body);
      out.add(body);
    }
    return out;
  }
}
