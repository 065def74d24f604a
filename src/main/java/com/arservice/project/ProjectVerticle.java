package com.arservice.project;

import com.arservice.common.Addresses;
import com.arservice.common.LocalCodecs;
import com.arservice.common.ServiceException;
import com.arservice.common.ServiceException.Code;
import com.arservice.metrics.Metrics;
import com.arservice.project.ProjectMessages.Create;
import com.arservice.project.ProjectMessages.Delete;
import com.arservice.project.ProjectMessages.ExpiredDemos;
import com.arservice.project.ProjectMessages.Find;
import com.arservice.project.ProjectMessages.Processing;
import com.arservice.project.ProjectMessages.ProjectIds;
import com.arservice.project.ProjectMessages.Ready;
import com.arservice.project.ProjectMessages.Step;
import com.arservice.project.ProjectMessages.Uploads;
import com.arservice.project.ProjectMessages.UploadsInUse;
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
            bus.<Create>consumer(
                    Addresses.PROJECT_CREATE,
                    m ->
                        answer(
                            m,
                            () ->
                                store.create(
                                    m.body().projectId(),
                                    m.body().request(),
                                    m.body().viewUrl(),
                                    demoTtl)))
                .completion(),
            bus.<Find>consumer(
                    Addresses.PROJECT_STATUS,
                    m ->
                        answer(
                            m,
                            () ->
                                found(m.body().projectId())
                                    .map(
                                        p ->
                                            m.body().full()
                                                ? ProjectView.status(p)
                                                : ProjectView.publicStatus(p))))
                .completion(),
            bus.<Find>consumer(
                    Addresses.PROJECT_GET, m -> answer(m, () -> found(m.body().projectId())))
                .completion(),
            bus.<Find>consumer(
                    Addresses.PROJECT_LOGS,
                    m ->
                        answer(
                            m,
                            () ->
                                found(m.body().projectId())
                                    .compose(
                                        p ->
                                            store
                                                .logs(m.body().projectId())
                                                .map(
                                                    logs ->
                                                        m.body().full()
                                                            ? logs
                                                            : ProjectView.publicLogs(p, logs)))))
                .completion(),
            bus.<Processing>consumer(
                    Addresses.PROJECT_PROCESSING,
                    m ->
                        answer(
                            m,
                            () ->
                                inOrder(
                                    m.body().projectId(),
                                    () ->
                                        store.markProcessing(
                                            m.body().projectId(), m.body().attempt()))))
                .completion(),
            bus.<Step>consumer(
                    Addresses.PROJECT_STEP,
                    m ->
                        answer(
                            m,
                            () ->
                                inOrder(
                                    m.body().projectId(),
                                    () -> store.step(m.body().projectId(), m.body().event()))))
                .completion(),
            bus.<Ready>consumer(
                    Addresses.PROJECT_READY,
                    m -> answer(m, () -> inOrder(m.body().projectId(), () -> ready(m.body()))))
                .completion(),
            bus.<JobFailure>consumer(
                    Addresses.PROJECT_FAILED,
                    m -> answer(m, () -> inOrder(m.body().projectId(), () -> failed(m.body()))))
                .completion(),
            bus.<ExpiredDemos>consumer(
                    Addresses.PROJECT_EXPIRED_DEMOS,
                    m -> answer(m, () -> store.expiredDemos(m.body().limit()).map(ProjectIds::new)))
                .completion(),
            bus.<UploadsInUse>consumer(
                    Addresses.PROJECT_UPLOADS_IN_USE,
                    m ->
                        answer(
                            m,
                            () -> store.uploadsInUse().map(urls -> new Uploads(Set.copyOf(urls)))))
                .completion(),
            bus.<Delete>consumer(
                    Addresses.PROJECT_DELETE,
                    m ->
                        answer(m, () -> store.markDeleted(m.body().projectId(), m.body().reason())))
                .completion()));
  }

  /**
   * Runs a project's writes one after the other, in the order their messages arrived, so the step
   * log and progress never go backwards even though the pool has many connections.
   */
  private Future<Void> inOrder(UUID id, Supplier<Future<?>> write) {
    Future<?> previous = tails.getOrDefault(id, Future.succeededFuture());
    Future<Void> next = previous.transform(ignored -> write.get()).mapEmpty();
    tails.put(id, next);
    next.onComplete(r -> tails.remove(id, next));
    return next;
  }

  private Future<?> ready(Ready ready) {
    return store
        .finishReady(ready.projectId(), ready.result(), ready.jobId(), ready.workerId())
        .onSuccess(v -> metrics.jobEnded(JobState.COMPLETED.sql()));
  }

  private Future<?> failed(JobFailure failure) {
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
        .onSuccess(state -> state.map(JobState::sql).ifPresent(metrics::jobEnded));
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
