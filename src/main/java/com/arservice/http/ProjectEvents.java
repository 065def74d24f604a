package com.arservice.http;

import com.arservice.common.Addresses;
import com.arservice.common.ServiceException;
import com.arservice.common.ServiceException.Code;
import com.arservice.project.ProjectMessages.Changes;
import com.arservice.project.ProjectMessages.Since;
import com.arservice.project.ProjectVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * {@code GET /status/:id/events}: a project's progress as Server-Sent Events. {@code status} when
 * its state, progress or step changes, {@code step} per step-log line (its id is the line's), and
 * at the end {@code ready}, {@code error} or {@code deleted}, after which the stream ends. A
 * reconnect's {@code Last-Event-ID} resumes after that line. Changes arrive by the database's
 * NOTIFY from whichever process compiles, and by polling in case that connection is down.
 */
final class ProjectEvents {
  private static final long RECONNECT_MS = 2000;

  /** The final states and the event that announces each. */
  private static final Map<String, String> FINAL =
      Map.of("ready", "ready", "error", "error", "deleted", "deleted");

  private final Vertx vertx;
  private final Duration poll;
  private final Duration heartbeat;
  private final Predicate<RoutingContext> fullView;

  ProjectEvents(
      Vertx vertx, Duration poll, Duration heartbeat, Predicate<RoutingContext> fullView) {
    this.vertx = vertx;
    this.poll = poll;
    this.heartbeat = heartbeat;
    this.fullView = fullView;
  }

  void stream(RoutingContext ctx) {
    UUID id =
        ProjectVerticle.parseId(ctx.pathParam("id"))
            .orElseThrow(() -> new ServiceException(Code.NOT_FOUND, "Project not found"));
    long after = lastEventId(ctx);
    boolean full = fullView.test(ctx);
    SecurityHeaders.dependsOnCredentials(ctx.response(), full);
    // The first read answers 404 for an unknown project, before the stream starts.
    changes(id, after, full)
        .onSuccess(first -> new Stream(ctx, id, after, full).start(first))
        .onFailure(ctx::fail);
  }

  private Future<Changes> changes(UUID id, long after, boolean full) {
    return vertx
        .eventBus()
        .<Changes>request(Addresses.PROJECT_CHANGES, new Since(id, after, full))
        .map(Message::body);
  }

  /** {@code Last-Event-ID} (a browser's reconnect), else {@code ?lastEventId=}, else 0. */
  private static long lastEventId(RoutingContext ctx) {
    String raw = ctx.request().getHeader("Last-Event-ID");
    if (raw == null) {
      raw = ctx.queryParams().get("lastEventId");
    }
    try {
      return raw == null || raw.isBlank() ? 0 : Math.max(0, Long.parseLong(raw.trim()));
    } catch (NumberFormatException e) {
      throw new ServiceException(Code.BAD_REQUEST, "Last-Event-ID: not an event id of this stream");
    }
  }

  /** One open stream: what it sent last, its timers and its subscription. */
  private final class Stream {
    private final RoutingContext ctx;
    private final UUID id;
    private final boolean full;
    private SseWriter sse;
    private long lastLine;
    private JsonObject lastStatus;
    private boolean reading;
    private boolean again;
    private boolean done;
    private long pollTimer;
    private long heartbeatTimer;
    private MessageConsumer<String> changed;

    Stream(RoutingContext ctx, UUID id, long after, boolean full) {
      this.ctx = ctx;
      this.id = id;
      this.lastLine = after;
      this.full = full;
    }

    void start(Changes first) {
      sse = SseWriter.open(ctx.response(), RECONNECT_MS);
      ctx.response().closeHandler(v -> stop());
      changed = vertx.eventBus().consumer(Addresses.projectChanged(id.toString()), m -> read());
      pollTimer = vertx.setPeriodic(poll.toMillis(), t -> read());
      heartbeatTimer = vertx.setPeriodic(heartbeat.toMillis(), t -> sse.comment("heartbeat"));
      send(first);
    }

    /** Reads what changed; a change announced meanwhile is read right after. */
    private void read() {
      if (done) {
        return;
      }
      if (reading) {
        again = true;
        return;
      }
      reading = true;
      changes(id, lastLine, full)
          .onComplete(
              ar -> {
                reading = false;
                if (ar.succeeded()) {
                  send(ar.result());
                }
                if (again) {
                  again = false;
                  read();
                }
              });
    }

    private void send(Changes changes) {
      if (done) {
        return;
      }
      for (Object o : changes.lines()) {
        JsonObject line = (JsonObject) o;
        lastLine = line.getLong("id");
        sse.event(String.valueOf(lastLine), "step", line.encode());
      }
      JsonObject status = summary(changes.status());
      if (!status.equals(lastStatus)) {
        lastStatus = status;
        sse.event(String.valueOf(lastLine), "status", status.encode());
      }
      String last = FINAL.get(status.getString("status"));
      if (last != null) {
        sse.event(String.valueOf(lastLine), last, status.encode());
        stop();
        sse.end();
      }
    }

    private void stop() {
      if (done) {
        return;
      }
      done = true;
      vertx.cancelTimer(pollTimer);
      vertx.cancelTimer(heartbeatTimer);
      changed.unregister();
    }
  }

  /** The part of the status a progress display needs. */
  private static JsonObject summary(JsonObject status) {
    return new JsonObject()
        .put("status", status.getString("status"))
        .put("progress", status.getInteger("progress"))
        .put("currentStep", status.getString("currentStep"))
        .put("errorMessage", status.getString("errorMessage"))
        .put("viewUrl", status.getString("viewUrl"));
  }
}
