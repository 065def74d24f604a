package com.arservice.project;

import com.arservice.common.Addresses;
import com.arservice.common.ServiceException;
import com.arservice.common.ServiceException.Code;
import com.arservice.metrics.Metrics;
import com.arservice.queue.JobState;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

/** Persistence of projects: the only verticle that writes them, driven by event-bus requests. */
public final class ProjectVerticle extends VerticleBase {
  private final ProjectStore store;
  private final Duration demoTtl;
  private final Map<UUID, Future<?>> tails = new HashMap<>();
  private Metrics metrics;

  public ProjectVerticle(ProjectStore store, Duration demoTtl) {
    this.store = store;
    this.demoTtl = demoTtl;
  }

  @Override
  public Future<?> start() {
    metrics = Metrics.of(vertx);
    EventBus bus = vertx.eventBus();
    return Future.all(List.of(
        bus.<JsonObject>consumer(Addresses.PROJECT_CREATE, this::create).completion(),
        bus.<JsonObject>consumer(Addresses.PROJECT_STATUS, m -> reply(m, id -> found(id)
            .map(p -> full(m) ? ProjectView.status(p) : ProjectView.publicStatus(p)))).completion(),
        bus.<JsonObject>consumer(Addresses.PROJECT_GET, m -> reply(m, this::found)).completion(),
        bus.<JsonObject>consumer(Addresses.PROJECT_LOGS, m -> reply(m, id -> found(id)
            .compose(p -> store.logs(id).map(logs -> full(m) ? logs : ProjectView.publicLogs(p, logs)))
            .map(logs -> new JsonObject().put("logs", logs)))).completion(),
        bus.<JsonObject>consumer(Addresses.PROJECT_PROCESSING, m -> reply(m, id -> inOrder(id, () ->
            store.markProcessing(id, m.body().getInteger("attempt", 0))))).completion(),
        bus.<JsonObject>consumer(Addresses.PROJECT_STEP, m -> reply(m, id -> inOrder(id, () ->
            store.step(id, StepEvent.fromJson(m.body().getJsonObject("event")))))).completion(),
        bus.<JsonObject>consumer(Addresses.PROJECT_READY, m -> reply(m, id -> inOrder(id, () ->
            store.finishReady(id, m.body().getJsonObject("result"), UUID.fromString(m.body().getString("jobId")),
                m.body().getString("workerId")).onSuccess(v -> metrics.jobEnded(JobState.COMPLETED.sql())))))
            .completion(),
        bus.<JsonObject>consumer(Addresses.PROJECT_FAILED, m -> reply(m, id -> inOrder(id, () -> failed(id, m.body()))))
            .completion(),
        bus.<JsonObject>consumer(Addresses.PROJECT_EXPIRED_DEMOS, this::expiredDemos).completion(),
        bus.<JsonObject>consumer(Addresses.PROJECT_UPLOADS_IN_USE, this::uploadsInUse).completion(),
        bus.<JsonObject>consumer(Addresses.PROJECT_DELETE, m -> reply(m, id -> store.markDeleted(id,
            m.body().getString("reason", "deleted")).map(deleted -> new JsonObject().put("deleted", deleted))))
            .completion()));
  }

  /**
   * Runs a project's writes one after the other, in the order their messages arrived, so the step
   * log and progress never go backwards even though the pool has many connections.
   */
  private Future<JsonObject> inOrder(UUID id, Supplier<Future<?>> write) {
    Future<?> previous = tails.getOrDefault(id, Future.succeededFuture());
    Future<JsonObject> next = previous.transform(ignored -> write.get()).map(v -> new JsonObject());
    tails.put(id, next);
    next.onComplete(r -> tails.remove(id, next));
    return next;
  }

  private Future<?> failed(UUID id, JsonObject body) {
    String message = body.getString("errorMessage");
    if (body.getString("jobId") == null) {
      return store.markError(id, message);
    }
    return store.finishFailed(id, message, body.getBoolean("transient", false),
        UUID.fromString(body.getString("jobId")), body.getString("workerId"))
        .onSuccess(state -> state.map(JobState::sql).ifPresent(metrics::jobEnded));
  }

  private void expiredDemos(Message<JsonObject> m) {
    store.expiredDemos(m.body().getInteger("limit", 100))
        .onSuccess(ids -> m.reply(new JsonObject().put("projectIds",
            new JsonArray(ids.stream().map(UUID::toString).toList()))))
        .onFailure(e -> ServiceException.fail(m, e));
  }

  private void uploadsInUse(Message<JsonObject> m) {
    store.uploadsInUse().onSuccess(urls -> m.reply(new JsonObject().put("urls", new JsonArray(urls))))
        .onFailure(e -> ServiceException.fail(m, e));
  }

  private void create(Message<JsonObject> m) {
    reply(m, id -> {
      CompileRequest request = CompileRequest.fromJson(m.body().getJsonObject("request"));
      return store.create(id, request, m.body().getString("viewUrl"), demoTtl);
    });
  }

  private Future<JsonObject> found(UUID id) {
    return store.find(id).compose(p -> p.map(Future::succeededFuture)
        .orElseGet(() -> Future.failedFuture(new ServiceException(Code.NOT_FOUND, "Project not found"))));
  }

  private static void reply(Message<JsonObject> m, Function<UUID, Future<JsonObject>> action) {
    Optional<UUID> id = parseId(m.body().getString("projectId"));
    if (id.isEmpty()) {
      new ServiceException(Code.NOT_FOUND, "Project not found").failMessage(m);
      return;
    }
    Future<JsonObject> result;
    try {
      result = action.apply(id.get());
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onSuccess(m::reply).onFailure(e -> ServiceException.fail(m, e));
  }

  /** Whether the asker may see the customer's ids ({@code "full": true}); the public form otherwise. */
  private static boolean full(Message<JsonObject> m) {
    return m.body().getBoolean("full", false);
  }

  /** Ids are UUIDs; anything else cannot name a project. */
  public static Optional<UUID> parseId(String raw) {
    try {
      return raw == null ? Optional.empty() : Optional.of(UUID.fromString(raw));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
