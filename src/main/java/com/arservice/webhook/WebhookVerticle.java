package com.arservice.webhook;

import com.arservice.common.Addresses;
import com.arservice.common.ServiceException;
import com.arservice.common.ServiceException.Code;
import com.arservice.db.PgPool;
import com.arservice.metrics.Metrics;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the webhook outbox to the shop backend: claims due events (several instances never send
 * the same one at once), posts each with its signature headers, and records the outcome. Woken by
 * {@code NOTIFY} when an event is committed, by a timer when the next retry falls due, and by a
 * poll. Also answers the admin list and redeliver requests.
 */
public final class WebhookVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookVerticle.class);

  /** The old service's 10 s limit per attempt. */
  private static final long TIMEOUT_MS = 10_000;

  /**
   * Longer than an attempt can take, so a live sender never loses its event to another instance.
   */
  private static final Duration LEASE = Duration.ofSeconds(60);

  private static final int BATCH = 20;
  private static final int LIST_LIMIT = 200;

  private final WebhookStore store;
  private final URI endpoint;
  private final WebhookSigner signer;
  private final RetryPolicy policy;
  private final PgConnectOptions listenOptions;
  private final String owner;
  private final Duration pollInterval;
  private final Clock clock;
  private WebClient client;
  private PgSubscriber subscriber;
  private Future<?> pass = Future.succeededFuture();
  private boolean running;
  private boolean again;
  private boolean stopped;
  private long timer = -1;

  /**
   * @param endpoint where events are posted; null = events are only recorded
   * @param owner names this instance on the events it holds
   */
  public WebhookVerticle(
      WebhookStore store,
      URI endpoint,
      WebhookSigner signer,
      RetryPolicy policy,
      PgConnectOptions listenOptions,
      String owner,
      Duration pollInterval,
      Clock clock) {
    this.store = store;
    this.endpoint = endpoint;
    this.signer = signer;
    this.policy = policy;
    this.listenOptions = listenOptions;
    this.owner = owner;
    this.pollInterval = pollInterval;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    Future<?> consumers =
        Future.all(
            vertx.eventBus().<JsonObject>consumer(Addresses.WEBHOOK_LIST, this::list).completion(),
            vertx
                .eventBus()
                .<JsonObject>consumer(Addresses.WEBHOOK_REDELIVER, this::redeliver)
                .completion());
    if (endpoint == null) {
      LOG.info("BACKEND_URL is not set: webhook events are recorded, not sent");
      return consumers;
    }
    client =
        WebClient.create(
            vertx,
            new WebClientOptions().setFollowRedirects(false).setUserAgent("ar-service-webhooks"));
    subscriber =
        PgPool.listener(vertx, listenOptions, WebhookStore.CHANNEL, payload -> deliverDue());
    // The poll covers the time the LISTEN connection is down.
    Future<?> listening =
        subscriber
            .connect()
            .recover(
                e -> {
                  LOG.warn(
                      "LISTEN connection for webhooks failed ({}); falling back to polling",
                      e.getMessage());
                  return Future.succeededFuture();
                });
    return Future.all(consumers, listening).onSuccess(v -> deliverDue());
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    vertx.cancelTimer(timer);
    // The attempts in flight finish and are recorded; their events are not left under a lease.
    return pass.transform(r -> subscriber == null ? Future.succeededFuture() : subscriber.close())
        .andThen(
            r -> {
              if (client != null) {
                client.close();
              }
            });
  }

  /** Runs one delivery pass now, or right after the one in progress. */
  private void deliverDue() {
    if (stopped) {
      return;
    }
    if (running) {
      again = true;
      return;
    }
    running = true;
    again = false;
    vertx.cancelTimer(timer);
    pass =
        store
            .claim(owner, LEASE, BATCH)
            .compose(
                claimed ->
                    Future.join(claimed.stream().map(this::deliver).toList()).map(claimed.size()))
            .onComplete(this::passDone);
  }

  private void passDone(AsyncResult<Integer> result) {
    running = false;
    if (result.failed()) {
      LOG.warn("Webhook delivery pass failed: {}", result.cause().getMessage());
    }
    if (again || (result.succeeded() && result.result() == BATCH)) {
      deliverDue();
      return;
    }
    store
        .nextDue()
        .onComplete(
            due -> {
              long delay = pollInterval.toMillis();
              if (due.succeeded() && due.result().isPresent()) {
                delay =
                    Math.max(
                        1,
                        Math.min(
                            delay,
                            Duration.between(clock.instant(), due.result().get()).toMillis()));
              }
              if (!stopped && !running) {
                vertx.cancelTimer(timer);
                timer = vertx.setTimer(delay, id -> deliverDue());
              }
            });
  }

  /** One attempt: posts the stored body and records what came back; never fails. */
  private Future<Void> deliver(WebhookStore.Claimed event) {
    long timestamp = clock.instant().getEpochSecond();
    String id = event.id().toString();
    HttpRequest<Buffer> request =
        client
            .postAbs(endpoint.toString())
            .timeout(TIMEOUT_MS)
            .followRedirects(false)
            .putHeader("Content-Type", "application/json")
            .putHeader("webhook-id", id)
            .putHeader("webhook-timestamp", Long.toString(timestamp));
    signer
        .signature(id, timestamp, event.body())
        .ifPresent(s -> request.putHeader("webhook-signature", s));
    signer.secretHeader().ifPresent(s -> request.putHeader("X-Webhook-Secret", s));
    return request
        .sendBuffer(Buffer.buffer(event.body()))
        .transform(sent -> record(event, sent))
        .otherwise(
            e -> {
              LOG.warn("Recording webhook {} attempt failed: {}", id, e.getMessage());
              return null;
            });
  }

  private Future<Void> record(WebhookStore.Claimed event, AsyncResult<HttpResponse<Buffer>> sent) {
    int attempt = event.attempts() + 1;
    if (sent.succeeded() && sent.result().statusCode() / 100 == 2) {
      LOG.info("Webhook {} {} delivered (attempt {})", event.event(), event.id(), attempt);
      Metrics.of(vertx).webhookDelivered("delivered");
      return store.recordAttempt(
          event.id(),
          owner,
          true,
          sent.result().statusCode(),
          sent.result().bodyAsString(),
          null,
          null);
    }
    Integer status = sent.succeeded() ? sent.result().statusCode() : null;
    String body = sent.succeeded() ? sent.result().bodyAsString() : null;
    String error =
        sent.succeeded()
            ? "the backend answered " + status
            : String.valueOf(sent.cause().getMessage());
    Optional<Instant> next =
        policy.next(
            attempt,
            status,
            sent.succeeded() ? sent.result().getHeader("Retry-After") : null,
            clock.instant());
    Metrics.of(vertx).webhookDelivered(next.isPresent() ? "retry" : "failed");
    if (next.isPresent()) {
      LOG.warn(
          "Webhook {} {} attempt {} failed ({}); next at {}",
          event.event(),
          event.id(),
          attempt,
          error,
          next.get());
    } else {
      LOG.warn(
          "Webhook {} {} failed for good after {} attempt(s): {}",
          event.event(),
          event.id(),
          attempt,
          error);
    }
    return store.recordAttempt(event.id(), owner, false, status, body, error, next.orElse(null));
  }

  private void list(Message<JsonObject> m) {
    String project = m.body().getString("projectId");
    String state = m.body().getString("state");
    if (state != null && !WebhookStore.STATES.contains(state)) {
      fail(
          m,
          new ServiceException(
              Code.BAD_REQUEST, "state must be one of " + String.join(", ", WebhookStore.STATES)));
      return;
    }
    Optional<UUID> projectId = uuid(project);
    if (project != null && projectId.isEmpty()) {
      fail(m, new ServiceException(Code.BAD_REQUEST, "projectId must be a project id (UUID)"));
      return;
    }
    store
        .list(projectId.orElse(null), state, LIST_LIMIT)
        .onSuccess(events -> m.reply(new JsonObject().put("webhooks", events)))
        .onFailure(e -> fail(m, e));
  }

  private void redeliver(Message<JsonObject> m) {
    if (endpoint == null) {
      fail(
          m,
          new ServiceException(Code.CONFLICT, "BACKEND_URL is not set, so webhooks are not sent"));
      return;
    }
    Optional<UUID> id = uuid(m.body().getString("id"));
    if (id.isEmpty()) {
      fail(m, new ServiceException(Code.NOT_FOUND, "Webhook event not found"));
      return;
    }
    store
        .redeliver(id.get())
        .compose(
            event ->
                event
                    .map(Future::succeededFuture)
                    .orElseGet(
                        () ->
                            Future.failedFuture(
                                new ServiceException(Code.NOT_FOUND, "Webhook event not found"))))
        .onSuccess(m::reply)
        .onFailure(e -> fail(m, e));
  }

  private static void fail(Message<JsonObject> m, Throwable e) {
    ServiceException.fail(m, e);
  }

  private static Optional<UUID> uuid(String raw) {
    try {
      return raw == null ? Optional.empty() : Optional.of(UUID.fromString(raw));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** {@code $BACKEND_URL/webhooks/ar-service}, the route the shop backend serves. */
  public static URI endpoint(URI backendUrl) {
    return URI.create(backendUrl.toString().replaceAll("/+$", "") + "/webhooks/ar-service");
  }
}
