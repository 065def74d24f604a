package com.arservice.project;

import com.arservice.common.Addresses;
import com.arservice.common.LocalCodecs;
import com.arservice.common.ServiceException;
import com.arservice.common.ServiceException.Code;
import com.arservice.metrics.Metrics;
import com.arservice.project.ProjectMessages.Changes;
import com.arservice.project.ProjectMessages.Create;
import com.arservice.project.ProjectMessages.Delete;
import com.arservice.project.ProjectMessages.ExpiredDemos;
import com.arservice.project.ProjectMessages.Find;
import com.arservice.project.ProjectMessages.Processing;
import com.arservice.project.ProjectMessages.ProjectIds;
import com.arservice.project.ProjectMessages.Ready;
import com.arservice.project.ProjectMessages.Recheck;
import com.arservice.project.ProjectMessages.Retry;
import com.arservice.project.ProjectMessages.Since;
import com.arservice.project.ProjectMessages.Stats;
import com.arservice.project.ProjectMessages.Step;
import com.arservice.project.ProjectMessages.Uploads;
import com.arservice.project.ProjectMessages.UploadsInUse;
import com.arservice.project.ProjectMessages.Versions;
import com.arservice.queue.JobFailure;
import com.arservice.queue.JobState;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
    LocalCodecs.register(vertx);
    metrics = Metrics.of(vertx);
    EventBus bus = vertx.eventBus();
    return Future.all(
        List.of(
            on(
                bus,
                Addresses.PROJECT_CREATE,
                (Create c) -> store.create(c.projectId(), c.request(), c.viewUrl(), demoTtl)),
            on(
                bus,
                Addresses.PROJECT_STATUS,
                (Find f) -> found(f.projectId()).map(p -> view(p, f.full()))),
            on(bus, Addresses.PROJECT_GET, (Find f) -> found(f.projectId())),
            on(
                bus,
                Addresses.PROJECT_LOGS,
                (Find f) ->
                    found(f.projectId())
                        .compose(p -> store.logs(f.projectId()).map(l -> logs(p, l, f.full())))),
            on(bus, Addresses.PROJECT_CHANGES, this::changes),
            on(
                bus,
                Addresses.PROJECT_VERSIONS,
                (Recheck m) -> store.versions(m.projectIds()).map(Versions::new)),
            on(
                bus,
                Addresses.PROJECT_PROCESSING,
                (Processing m) ->
                    inOrder(m.projectId(), () -> store.markProcessing(m.projectId(), m.attempt()))),
            on(
                bus,
                Addresses.PROJECT_STEP,
                (Step m) -> inOrder(m.projectId(), () -> store.step(m.projectId(), m.event()))),
            on(bus, Addresses.PROJECT_READY, (Ready m) -> inOrder(m.projectId(), () -> ready(m))),
            on(
                bus,
                Addresses.PROJECT_FAILED,
                (JobFailure m) -> inOrder(m.projectId(), () -> failed(m))),
            on(
                bus,
                Addresses.PROJECT_EXPIRED_DEMOS,
                (ExpiredDemos m) -> store.expiredDemos(m.limit()).map(ProjectIds::new)),
            on(
                bus,
                Addresses.PROJECT_UPLOADS_IN_USE,
                (UploadsInUse m) ->
                    store.uploadsInUse().map(urls -> new Uploads(Set.copyOf(urls)))),
            on(
                bus,
                Addresses.PROJECT_DELETE,
                (Delete m) ->
                    inOrder(m.projectId(), () -> store.markDeleted(m.projectId(), m.reason()))),
            on(
                bus,
                Addresses.PROJECT_RETRY,
                (Retry m) -> inOrder(m.projectId(), () -> store.retry(m.projectId()))),
            on(bus, Addresses.PROJECT_PAGE, store::page),
            on(bus, Addresses.PROJECT_STATS, (Stats m) -> store.stats(m.hours()))));
  }

  /** Answers {@code address} with {@code action}'s result, or fails the message with its code. */
  private static <T> Future<Void> on(EventBus bus, String address, Function<T, Future<?>> action) {
    return bus.<T>consumer(address, m -> answer(m, () -> action.apply(m.body()))).completion();
  }

  private Future<Changes> changes(Since since) {
    return found(since.projectId())
        .compose(
            p ->
                store
                    .logsAfter(p.id(), since.afterLine())
                    .map(
                        lines ->
                            new Changes(
                                view(p, since.full()),
                                logs(p, lines, since.full()),
                                p.updatedAt())));
  }

  private static io.vertx.core.json.JsonObject view(StoredProject p, boolean full) {
    return full ? ProjectView.status(p) : ProjectView.publicStatus(p);
  }

  private static io.vertx.core.json.JsonArray logs(
      StoredProject p, io.vertx.core.json.JsonArray lines, boolean full) {
    return full ? lines : ProjectView.publicLogs(p, lines);
  }

  /**
   * Runs a project's writes one after the other, in the order their messages arrived, so the step
   * log and progress never go backwards even though the pool has many connections.
   */
  private <T> Future<T> inOrder(UUID id, Supplier<Future<T>> write) {
    Future<?> previous = tails.getOrDefault(id, Future.succeededFuture());
    Future<T> next = previous.transform(ignored -> write.get());
    tails.put(id, next);
    next.onComplete(r -> tails.remove(id, next));
    return next;
  }

  private Future<Void> ready(Ready ready) {
    return store
        .finishReady(ready.projectId(), ready.result(), ready.jobId(), ready.workerId())
        .onSuccess(v -> metrics.jobEnded(JobState.COMPLETED.sql()));
  }

  private Future<Void> failed(JobFailure failure) {
    if (failure.jobId() == null) {
      return store.markError(failure.projectId(), failure.errorMessage());
    }
    return store
        .finishFailed(
            failure.projectId(),
            failure.errorMessage(),
            failure.transientFailure(),
            failure.jobId(),
            failure.workerId())
        .onSuccess(state -> state.map(JobState::sql).ifPresent(metrics::jobEnded))
        .mapEmpty();
  }

  private Future<StoredProject> found(UUID id) {
    return store
        .find(id)
        .compose(
            p ->
                p.map(Future::succeededFuture)
                    .orElseGet(
                        () ->
                            Future.failedFuture(
                                new ServiceException(Code.NOT_FOUND, "Project not found"))));
  }

  /** Replies with the action's result, or fails the message with its code. */
  private static void answer(Message<?> m, Supplier<Future<?>> action) {
    Future<?> result;
    try {
      result = action.get();
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onSuccess(m::reply).onFailure(e -> ServiceException.fail(m, e));
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
