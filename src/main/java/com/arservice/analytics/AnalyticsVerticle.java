package com.arservice.analytics;

import com.arservice.analytics.AnalyticsMessages.Overview;
import com.arservice.analytics.AnalyticsMessages.ProjectStats;
import com.arservice.analytics.AnalyticsMessages.Recorded;
import com.arservice.common.Addresses;
import com.arservice.common.LocalCodecs;
import com.arservice.common.ServiceException;
import com.arservice.metrics.Metrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds what viewer pages report to per project, day and device rows: requests are summed in memory
 * and written once per {@link #FLUSH_EVERY}, so a flood of requests costs one upsert per row and
 * tick, not one per request; after each write, the projects written are checked for poor detection.
 * What is held is bounded ({@link #MAX_PENDING} rows; more are dropped and counted); a stop writes
 * it, a crash loses at most one tick of counts.
 */
public final class AnalyticsVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(AnalyticsVerticle.class);
  static final Duration FLUSH_EVERY = Duration.ofSeconds(1);
  static final int MAX_PENDING = 20_000;

  private final AnalyticsStore store;
  private final int poorDetectionViews;
  private final Clock clock;
  private Map<AnalyticsStore.Key, Tally> pending = new HashMap<>();
  private Future<Void> writing = Future.succeededFuture();
  private long timer = -1;

  /**
   * @param poorDetectionViews AR-ready viewings a project needs before it can be flagged
   */
  public AnalyticsVerticle(AnalyticsStore store, int poorDetectionViews, Clock clock) {
    this.store = store;
    this.poorDetectionViews = poorDetectionViews;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    LocalCodecs.register(vertx);
    vertx.eventBus().<Recorded>consumer(Addresses.ANALYTICS_RECORD, this::record);
    vertx.eventBus().<ProjectStats>consumer(Addresses.ANALYTICS_PROJECT, this::project);
    vertx.eventBus().<Overview>consumer(Addresses.ANALYTICS_OVERVIEW, this::overview);
    timer = vertx.setPeriodic(FLUSH_EVERY.toMillis(), id -> flush());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return flush().recover(e -> Future.succeededFuture());
  }

  private void record(Message<Recorded> message) {
    Recorded r = message.body();
    AnalyticsStore.Key key = new AnalyticsStore.Key(r.projectId(), today(), r.device());
    Tally tally = pending.get(key);
    if (tally == null) {
      if (pending.size() >= MAX_PENDING) {
        Metrics.of(vertx).viewerEventsRejected("overload");
        return;
      }
      tally = new Tally();
      pending.put(key, tally);
    }
    tally.add(r.tally());
  }

  /** Writes what is pending after the previous write ended; answers when this one has. */
  private Future<Void> flush() {
    if (pending.isEmpty()) {
      return writing;
    }
    Map<AnalyticsStore.Key, Tally> batch = pending;
    pending = new HashMap<>();
    List<UUID> projects =
        new ArrayList<>(
            batch.keySet().stream().map(AnalyticsStore.Key::projectId).distinct().toList());
    writing =
        writing
            .transform(v -> store.add(batch))
            .compose(v -> store.flagPoorDetection(projects, poorDetectionViews))
            .onSuccess(
                flagged -> {
                  if (flagged > 0) {
                    LOG.info("{} project(s) flagged for poor detection", flagged);
                  }
                })
            .onFailure(
                e -> LOG.warn("Viewer counts of {} row(s) lost: {}", batch.size(), e.getMessage()))
            .mapEmpty();
    return writing;
  }

  private void project(Message<ProjectStats> message) {
    ProjectStats q = message.body();
    LocalDate from = today().minusDays(q.days() - 1L);
    store
        .rows(q.projectId(), from)
        .compose(
            rows ->
                store
                    .alert(q.projectId())
                    .map(
                        alert ->
                            StatsReport.of(from, today(), rows)
                                .put("projectId", q.projectId().toString())
                                .put("poorDetection", alert)))
        .onSuccess(message::reply)
        .onFailure(e -> ServiceException.fail(message, e));
  }

  private void overview(Message<Overview> message) {
    LocalDate from = today().minusDays(message.body().days() - 1L);
    store
        .rows(null, from)
        .compose(
            rows ->
                store
                    .alerts()
                    .map(
                        alerts -> StatsReport.of(from, today(), rows).put("poorDetection", alerts)))
        .onSuccess(message::reply)
        .onFailure(e -> ServiceException.fail(message, e));
  }

  private LocalDate today() {
    return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
  }
}
