package com.arservice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.arservice.config.DatabaseUrl;
import com.arservice.testing.Await;
import com.arservice.testing.PostgresExtension;
import com.arservice.testing.Processes;
import com.arservice.testing.RoleProcesses;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Three jar processes on one database and one shared storage folder: one api, two workers. */
@ExtendWith(PostgresExtension.class)
class RolesJarIT {
  private static final Duration START = Duration.ofSeconds(90);
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void oneApiAndTwoWorkerProcessesShareTheJobsAndRunEachOnce(@TempDir Path dir, DatabaseUrl db)
      throws Exception {
    Path uploads = dir.resolve("uploads");
    Files.createDirectories(uploads);
    String[] photos = {"landscape-800x640.jpg", "portrait-640x800.jpg", "wide-1024x768.jpg"};
    for (int i = 0; i < 8; i++) {
      try (InputStream in = getClass().getResourceAsStream("/photos/" + photos[i % 3])) {
        Files.copy(in, uploads.resolve("p" + i + ".jpg"));
      }
    }
    Map<String, String> env =
        new HashMap<>(
            Map.of(
                "AR_DATABASE_URL", db.uri(),
                "AR_STORAGE_PATH", dir.resolve("storage").toString(),
                "SHARED_UPLOADS_PATH", uploads.toString(),
                "AR_COMPILE_WORKERS", "1",
                "AR_QUEUE_POLL_INTERVAL", "PT0.5S"));
    List<Process> processes = new ArrayList<>();
    try {
      int apiPort = Processes.freePort();
      Process api = RoleProcesses.startRole(dir, "api", apiPort, env);
      processes.add(api);
      int[] workerPorts = {Processes.freePort(), Processes.freePort()};
      for (int port : workerPorts) {
        processes.add(RoleProcesses.startRole(dir, "worker", port, env));
      }
      ServiceProcess.awaitOk(apiPort, "/health/ready", api, START);
      for (int i = 0; i < workerPorts.length; i++) {
        int port = workerPorts[i];
        ServiceProcess.awaitOk(port, "/health/ready", processes.get(i + 1), START);
        assertEquals(
            404,
            get(port, "/status/00000000-0000-0000-0000-000000000000").statusCode(),
            "a worker serves no API");
      }
      List<String> ids = new ArrayList<>();
      CompletableFuture<List<String>> stream = null;
      for (int i = 0; i < 8; i++) {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + apiPort + "/compile"))
                    .header("Content-Type", "application/json")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            new JsonObject()
                                .put("userId", "u")
                                .put("photoUrl", "/objects/uploads/p" + i + ".jpg")
                                .encode()))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, r.statusCode(), r.body());
        ids.add(new JsonObject(r.body()).getString("projectId"));
        if (i == 0) {
          // the api process follows a compile that a worker process runs
          stream =
              http.sendAsync(
                      HttpRequest.newBuilder(
                              URI.create(
                                  "http://localhost:"
                                      + apiPort
                                      + "/status/"
                                      + ids.get(0)
                                      + "/events"))
                          .build(),
                      HttpResponse.BodyHandlers.ofLines())
                  .thenApply(
                      response -> response.body().filter(l -> l.startsWith("event: ")).toList());
        }
      }
      for (String id : ids) {
        awaitReady(apiPort, id);
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
      }
      List<String> events = stream.get(START.toSeconds(), TimeUnit.SECONDS);
      assertEquals(
          "event: ready", events.get(events.size() - 1), "the stream ends ready: " + events);
      assertTrue(events.contains("event: step"), "steps arrive live: " + events);
      Map<String, Integer> byWorker = new HashMap<>();
      try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
          Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery("SELECT worker_id, count(*) FROM ar_jobs GROUP BY worker_id")) {
        while (rs.next()) {
          byWorker.put(rs.getString(1), rs.getInt(2));
        }
      }
      assertEquals(2, byWorker.size(), "both worker processes compiled: " + byWorker);
      assertEquals(8, byWorker.values().stream().mapToInt(Integer::intValue).sum());
    } finally {
      for (Process p : processes) {
        assertTrue(ServiceProcess.stop(p), "stopped on SIGTERM");
      }
    }
  }

  private void awaitReady(int port, String id) {
    String status =
        Await.value(
            "project " + id + " is ready or in error",
            Duration.ofSeconds(120),
            () -> new JsonObject(get(port, "/status/" + id).body()).getString("status"),
            s -> "ready".equals(s) || "error".equals(s));
    assertEquals("ready", status, "project " + id);
  }

  private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
