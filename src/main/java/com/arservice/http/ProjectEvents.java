package com.arservice.http;

import com.arservice.common.Addresses;
import com.arservice.common.ServiceException;
import com.arservice.common.ServiceException.Code;
import com.arservice.config.HttpSettings;
import com.arservice.project.ProjectMessages.Changes;
import com.arservice.project.ProjectMessages.Recheck;
import com.arservice.project.ProjectMessages.Since;
import com.arservice.project.ProjectMessages.Version;
import com.arservice.project.ProjectMessages.Versions;
import com.arservice.project.ProjectVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * {@code GET /status/:id/events}: a project's progress as Server-Sent Events. {@code status} when
 * its state, progress or step changes, {@code step} per step-log line (its id is the line's), and
 * at the end {@code ready}, {@code error} or {@code deleted}, after which the stream ends. A
 * reconnect's {@code Last-Event-ID} resumes after that line.
 *
 * <p>The database work does not grow with the number of streams: the streams of one project and
 * view share each read (one per change, fanned out), changes arrive by the one NOTIFY listener of
 * the process, and a periodic recheck asks in one query whether any project with open streams
 * changed without its NOTIFY arriving. One client address may hold a bounded number of streams. All
 * state lives on the HTTP verticle's event loop.
 */
final class ProjectEvents {
  private static final long RECONNECT_MS = 2000;

  /** The final states and the event that announces each. */
  private static final Map<String, String> FINAL =
      Map.of("ready", "ready", "error", "error", "deleted", "deleted");

  private final Vertx vertx;
  private final Duration heartbeat;
  private final int maxPerClient;
  private final Predicate<RoutingContext> fullView;
  private final ClientAddress clients;
  private final Map<Key, Group> groups = new HashMap<>();
  private final Map<String, Integer> perClient = new HashMap<>();

  private ProjectEvents(
      Vertx vertx,
      Duration heartbeat,
      int maxPerClient,
      Predicate<RoutingContext> fullView,
      ClientAddress clients) {
    this.vertx = vertx;
    this.clients = clients;
    this.heartbeat = heartbeat;
    this.maxPerClient = maxPerClient;
    this.fullView = fullView;
  }

  /** Live streams that hear of changes from {@link Addresses#PROJECT_CHANGED} and the recheck. */
  static ProjectEvents start(
      Vertx vertx, HttpSettings http, Predicate<RoutingContext> fullView, ClientAddress clients) {
    ProjectEvents events =
        new ProjectEvents(vertx, http.sseHeartbeat(), http.sseMaxPerClient(), fullView, clients);
    vertx
        .eventBus()
        .<String>localConsumer(Addresses.PROJECT_CHANGED, m -> events.changed(m.body()));
    vertx.setPeriodic(http.sseRecheck().toMillis(), t -> events.recheck());
    return events;
  }

  void stream(RoutingContext ctx) {
    UUID id =
        ProjectVerticle.parseId(ctx.pathParam("id"))
            .orElseThrow(() -> new ServiceException(Code.NOT_FOUND, "Project not found"));
    long after = lastEventId(ctx);
    String client = clients.of(ctx.request());
    int open = perClient.getOrDefault(client, 0);
    if (open >= maxPerClient) {
      throw new ServiceException(
          Code.TOO_MANY_REQUESTS,
          "At most " + maxPerClient + " live progress streams per client; close one first");
    }
    perClient.put(client, open + 1);
    boolean full = fullView.test(ctx);
    SecurityHeaders.dependsOnCredentials(ctx.response(), full);
    Stream stream = new Stream(ctx, client, after);
    if (ctx.response().closed()) {
      stream.stop();
      return;
    }
    groups.computeIfAbsent(new Key(id, full), Group::new).join(stream);
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

  /** A NOTIFY: both views of the project read again, if anyone follows it. */
  private void changed(String projectId) {
    ProjectVerticle.parseId(projectId)
        .ifPresent(
            id -> {
              for (boolean full : new boolean[] {false, true}) {
                Group group = groups.get(new Key(id, full));
                if (group != null) {
                  group.read();
                }
              }
            });
  }

  /**
   * Asks in one query how far every followed project has come; a group reads again only when its
   * project moved past what it last read (a NOTIFY was lost). A failed recheck waits for the next.
   */
  private void recheck() {
    if (groups.isEmpty()) {
      return;
    }
    List<UUID> ids = groups.keySet().stream().map(Key::id).distinct().toList();
    vertx
        .eventBus()
        .<Versions>request(Addresses.PROJECT_VERSIONS, new Recheck(ids))
        .onSuccess(
            reply -> {
              for (Group group : List.copyOf(groups.values())) {
                Version version = reply.body().byProject().get(group.key.id());
                if (version != null && group.behind(version)) {
                  group.read();
                }
              }
            });
  }

  private void release(String client) {
    perClient.computeIfPresent(client, (k, n) -> n > 1 ? n - 1 : null);
  }

  /** A project in one view (full or public): what its streams share. */
  private record Key(UUID id, boolean full) {}

  /**
   * The open streams of one project and view, and the one read they share. A read asks for the
   * lines after the earliest stream's last one; each stream sends only what it has not.
   */
  private final class Group {
    private final Key key;
    private final Set<Stream> streams = new LinkedHashSet<>();
    private boolean reading;
    private boolean again;
    private OffsetDateTime updatedAt;
    private long newestLine;

    Group(Key key) {
      this.key = key;
    }

    /** A new stream gets its first events from the next read (one for all who join meanwhile). */
    void join(Stream stream) {
      streams.add(stream);
      stream.ctx.response().closeHandler(v -> leave(stream));
      read();
    }

    void leave(Stream stream) {
      stream.stop();
      if (streams.remove(stream) && streams.isEmpty()) {
        groups.remove(key, this);
      }
    }

    /** Whether the project changed since the last read. */
    boolean behind(Version version) {
      return updatedAt == null
          || !version.updatedAt().isEqual(updatedAt)
          || version.lastLine() > newestLine;
    }

    /**
     * Reads what changed for the streams open now; a change announced, or a stream joining,
     * meanwhile is read right after (so each stream gets its lines in order).
     */
    void read() {
      if (reading) {
        again = true;
        return;
      }
      reading = true;
      List<Stream> readers = List.copyOf(streams);
      long after = readers.stream().mapToLong(s -> s.lastLine).min().orElse(0);
      vertx
          .eventBus()
          .<Changes>request(Addresses.PROJECT_CHANGES, new Since(key.id(), after, key.full()))
          .map(Message::body)
          .onComplete(
              ar -> {
                reading = false;
                List<Stream> open = readers.stream().filter(streams::contains).toList();
                if (ar.succeeded()) {
                  deliver(ar.result(), after, open);
                } else {
                  // Streams not started yet answer with the failure (404 for an unknown project);
                  // the others wait for the next change.
                  for (Stream s : open) {
                    if (s.sse == null) {
                      leave(s);
                      s.ctx.fail(ar.cause());
                    }
                  }
                }
                if (again && !streams.isEmpty()) {
                  again = false;
                  read();
                }
              });
    }

    private void deliver(Changes changes, long after, List<Stream> open) {
      updatedAt = changes.updatedAt();
      newestLine = Math.max(newestLine, after);
      for (Object o : changes.lines()) {
        newestLine = Math.max(newestLine, ((JsonObject) o).getLong("id"));
      }
      JsonObject status = summary(changes.status());
      String last = FINAL.get(status.getString("status"));
      for (Stream stream : open) {
        stream.send(status, changes.lines());
        if (last != null) {
          stream.sse.event(String.valueOf(stream.lastLine), last, status.encode());
          leave(stream);
          stream.sse.end();
        }
      }
    }
  }

  /** One open stream: what it sent last and its heartbeat. */
  private final class Stream {
    private final RoutingContext ctx;
    private final String client;
    private long lastLine;
    private JsonObject lastStatus;
    private SseWriter sse;
    private long heartbeatTimer = -1;
    private boolean stopped;

    Stream(RoutingContext ctx, String client, long after) {
      this.ctx = ctx;
      this.client = client;
      this.lastLine = after;
    }

    /** The lines after this stream's last one, and the status when it differs from the last. */
    void send(JsonObject status, JsonArray lines) {
      if (sse == null) {
        sse = SseWriter.open(ctx.response(), RECONNECT_MS);
        heartbeatTimer = vertx.setPeriodic(heartbeat.toMillis(), t -> sse.comment("heartbeat"));
      }
      for (Object o : lines) {
        JsonObject line = (JsonObject) o;
        long lineId = line.getLong("id");
        if (lineId > lastLine) {
          lastLine = lineId;
          sse.event(String.valueOf(lastLine), "step", line.encode());
        }
      }
      if (!status.equals(lastStatus)) {
        lastStatus = status;
        sse.event(String.valueOf(lastLine), "status", status.encode());
      }
    }

    void stop() {
      if (stopped) {
        return;
      }
      stopped = true;
      vertx.cancelTimer(heartbeatTimer);
      release(client);
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
