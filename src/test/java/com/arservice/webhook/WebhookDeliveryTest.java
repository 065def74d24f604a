package com.arservice.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.arservice.common.Addresses;
import com.arservice.common.ServiceException;
import com.arservice.config.DatabaseUrl;
import com.arservice.db.PgPool;
import com.arservice.testing.Await;
import com.arservice.testing.BlockedThreadWatch;
import com.arservice.testing.PostgresExtension;
import com.arservice.testing.SettableClock;
import com.arservice.testing.WebhookReceiver;
import com.arservice.testing.WebhookReceiver.Answer;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The webhook verticle against a receiver on loopback that verifies what it gets. */
@ExtendWith({PostgresExtension.class, BlockedThreadWatch.class})
class WebhookDeliveryTest {
  private static final String SECRET = "s3cret-of-the-shop";
  private Vertx vertx;
  private Pool pool;
  private DatabaseUrl db;

  @BeforeEach
  void start(DatabaseUrl db) {
    this.db = db;
    vertx = Vertx.vertx();
    pool = PgPool.create(vertx, db, 4);
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void aDeliveryCarriesTheSecretHeaderAndASignatureOverTheExactBody() {
    Clock clock = Clock.systemUTC();
    WebhookReceiver receiver = WebhookReceiver.start(vertx, 0, clock, SECRET);
    WebhookStore store = new WebhookStore(pool, clock, true);
    deploy(store, receiver.url(), List.of(SECRET), "PT0.2S", "a", clock);
    UUID projectId = UUID.randomUUID();
    UUID id =
        add(
            store,
            WebhookStore.COMPILATION_COMPLETE,
            projectId,
            new JsonObject().put("projectId", projectId.toString()).put("status", "ready"));

    Await.until("the event is delivered", () -> "delivered".equals(row(id).getString("state")));
    WebhookReceiver.Request r = receiver.received().get(0);
    assertEquals("/webhooks/ar-service", r.path());
    assertEquals(id.toString(), r.id());
    assertTrue(r.verified(), "the receiver's own verifier accepts the signature");
    assertEquals(SECRET, r.secretHeader());
    JsonObject body = new JsonObject(r.body());
    assertEquals(WebhookStore.COMPILATION_COMPLETE, body.getString("event"));
    assertEquals("ready", body.getJsonObject("data").getString("status"));
    assertTrue(Instant.parse(body.getString("timestamp")).isBefore(Instant.now().plusSeconds(1)));

    List<String> secrets = List.of(SECRET);
    assertFalse(
        WebhookReceiver.verify(
            secrets,
            r.id(),
            r.timestamp(),
            r.signature(),
            r.body().replace("ready", "error"),
            clock),
        "a tampered body is refused");
    assertFalse(
        WebhookReceiver.verify(
            secrets,
            r.id(),
            r.timestamp(),
            r.signature(),
            r.body(),
            Clock.offset(clock, Duration.ofMinutes(10))),
        "a signature ten minutes old is refused");
    assertFalse(
        WebhookReceiver.verify(
            List.of("another"), r.id(), r.timestamp(), r.signature(), r.body(), clock));
    Row row = row(id);
    assertEquals(1, row.getInteger("attempts"));
    assertEquals(200, row.getInteger("response_status"));
  }

  @Test
  void eventsSentWhileTheReceiverIsDownArriveLaterExactlyOncePerWebhookId() throws Exception {
    Clock clock = Clock.systemUTC();
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    WebhookStore store = new WebhookStore(pool, clock, true);
    String url = "http://127.0.0.1:" + port;
    String schedule = String.join(",", java.util.Collections.nCopies(50, "PT0.2S"));
    // Two instances deliver from the same outbox.
    deploy(store, url, List.of(SECRET), schedule, "instance-a", clock);
    deploy(store, url, List.of(SECRET), schedule, "instance-b", clock);
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(
          add(
              store,
              WebhookStore.COMPILATION_FAILED,
              UUID.randomUUID(),
              new JsonObject().put("n", i)));
    }
    Await.until(
        "each event failed twice",
        () -> ids.stream().allMatch(id -> row(id).getInteger("attempts") >= 2));

    WebhookReceiver receiver = WebhookReceiver.start(vertx, port, clock, SECRET);
    Await.until(
        "every event is delivered",
        () -> ids.stream().allMatch(id -> "delivered".equals(row(id).getString("state"))));
    List<String> expected = new ArrayList<>(ids.stream().map(UUID::toString).toList());
    List<String> accepted = new ArrayList<>(receiver.acceptedIds());
    expected.sort(null);
    accepted.sort(null);
    assertEquals(expected, accepted, "one accepted request per webhook-id");
    assertEquals(3, receiver.received().size(), "no request after delivery");
    for (UUID id : ids) {
      assertTrue(row(id).getInteger("attempts") >= 3);
    }
  }

  @Test
  void retryAfterSetsTheNextAttemptAndGoneStopsRetrying() {
    SettableClock clock = new SettableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    WebhookReceiver receiver = WebhookReceiver.start(vertx, 0, clock, SECRET);
    AtomicBoolean open = new AtomicBoolean();
    receiver.answer(
        r ->
            r.body().contains("\"gone\"")
                ? Answer.of(410)
                : open.get() ? Answer.of(200) : new Answer(503, Map.of("Retry-After", "120")));
    WebhookStore store = new WebhookStore(pool, clock, true);
    deploy(store, receiver.url(), List.of(SECRET), "PT5S,PT10M", "a", clock);
    UUID later =
        add(
            store,
            WebhookStore.COMPILATION_COMPLETE,
            UUID.randomUUID(),
            new JsonObject().put("kind", "later"));
    UUID gone =
        add(
            store,
            WebhookStore.COMPILATION_COMPLETE,
            UUID.randomUUID(),
            new JsonObject().put("kind", "gone"));

    Await.until(
        "both were tried",
        () -> row(later).getInteger("attempts") == 1 && row(gone).getInteger("attempts") == 1);
    Row waiting = row(later);
    assertEquals("pending", waiting.getString("state"));
    assertEquals(503, waiting.getInteger("response_status"));
    assertEquals(
        Duration.ofSeconds(120),
        Duration.between(
            waiting.getOffsetDateTime("last_attempt_at"),
            waiting.getOffsetDateTime("next_retry_at")));
    Row stopped = row(gone);
    assertEquals("failed", stopped.getString("state"));
    assertEquals(410, stopped.getInteger("response_status"));
    assertNull(stopped.getOffsetDateTime("next_retry_at"));

    open.set(true);
    clock.advance(Duration.ofSeconds(121));
    Await.until(
        "the waiting event is delivered", () -> "delivered".equals(row(later).getString("state")));
    assertEquals(2, row(later).getInteger("attempts"));
    assertEquals(1, row(gone).getInteger("attempts"), "410 is never retried");
  }

  @Test
  void anEventIsFailedOnceTheScheduleIsUsedUp() {
    Clock clock = Clock.systemUTC();
    WebhookReceiver receiver = WebhookReceiver.start(vertx, 0, clock, SECRET);
    receiver.answer(r -> Answer.of(500));
    WebhookStore store = new WebhookStore(pool, clock, true);
    deploy(store, receiver.url(), List.of(SECRET), "PT0.1S,PT0.1S", "a", clock);
    UUID id = add(store, WebhookStore.EMAIL_REQUEST, UUID.randomUUID(), new JsonObject());
    Await.until("the event fails", () -> "failed".equals(row(id).getString("state")));
    assertEquals(
        3, row(id).getInteger("attempts"), "the first attempt and one per scheduled retry");
    assertEquals("the backend answered 500", row(id).getString("last_error"));
    assertEquals(3, receiver.received().size());
  }

  @Test
  void aRedirectIsNotFollowed() {
    Clock clock = Clock.systemUTC();
    WebhookReceiver receiver = WebhookReceiver.start(vertx, 0, clock, SECRET);
    receiver.answer(
        r ->
            r.path().equals("/elsewhere")
                ? Answer.of(200)
                : new Answer(307, Map.of("Location", receiver.url() + "/elsewhere")));
    WebhookStore store = new WebhookStore(pool, clock, true);
    deploy(store, receiver.url(), List.of(SECRET), "PT1H", "a", clock);
    UUID id = add(store, WebhookStore.COMPILATION_COMPLETE, UUID.randomUUID(), new JsonObject());
    Await.until("one attempt is recorded", () -> row(id).getInteger("attempts") == 1);
    assertEquals(307, row(id).getInteger("response_status"));
    assertEquals("pending", row(id).getString("state"));
    assertEquals(
        List.of("/webhooks/ar-service"),
        receiver.received().stream().map(WebhookReceiver.Request::path).toList());
  }

  @Test
  void duringSecretRotationEverySecretSignsAndTheCurrentOneIsTheSecretHeader() {
    Clock clock = Clock.systemUTC();
    String current = "new-secret";
    String previous =
        "whsec_"
            + Base64.getEncoder().encodeToString("old key bytes".getBytes(StandardCharsets.UTF_8));
    WebhookReceiver stillOnTheOldSecret = WebhookReceiver.start(vertx, 0, clock, previous);
    WebhookStore store = new WebhookStore(pool, clock, true);
    deploy(store, stillOnTheOldSecret.url(), List.of(current, previous), "PT0.2S", "a", clock);
    UUID id = add(store, WebhookStore.COMPILATION_COMPLETE, UUID.randomUUID(), new JsonObject());
    Await.until("the event is delivered", () -> "delivered".equals(row(id).getString("state")));

    WebhookReceiver.Request r = stillOnTheOldSecret.received().get(0);
    assertTrue(r.verified(), "a receiver still on the old secret verifies");
    assertTrue(
        WebhookReceiver.verify(
            List.of(current), r.id(), r.timestamp(), r.signature(), r.body(), clock),
        "a receiver already on the new secret verifies");
    assertEquals(
        2, Arrays.stream(r.signature().split(" ")).filter(s -> s.startsWith("v1,")).count());
    assertEquals(current, r.secretHeader());
  }

  @Test
  void withoutABackendEventsAreRecordedAndNotSent() {
    Clock clock = Clock.systemUTC();
    WebhookStore store = new WebhookStore(pool, clock, false);
    vertx
        .deployVerticle(
            new WebhookVerticle(
                store,
                null,
                new WebhookSigner(List.of(), true),
                policy("PT1S"),
                PgPool.connectOptions(db),
                "a",
                Duration.ofMillis(100),
                clock))
        .await();
    UUID id = add(store, WebhookStore.PROJECT_DELETED, UUID.randomUUID(), new JsonObject());
    assertEquals("recorded", row(id).getString("state"));
    JsonObject listed =
        vertx
            .eventBus()
            .<JsonObject>request(Addresses.WEBHOOK_LIST, new JsonObject().put("state", "recorded"))
            .await()
            .body();
    assertEquals(id.toString(), listed.getJsonArray("webhooks").getJsonObject(0).getString("id"));
    ReplyException refused =
        assertThrows(
            ReplyException.class,
            () ->
                vertx
                    .eventBus()
                    .request(Addresses.WEBHOOK_REDELIVER, new JsonObject().put("id", id.toString()))
                    .await());
    assertEquals(ServiceException.Code.CONFLICT.ordinal(), refused.failureCode());
  }

  private void deploy(
      WebhookStore store,
      String backendUrl,
      List<String> secrets,
      String schedule,
      String owner,
      Clock clock) {
    vertx
        .deployVerticle(
            new WebhookVerticle(
                store,
                WebhookVerticle.endpoint(URI.create(backendUrl)),
                new WebhookSigner(secrets, true),
                policy(schedule),
                PgPool.connectOptions(db),
                owner,
                Duration.ofMillis(100),
                clock))
        .await();
  }

  private static RetryPolicy policy(String schedule) {
    return new RetryPolicy(
        Arrays.stream(schedule.split(",")).map(Duration::parse).toList(), () -> 1.0);
  }

  private UUID add(WebhookStore store, String event, UUID projectId, JsonObject data) {
    return pool.withTransaction(tx -> store.add(tx, event, projectId, data)).await();
  }

  private Row row(UUID id) {
    return pool.preparedQuery("SELECT * FROM ar_webhook_events WHERE id = $1")
        .execute(Tuple.of(id))
        .await()
        .iterator()
        .next();
  }
}
