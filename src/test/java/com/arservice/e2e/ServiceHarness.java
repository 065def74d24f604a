package com.arservice.e2e;

import com.arservice.Application;
import com.arservice.config.ConfigKeys;
import com.arservice.config.DatabaseUrl;
import com.arservice.metrics.Metrics;
import com.arservice.testing.Await;
import com.arservice.testing.ServiceProcess;
import com.arservice.testing.TestConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The whole service in-process on the shared test database, driven over real HTTP. */
final class ServiceHarness implements AutoCloseable {
  final Path dataDir;
  final Path uploads;
  final Path storage;
  final Application app;
  private final HttpClient http = HttpClient.newHttpClient();

  ServiceHarness(Path dataDir, DatabaseUrl db, Clock clock, Map<String, Object> overrides)
      throws Exception {
    this.dataDir = dataDir;
    Map<String, Object> settings =
        new HashMap<>(
            Map.of(
                ConfigKeys.DATABASE_URL,
                db.uri(),
                ConfigKeys.COMPILE_WORKERS,
                1,
                ConfigKeys.QUEUE_POLL_INTERVAL,
                "PT0.2S",
                ConfigKeys.FRONTEND_URL,
                "https://shop.example",
                // these tests are about HTTP, jobs, storage and the viewer's pages, not how the
                // target is compiled: MindAR's compiler takes 50 ms a photo where the default,
                // robust, takes 0.7 s; the tests about the target ask for robust
                ConfigKeys.MARKER_MODE,
                "reference"));
    settings.putAll(overrides);
    var config = TestConfig.create(dataDir, settings);
    this.uploads = config.storage().uploads();
    this.storage = config.storage().artifacts();
    this.app = Application.start(Metrics.newVertx(), config, clock);
  }

  /** Copies a committed test photo into the uploads folder; returns its upload URL. */
  String uploadPhoto(String resource, String name) throws IOException {
    try (InputStream in = getClass().getResourceAsStream("/photos/" + resource)) {
      Files.createDirectories(uploads);
      Files.copy(in, uploads.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
    return "/objects/uploads/" + name;
  }

  /** A short H.264 + AAC test video made by ffmpeg; returns its upload URL. */
  String uploadVideo(String name, int width, int height) throws Exception {
    ServiceProcess.makeVideo(uploads.resolve(name), width, height, 15, 1);
    return "/objects/uploads/" + name;
  }

  HttpResponse<String> post(String path, String body, String... headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri(path))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "application/json");
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Any request without a body (e.g. {@code DELETE}), with header name/value pairs. */
  HttpResponse<String> send(String method, String path, String... headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri(path)).method(method, HttpRequest.BodyPublishers.noBody());
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<byte[]> getBytes(String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** Posts a compile request and returns the 202 body. */
  /** Compiles the landscape test photo with a one-second video; answers the project's id. */
  String compilePhotoAndVideo() throws Exception {
    return compile(
            new JsonObject()
                .put("userId", "u")
                .put("photoUrl", uploadPhoto("landscape-800x640.jpg", "p.jpg"))
                .put("videoUrl", uploadVideo("v.mp4", 320, 240)))
        .getString("projectId");
  }

  /** The renditions the status lists for a project's first target, the sharpest first. */
  JsonArray renditions(String id) throws Exception {
    return new JsonObject(get("/status/" + id).body())
        .getJsonArray("targets")
        .getJsonObject(0)
        .getJsonObject("artifacts")
        .getJsonArray("renditions");
  }

  JsonObject compile(JsonObject request) throws Exception {
    HttpResponse<String> r = post("/compile", request.encode());
    if (r.statusCode() != 202) {
      throw new AssertionError("POST /compile answered " + r.statusCode() + ": " + r.body());
    }
    return new JsonObject(r.body());
  }

  /** Compiles the landscape test photo with a short video; returns the ready project's id. */
  String readyPhotoAndVideo() throws Exception {
    return readyPhotoAndVideo(320, 240);
  }

  /** The same with a video of the given size (800×640 and more: a lighter rendition beside it). */
  String readyPhotoAndVideo(int videoWidth, int videoHeight) throws Exception {
    String id =
        compile(
                new JsonObject()
                    .put("userId", "u")
                    .put("photoUrl", uploadPhoto("landscape-800x640.jpg", "p.jpg"))
                    .put("videoUrl", uploadVideo("v.mp4", videoWidth, videoHeight)))
            .getString("projectId");
    JsonObject status = awaitFinished(id, Duration.ofSeconds(180));
    if (!"ready".equals(status.getString("status"))) {
      throw new AssertionError("project " + id + " did not become ready: " + status.encode());
    }
    return id;
  }

  /** The details of the step log's {@code completed} entry of {@code step}. */
  JsonObject completedStep(String projectId, String step) throws Exception {
    return new JsonObject(get("/status/" + projectId + "/logs").body())
        .getJsonArray("logs").stream()
            .map(o -> (JsonObject) o)
            .filter(
                e -> step.equals(e.getString("step")) && "completed".equals(e.getString("status")))
            .findFirst()
            .orElseThrow(() -> new AssertionError(step + " did not complete in " + projectId))
            .getJsonObject("details");
  }

  /** Polls the status until the project is ready or in error. */
  JsonObject awaitFinished(String projectId, Duration timeout) {
    return Await.value(
        "project " + projectId + " is ready or in error",
        timeout,
        () -> new JsonObject(get("/status/" + projectId).body()),
        status -> List.of("ready", "error").contains(status.getString("status")));
  }

  private URI uri(String path) {
    return URI.create("http://localhost:" + app.port() + path);
  }

  @Override
  public void close() {
    app.close();
  }
}
