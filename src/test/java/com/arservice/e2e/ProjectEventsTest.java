package com.arservice.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.arservice.config.ConfigKeys;
import com.arservice.config.DatabaseUrl;
import com.arservice.testing.Await;
import com.arservice.testing.BlockedThreadWatch;
import com.arservice.testing.PostgresExtension;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.codec.BodyCodec;
import io.vertx.ext.web.codec.SseEvent;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /status/:id/events} on an {@code api} process while a {@code worker} process (its own
 * Vert.x, sharing only the database and folders) compiles.
 */
@ExtendWith({PostgresExtension.class, BlockedThreadWatch.class})
class ProjectEventsTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  private Vertx vertx;
  private WebClient client;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    client = WebClient.create(vertx);
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void aCompileOnAWorkerIsSeenLiveFromPendingToReadyAndAReconnectResumes(
      @TempDir Path dir, DatabaseUrl db) throws Exception {
    HeldFfmpeg ffmpeg = new HeldFfmpeg(dir);
    // The API rechecks only every ten minutes: what arrives sooner came by NOTIFY from the worker.
    try (ServiceHarness api =
            new ServiceHarness(
                dir.resolve("api"),
                db,
                Clock.systemUTC(),
                shared(dir, "api", ffmpeg, Map.of(ConfigKeys.SSE_RECHECK_INTERVAL, "PT10M")));
        ServiceHarness worker =
            new ServiceHarness(
                dir.resolve("w"), db, Clock.systemUTC(), shared(dir, "worker", ffmpeg, Map.of()))) {
      String id =
          api.compile(
                  new JsonObject()
                      .put("userId", "u")
                      .put("photoUrl", api.uploadPhoto("landscape-800x640.jpg", "p.jpg"))
                      .put("videoUrl", api.uploadVideo("v.mp4", 320, 240)))
              .getString("projectId");
      List<SseEvent> events = new CopyOnWriteArrayList<>();
      Promise<Void> ended = Promise.promise();
      open(api, id, null, events, ended);
      ffmpeg.awaitStarted();
      Await.until(
          "the stream shows the video step started",
          () -> events.stream().anyMatch(e -> isStep(e, "video", "started")));
      assertFalse(ended.future().isComplete());
      assertEquals("pending", data(events.get(0)).getString("status"), "first: " + events);
      ffmpeg.release();
      ended.future().await(TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);

      SseEvent last = events.get(events.size() - 1);
      assertEquals("ready", last.event());
      assertEquals(100, data(last).getInteger("progress"));
      assertTrue(data(last).getString("viewUrl").endsWith("/ar/view/" + id));
      List<String> steps =
          events.stream()
              .filter(e -> "step".equals(e.event()))
              .filter(e -> "completed".equals(data(e).getString("status")))
              .map(e -> data(e).getString("step"))
              .toList();
      assertEquals(
          List.of(
              "validate", "photo", "border", "masks", "video", "marker", "quality", "viewer", "qr"),
          steps);
      int progress = 0;
      for (SseEvent e : events) {
        if ("status".equals(e.event())) {
          assertTrue(data(e).getInteger("progress") >= progress, "progress never goes back");
          progress = data(e).getInteger("progress");
        }
      }
      long previous = 0;
      for (SseEvent e : events) {
        if ("step".equals(e.event())) {
          assertTrue(Long.parseLong(e.id()) > previous, "step ids increase: " + events);
          previous = Long.parseLong(e.id());
        }
      }

      // A reconnect after the video step's end gets only what followed it.
      SseEvent videoDone =
          events.stream().filter(e -> isStep(e, "video", "completed")).findFirst().orElseThrow();
      List<SseEvent> resumed = new CopyOnWriteArrayList<>();
      Promise<Void> resumedEnd = Promise.promise();
      open(api, id, videoDone.id(), resumed, resumedEnd);
      resumedEnd.future().await(TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
      List<SseEvent> resumedSteps = resumed.stream().filter(e -> "step".equals(e.event())).toList();
      assertEquals("marker", data(resumedSteps.get(0)).getString("step"));
      assertTrue(Long.parseLong(resumedSteps.get(0).id()) > Long.parseLong(videoDone.id()));
      assertEquals(
          events.stream()
              .filter(e -> "step".equals(e.event()))
              .filter(e -> Long.parseLong(e.id()) > Long.parseLong(videoDone.id()))
              .map(SseEvent::id)
              .toList(),
          resumedSteps.stream().map(SseEvent::id).toList());
      assertEquals("ready", resumed.get(resumed.size() - 1).event());
    }
  }

  @Test
  void theStreamIsUncompressedSendsHeartbeatsAndAnUnknownProjectIs404(
      @TempDir Path dir, DatabaseUrl db) throws Exception {
    HeldFfmpeg ffmpeg = new HeldFfmpeg(dir);
    try (ServiceHarness service =
        new ServiceHarness(
            dir,
            db,
            Clock.systemUTC(),
            shared(dir, "all", ffmpeg, Map.of(ConfigKeys.SSE_HEARTBEAT, "PT0.1S")))) {
      String id = service.compilePhotoAndVideo();
      ffmpeg.awaitStarted();
      StringBuilder body = new StringBuilder();
      HttpClientResponse response =
          vertx
              .createHttpClient()
              .request(
                  new RequestOptions()
                      .setMethod(HttpMethod.GET)
                      .setPort(service.app.port())
                      .setHost("localhost")
                      .setURI("/status/" + id + "/events")
                      .addHeader("Accept-Encoding", "gzip, deflate"))
              .compose(r -> r.send())
              // the handler is in place before the first chunk is read
              .map(r -> r.handler(chunk -> body.append(chunk.toString())))
              .await();
      assertEquals(200, response.statusCode());
      assertTrue(response.getHeader("Content-Type").startsWith("text/event-stream"));
      assertEquals(null, response.getHeader("Content-Encoding"), "not compressed");
      assertEquals("no", response.getHeader("X-Accel-Buffering"));
      Await.until(
          "two heartbeats arrive while the compile is held",
          () -> body.toString().split(": heartbeat\n\n", -1).length > 2);
      assertTrue(body.toString().startsWith("retry: 2000\nid: "), body.toString());
      ffmpeg.release();
      service.awaitFinished(id, TIMEOUT);

      assertEquals(
          404, service.get("/status/" + java.util.UUID.randomUUID() + "/events").statusCode());
      assertEquals(404, service.get("/status/nope/events").statusCode());
      assertEquals(
          400,
          service.get("/status/" + id + "/events", "Last-Event-ID", "not-a-number").statusCode());
    }
  }

  private void open(
      ServiceHarness service,
      String id,
      String lastEventId,
      List<SseEvent> into,
      Promise<Void> end) {
    var request = client.get(service.app.port(), "localhost", "/status/" + id + "/events");
    if (lastEventId != null) {
      request.putHeader("Last-Event-ID", lastEventId);
    }
    request
        .as(
            BodyCodec.sseStream(
                stream -> stream.handler(into::add).endHandler(v -> end.tryComplete())))
        .send()
        .onFailure(end::tryFail);
  }

  private static boolean isStep(SseEvent e, String step, String status) {
    return "step".equals(e.event())
        && step.equals(data(e).getString("step"))
        && status.equals(data(e).getString("status"));
  }

  private static JsonObject data(SseEvent e) {
    return new JsonObject(e.data());
  }

  private static Map<String, Object> shared(
      Path dir, String role, HeldFfmpeg ffmpeg, Map<String, Object> more) {
    Map<String, Object> out = new HashMap<>(more);
    out.put(ConfigKeys.ROLE, role);
    out.put(ConfigKeys.STORAGE_PATH, dir.resolve("storage").toString());
    out.put(ConfigKeys.UPLOADS_PATH, dir.resolve("uploads").toString());
    out.put(ConfigKeys.FFMPEG_PATH, ffmpeg.path.toString());
    return out;
  }
}
