package com.arservice.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.arservice.config.ConfigKeys;
import com.arservice.config.DatabaseUrl;
import com.arservice.mind.quality.QualityPhotos;
import com.arservice.mind.quality.QualityReport;
import com.arservice.project.ProjectStore;
import com.arservice.queue.JobOptions;
import com.arservice.queue.JobStore;
import com.arservice.testing.Await;
import com.arservice.testing.BlockedThreadWatch;
import com.arservice.testing.PostgresExtension;
import com.arservice.testing.SettableClock;
import com.arservice.testing.WebhookReceiver;
import com.arservice.webhook.WebhookStore;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Webhooks with the whole service running: a real compile, the admin routes, a restart. */
@ExtendWith({PostgresExtension.class, BlockedThreadWatch.class})
class WebhookServiceTest {
  private static final String SECRET = "shop-webhook-secret";
  private static final String TOKEN = "admin-token";
  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void aCompiledProjectNotifiesTheBackendAndTheAdminCanListAndRedeliver(
      @TempDir Path dir, DatabaseUrl db) throws Exception {
    WebhookReceiver receiver = WebhookReceiver.start(vertx, 0, Clock.systemUTC(), SECRET);
    try (ServiceHarness service =
        withBackend(
            dir,
            db,
            receiver,
            Map.of(ConfigKeys.API_TOKEN, TOKEN, ConfigKeys.WEBHOOK_RETRY_SCHEDULE, "PT0.2S"))) {
      HttpResponse<String> accepted =
          service.post(
              "/compile",
              new JsonObject()
                  .put("userId", "user-5")
                  .put("photoUrl", service.uploadPhoto("landscape-800x640.jpg", "p.jpg"))
                  .encode(),
              "Authorization",
              "Bearer " + TOKEN);
      assertEquals(202, accepted.statusCode(), accepted.body());
      String id = new JsonObject(accepted.body()).getString("projectId");
      Await.until("both events arrive", () -> receiver.acceptedIds().size() == 2);
      List<JsonObject> bodies =
          receiver.received().stream().map(r -> new JsonObject(r.body())).toList();
      JsonObject complete =
          bodies.stream()
              .filter(b -> b.getString("event").equals(WebhookStore.COMPILATION_COMPLETE))
              .findFirst()
              .orElseThrow()
              .getJsonObject("data");
      assertEquals(id, complete.getString("projectId"));
      assertEquals("https://shop.example/ar/view/" + id, complete.getString("viewUrl"));
      assertEquals("ready", complete.getString("status"));
      JsonObject quality = complete.getJsonObject("quality");
      assertTrue(quality.getInteger("score") >= QualityReport.GOOD, quality.encode());
      assertFalse(quality.containsKey("warning"), "a good photo has no warning");
      JsonObject reported =
          new JsonObject(service.get("/status/" + id, "Authorization", "Bearer " + TOKEN).body())
              .getJsonArray("targets")
              .getJsonObject(0)
              .getJsonObject("quality");
      assertEquals(reported.getInteger("score"), quality.getInteger("score"));
      assertEquals(reported.getJsonArray("advice"), quality.getJsonArray("advice"));
      assertEquals(1, quality.getJsonArray("targets").size());
      JsonObject email =
          bodies.stream()
              .filter(b -> b.getString("event").equals(WebhookStore.EMAIL_REQUEST))
              .findFirst()
              .orElseThrow()
              .getJsonObject("data");
      assertEquals("user-5", email.getString("userId"));
      assertEquals("ar_ready", email.getString("emailType"));

      assertEquals(401, service.get("/admin/webhooks").statusCode());
      assertEquals(
          400,
          service
              .get("/admin/webhooks?state=lost", "Authorization", "Bearer " + TOKEN)
              .statusCode());
      // The receiver answers before the service records the delivery: wait for the record.
      Await.until("both deliveries are recorded", () -> delivered(service, id).size() == 2);
      JsonArray events = delivered(service, id);
      assertTrue(
          service
              .get("/metrics")
              .body()
              .contains("ar_webhook_deliveries_total{outcome=\"delivered\"} 2.0"));
      String webhookId = events.getJsonObject(0).getString("id");

      HttpResponse<String> again =
          service.post(
              "/admin/webhooks/" + webhookId + "/redeliver",
              "",
              "Authorization",
              "Bearer " + TOKEN);
      assertEquals(202, again.statusCode(), again.body());
      Await.until(
          "the event arrives again",
          () -> Collections.frequency(receiver.acceptedIds(), webhookId) == 2);
      assertEquals(
          404,
          service
              .post(
                  "/admin/webhooks/" + UUID.randomUUID() + "/redeliver",
                  "",
                  "Authorization",
                  "Bearer " + TOKEN)
              .statusCode());
    }
  }

  @Test
  void aHopelessPhotoStillBecomesReadyWithAWarningInItsLogAndWebhook(
      @TempDir Path dir, DatabaseUrl db) throws Exception {
    WebhookReceiver receiver = WebhookReceiver.start(vertx, 0, Clock.systemUTC(), SECRET);
    try (ServiceHarness service = withBackend(dir, db, receiver, Map.of())) {
      Files.createDirectories(service.uploads);
      QualityPhotos.writePng(QualityPhotos.tiles(), service.uploads.resolve("tiles.png"));
      String id =
          service
              .compile(
                  new JsonObject().put("userId", "u").put("photoUrl", "/objects/uploads/tiles.png"))
              .getString("projectId");

      JsonObject status = service.awaitFinished(id, Duration.ofSeconds(120));
      assertEquals("ready", status.getString("status"), status.encode());
      JsonObject quality = status.getJsonArray("targets").getJsonObject(0).getJsonObject("quality");
      int score = quality.getInteger("score");
      assertTrue(score < QualityReport.POOR, quality.encode());
      String warning = quality.getString("warning");
      assertTrue(warning.startsWith("The photo scores " + score + " of 100"), warning);
      assertEquals(warning, service.completedStep(id, "quality").getString("warning"));

      Await.until("both events arrive", () -> receiver.acceptedIds().size() == 2);
      JsonObject complete =
          receiver.received().stream()
              .map(r -> new JsonObject(r.body()))
              .filter(b -> b.getString("event").equals(WebhookStore.COMPILATION_COMPLETE))
              .findFirst()
              .orElseThrow()
              .getJsonObject("data");
      assertEquals("ready", complete.getString("status"));
      assertEquals(score, complete.getJsonObject("quality").getInteger("score"));
      assertEquals(warning, complete.getJsonObject("quality").getString("warning"));
    }
  }

  /** The service, sending its webhooks to {@code receiver}, with {@code more} settings. */
  private static ServiceHarness withBackend(
      Path dir, DatabaseUrl db, WebhookReceiver receiver, Map<String, Object> more)
      throws Exception {
    Map<String, Object> settings = new HashMap<>(more);
    settings.put(ConfigKeys.BACKEND_URL, receiver.url());
    settings.put(ConfigKeys.BACKEND_WEBHOOK_SECRET, SECRET);
    return new ServiceHarness(dir, db, Clock.systemUTC(), settings);
  }

  private static JsonArray delivered(ServiceHarness service, String projectId) {
    try {
      HttpResponse<String> listed =
          service.get(
              "/admin/webhooks?projectId=" + projectId + "&state=delivered",
              "Authorization",
              "Bearer " + TOKEN);
      assertEquals(200, listed.statusCode());
      return new JsonObject(listed.body()).getJsonArray("webhooks");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void anEventCommittedBeforeTheServiceStoppedIsDeliveredAfterRestart(
      @TempDir Path dir, DatabaseUrl db) throws Exception {
    SettableClock clock = new SettableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    Map<String, Object> settings =
        Map.of(
            ConfigKeys.BACKEND_URL,
            "http://127.0.0.1:" + port,
            ConfigKeys.BACKEND_WEBHOOK_SECRET,
            SECRET,
            ConfigKeys.WEBHOOK_RETRY_SCHEDULE,
            "PT1H");
    UUID id = UUID.randomUUID();
    try (ServiceHarness first = new ServiceHarness(dir.resolve("first"), db, clock, settings)) {
      Pool pool = first.app.pool();
      // The state change commits with its event while the backend is down.
      failProject(pool, clock, id, "The photo is unreadable");
      Await.until("the first attempt failed", () -> attempts(pool, id) == 1);
    }
    WebhookReceiver receiver = WebhookReceiver.start(vertx, port, clock, SECRET);
    clock.advance(Duration.ofHours(2));
    try (ServiceHarness second = new ServiceHarness(dir.resolve("second"), db, clock, settings)) {
      Await.until("the event is delivered", () -> receiver.acceptedIds().size() == 1);
      JsonObject body = new JsonObject(receiver.received().get(0).body());
      assertEquals(WebhookStore.COMPILATION_FAILED, body.getString("event"));
      assertEquals("The photo is unreadable", body.getJsonObject("data").getString("errorMessage"));
      assertTrue(receiver.received().get(0).verified());
      Await.until("the delivery is recorded", () -> attempts(second.app.pool(), id) == 2);
      assertEquals(1, receiver.received().size());
    }
  }

  @Test
  void withTheSecretHeaderOffDeliveriesCarryOnlyTheSignatures(@TempDir Path dir, DatabaseUrl db)
      throws Exception {
    WebhookReceiver receiver = WebhookReceiver.start(vertx, 0, Clock.systemUTC(), SECRET);
    try (ServiceHarness service =
        withBackend(dir, db, receiver, Map.of(ConfigKeys.WEBHOOK_SECRET_HEADER, false))) {
      failProject(service.app.pool(), Clock.systemUTC(), UUID.randomUUID(), "Unreadable");
      Await.until("the event is delivered", () -> receiver.acceptedIds().size() == 1);
      WebhookReceiver.Request delivery = receiver.received().get(0);
      assertTrue(delivery.verified(), "the signature still proves it");
      assertNull(delivery.secretHeader(), "the secret does not travel");
    }
  }

  /** A processing project that fails, committing its failure event as the pipeline does. */
  private static void failProject(Pool pool, Clock clock, UUID id, String message) {
    pool.preparedQuery(
            "INSERT INTO ar_projects (id, user_id, photo_url, status) VALUES ($1, 'u', 'p', 'processing')")
        .execute(Tuple.of(id))
        .await();
    new ProjectStore(
            pool,
            new JobStore(pool, clock, Duration.ofSeconds(30), () -> 1.0),
            new WebhookStore(pool, clock, true),
            clock,
            JobOptions.DEFAULTS)
        .markError(id, message)
        .await();
  }

  private static int attempts(Pool pool, UUID projectId) {
    return pool.preparedQuery(
            "SELECT coalesce(sum(attempts), 0)::int AS n FROM ar_webhook_events WHERE project_id = $1")
        .execute(Tuple.of(projectId))
        .await()
        .iterator()
        .next()
        .getInteger("n");
  }
}
