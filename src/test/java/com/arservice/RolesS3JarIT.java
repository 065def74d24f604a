package com.arservice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.arservice.config.DatabaseUrl;
import com.arservice.testing.Await;
import com.arservice.testing.HeadlessViewer;
import com.arservice.testing.PostgresExtension;
import com.arservice.testing.Processes;
import com.arservice.testing.S3Server;
import com.arservice.testing.ServiceProcess;
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
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three jar processes that share nothing but one database and one bucket (a real S3 server): one
 * api and two workers, each with its own empty local folders. Every project, photo and video, ends
 * ready once, and its viewer finds the printed photo in headless chromium.
 */
@ExtendWith(PostgresExtension.class)
class RolesS3JarIT {
  private static final Duration START = Duration.ofSeconds(90);
  private static final int PROJECTS = 6;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void oneApiAndTwoWorkersWithOnlyADatabaseAndABucketInCommonMakeEachProjectReadyOnce(
      @TempDir Path dir, DatabaseUrl db) throws Exception {
    String browserMissing = HeadlessViewer.missing();
    if (browserMissing != null && "true".equals(System.getenv("CI"))) {
      fail(browserMissing);
    }
    List<Process> processes = new ArrayList<>();
    try (S3Server s3 = S3Server.start(dir.resolve("s3"))) {
      int apiPort = Processes.freePort();
      Map<String, String> env = new HashMap<>();
      s3.settings().forEach((k, v) -> env.put(k, v.toString()));
      env.putAll(
          Map.of(
              "AR_DATABASE_URL",
              db.uri(),
              "AR_COMPILE_WORKERS",
              "1",
              "AR_QUEUE_POLL_INTERVAL",
              "PT0.5S",
              "FRONTEND_URL",
              "http://localhost:" + apiPort));
      Process api = start(dir, "api", apiPort, env);
      processes.add(api);
      int[] workerPorts = {Processes.freePort(), Processes.freePort()};
      for (int port : workerPorts) {
        processes.add(start(dir, "worker", port, env));
      }
      ServiceProcess.awaitOk(apiPort, "/health/ready", api, START);
      for (int i = 0; i < workerPorts.length; i++) {
        ServiceProcess.awaitOk(workerPorts[i], "/health/ready", processes.get(i + 1), START);
      }

      String[] photos = {"landscape-800x640.jpg", "portrait-640x800.jpg", "wide-1024x768.jpg"};
      Path video = dir.resolve("clip.mp4");
      ServiceProcess.makeVideo(video, 320, 256, 15, 2);
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < PROJECTS; i++) {
        byte[] photo;
        try (InputStream in = getClass().getResourceAsStream("/photos/" + photos[i % 3])) {
          photo = in.readAllBytes();
        }
        JsonObject request =
            new JsonObject()
                .put("userId", "u")
                .put("photoUrl", upload(apiPort, photo, "image/jpeg"))
                .put("videoUrl", upload(apiPort, Files.readAllBytes(video), "video/mp4"));
        HttpResponse<String> r = post(apiPort, "/compile", request.encode(), "application/json");
        assertEquals(202, r.statusCode(), r.body());
        ids.add(new JsonObject(r.body()).getString("projectId"));
      }
      for (String id : ids) {
        String status =
            Await.value(
                "project " + id + " is ready or in error",
                Duration.ofSeconds(180),
                () -> new JsonObject(get(apiPort, "/status/" + id).body()).getString("status"),
                s -> "ready".equals(s) || "error".equals(s));
        assertEquals("ready", status, "project " + id);
        JsonArray logs =
            new JsonObject(get(apiPort, "/status/" + id + "/logs").body()).getJsonArray("logs");
        assertEquals(
            List.of("started", "completed"),
            logs.stream()
                .map(o -> (JsonObject) o)
                .filter(e -> "marker".equals(e.getString("step")))
                .map(e -> e.getString("status"))
                .toList(),
            "compiled once: " + id);
        assertTrue(s3.keys("ar-storage/" + id + "/").contains("ar-storage/" + id + "/video-0.mp4"));
      }
      assertEquals(2, completedByWorker(db).size(), "both workers compiled");
      try (Stream<Path> files = Files.walk(dir)) {
        assertEquals(
            List.of(),
            files
                .filter(
                    p -> p.toString().contains("ar-storage") || p.toString().contains("uploads"))
                .filter(Files::isRegularFile)
                .filter(p -> !p.startsWith(dir.resolve("s3")))
                .toList(),
            "no process kept a project's or an upload's file in its own folders");
      }

      if (browserMissing == null) {
        HeadlessViewer browser = HeadlessViewer.create();
        Path camera =
            HeadlessViewer.camera(
                dir,
                browser.project().resolve("src/test/resources/photos/landscape-800x640.jpg"),
                "scale=400:320,pad=640:480:(ow-iw)/2:(oh-ih)/2:color=0x808080",
                "flat.mjpeg");
        JsonObject result =
            browser.view(
                new JsonObject()
                    .put("url", "http://localhost:" + apiPort + "/ar/view/" + ids.get(0))
                    .put("camera", camera.toString())
                    .put("mode", "track")
                    .put("foundTimeoutMs", 30_000)
                    .put("observeMs", 3_000)
                    .put("screenshot", dir.resolve("viewer.png").toString()));
        assertNull(result.getValue("failure"), result.getString("failure"));
        assertNotNull(result.getValue("foundMs"), "the printed photo is found: " + result.encode());
        JsonObject played = result.getJsonObject("viewer").getJsonArray("videos").getJsonObject(0);
        assertFalse(played.getBoolean("paused"), "the video from the bucket plays: " + played);
        assertTrue(played.getInteger("frames") > 5, "it shows frames: " + played);
      }
    } finally {
      for (Process p : processes) {
        assertTrue(ServiceProcess.stop(p), "stopped on SIGTERM");
      }
    }
  }

  /** Completed jobs per worker process. */
  static Map<String, Integer> completedByWorker(DatabaseUrl db) throws Exception {
    Map<String, Integer> byWorker = new HashMap<>();
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT worker_id, count(*) FROM ar_jobs WHERE state = 'completed' GROUP BY worker_id")) {
      while (rs.next()) {
        byWorker.put(rs.getString(1), rs.getInt(2));
      }
    }
    return byWorker;
  }

  private static Process start(Path dir, String role, int port, Map<String, String> env)
      throws IOException {
    Map<String, String> all = new HashMap<>(env);
    all.put("PORT", Integer.toString(port));
    all.put("AR_DATA_DIR", dir.resolve(role + "-" + port).toString());
    return ServiceProcess.start(
        all, dir.resolve(role + "-" + port + ".log"), "serve", "--role", role);
  }

  private String upload(int port, byte[] body, String type) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/uploads"))
                .header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(201, r.statusCode(), r.body());
    return new JsonObject(r.body()).getString("url");
  }

  private HttpResponse<String> post(int port, String path, String body, String type)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .header("Content-Type", type)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
