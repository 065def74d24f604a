package com.arservice.http;

import com.arservice.analytics.AnalyticsMessages.Overview;
import com.arservice.analytics.AnalyticsMessages.ProjectStats;
import com.arservice.analytics.AnalyticsMessages.Recorded;
import com.arservice.analytics.DeviceFamily;
import com.arservice.analytics.Measure;
import com.arservice.analytics.Tally;
import com.arservice.analytics.ViewerEvents;
import com.arservice.common.Addresses;
import com.arservice.common.ServiceException;
import com.arservice.common.ServiceException.Code;
import com.arservice.metrics.Metrics;
import com.arservice.project.ProjectMessages.Find;
import com.arservice.project.ProjectVerticle;
import com.arservice.project.StoredProject;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code POST /ar/view/:id/events}, the viewer pages' anonymous reports (public, rate-limited per
 * client, only for projects that exist and are not deleted or expired; nothing of the request but
 * its counts and the user agent's device family is kept), and the stats read from them: {@code GET
 * /projects/:id/stats} and the console's {@code GET /admin/analytics}.
 */
final class ViewerEventRoutes {
  /** The largest report body; a viewing's reports are a few hundred bytes. */
  static final int BODY_LIMIT = 4096;

  static final int BURST = 60;
  static final double PER_SECOND = 2;
  private static final int MAX_DAYS = 400;
  private static final int DEFAULT_DAYS = 30;

  /** How long a project's existence is believed, and how many are remembered. */
  private static final long KNOWN_FOR_MS = 60_000;

  private static final int MAX_KNOWN = 10_000;

  private final Vertx vertx;
  private final ClientAddress clients;
  private final RequestRate rate;
  private final Clock clock;
  private final Map<UUID, Instant> known;

  ViewerEventRoutes(Vertx vertx, ClientAddress clients, Clock clock) {
    this.vertx = vertx;
    this.clients = clients;
    this.clock = clock;
    this.rate = new RequestRate(clock, BURST, PER_SECOND, FailureLimiter.MAX_CLIENTS);
    // believed until the time in the value: whether the project accepts reports
    this.known =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<UUID, Instant> eldest) {
            return size() > MAX_KNOWN;
          }
        };
  }

  /** Before the body is read: a client over its rate is answered 429 at once. */
  void limit(RoutingContext ctx) {
    String length = ctx.request().getHeader("Content-Length");
    if (length != null
        && (length.length() > 9
            || !length.chars().allMatch(Character::isDigit)
            || Long.parseLong(length) > BODY_LIMIT)) {
      Metrics.of(vertx).viewerEventsRejected("too_large");
      throw new ServiceException(Code.TOO_LARGE, "A viewer event report is at most 4 KB");
    }
    if (!rate.take(clients.of(ctx.request()))) {
      Metrics.of(vertx).viewerEventsRejected("rate_limited");
      ctx.response().putHeader("Retry-After", "1");
      throw new ServiceException(Code.TOO_MANY_REQUESTS, "Too many reports from this address");
    }
    ctx.next();
  }

  void record(RoutingContext ctx) {
    Tally tally;
    try {
      tally = ViewerEvents.parse(ctx.body().asJsonObject());
    } catch (DecodeException | ClassCastException | NullPointerException e) {
      Metrics.of(vertx).viewerEventsRejected("invalid");
      throw new ServiceException(Code.BAD_REQUEST, "Not a viewer event report: not a JSON object");
    } catch (ServiceException e) {
      Metrics.of(vertx).viewerEventsRejected("invalid");
      throw e;
    }
    UUID id = ProjectVerticle.parseId(ctx.pathParam("id")).orElseThrow(this::unknown);
    String device = DeviceFamily.of(ctx.request().getHeader("User-Agent"));
    accepts(id)
        .onSuccess(
            accepted -> {
              if (!accepted) {
                ctx.fail(unknown());
                return;
              }
              vertx.eventBus().send(Addresses.ANALYTICS_RECORD, new Recorded(id, device, tally));
              Metrics metrics = Metrics.of(vertx);
              for (Measure m : Measure.values()) {
                if (tally.get(m) > 0) {
                  metrics.viewerEvent(m.key, device, tally.get(m));
                }
              }
              ctx.response().setStatusCode(204).end();
            })
        .onFailure(ctx::fail);
  }

  private ServiceException unknown() {
    Metrics.of(vertx).viewerEventsRejected("unknown_project");
    return new ServiceException(Code.NOT_FOUND, "Project not found");
  }

  /** Whether {@code id} exists and is neither deleted nor expired, remembered for a minute. */
  private Future<Boolean> accepts(UUID id) {
    Instant now = clock.instant();
    synchronized (known) {
      Instant until = known.get(id);
      if (until != null && now.isBefore(until)) {
        return Future.succeededFuture(true);
      }
    }
    return vertx
        .eventBus()
        .<StoredProject>request(Addresses.PROJECT_GET, new Find(id, false))
        .map(Message::body)
        .map(
            p ->
                !"deleted".equals(p.status())
                    && (p.expiresAt() == null || p.expiresAt().toInstant().isAfter(now)))
        .recover(
            e ->
                e instanceof ReplyException re && re.failureCode() == Code.NOT_FOUND.ordinal()
                    ? Future.succeededFuture(false)
                    : Future.failedFuture(e))
        .onSuccess(
            accepted -> {
              if (accepted) {
                synchronized (known) {
                  known.put(id, now.plusMillis(KNOWN_FOR_MS));
                }
              }
            });
  }

  void projectStats(RoutingContext ctx) {
    Optional<UUID> id = ProjectVerticle.parseId(ctx.pathParam("id"));
    if (id.isEmpty()) {
      ctx.fail(new ServiceException(Code.NOT_FOUND, "Project not found"));
      return;
    }
    int days = days(ctx);
    vertx
        .eventBus()
        .<StoredProject>request(Addresses.PROJECT_GET, new Find(id.get(), false))
        .compose(
            found ->
                vertx
                    .eventBus()
                    .<JsonObject>request(
                        Addresses.ANALYTICS_PROJECT, new ProjectStats(id.get(), days)))
        .onSuccess(reply -> ctx.json(reply.body()))
        .onFailure(ctx::fail);
  }

  void overview(RoutingContext ctx) {
    vertx
        .eventBus()
        .<JsonObject>request(Addresses.ANALYTICS_OVERVIEW, new Overview(days(ctx)))
        .onSuccess(reply -> ctx.json(reply.body()))
        .onFailure(ctx::fail);
  }

  /** {@code ?days=} (1 to 400, default 30): how many days back, today included. */
  private static int days(RoutingContext ctx) {
    String value = ctx.queryParams().get("days");
    if (value == null) {
      return DEFAULT_DAYS;
    }
    try {
      int days = Integer.parseInt(value);
      if (days >= 1 && days <= MAX_DAYS) {
        return days;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new ServiceException(
        Code.BAD_REQUEST, "days must be a whole number from 1 to " + MAX_DAYS);
  }
}
