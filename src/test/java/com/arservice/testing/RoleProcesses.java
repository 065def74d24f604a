package com.arservice.testing;

import com.arservice.config.DatabaseUrl;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code api} and some {@code worker} jar processes with the same settings, each with its own
 * {@code AR_DATA_DIR} (so its own local folders), driven over the api's HTTP port.
 */
public final class RoleProcesses implements AutoCloseable {
  private static final Duration START = Duration.ofSeconds(90);
  private static final String[] PHOTOS = {
    "landscape-800x640.jpg", "portrait-640x800.jpg", "wide-1024x768.jpg"
  };
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final List<Process> processes = new ArrayList<>();
  private final int apiPort;

  private RoleProcesses(int apiPort) {
    this.apiPort = apiPort;
  }

  /**
   * Starts them with {@code env} (plus {@code PORT}, {@code AR_DATA_DIR} and, pointing at the api,
   * {@code FRONTEND_URL}) and waits until each is ready; logs go to {@code dir}.
   */
  public static RoleProcesses start(Path dir, Map<String, String> env, int workers)
      throws IOException {
    RoleProcesses roles = new RoleProcesses(Processes.freePort());
    Map<String, String> all = new HashMap<>(env);
    all.put("FRONTEND_URL", "http://localhost:" + roles.apiPort);
    List<Integer> ports = new ArrayList<>(List.of(roles.apiPort));
    try {
      roles.processes.add(startRole(dir, "api", roles.apiPort, all));
      for (int i = 0; i < workers; i++) {
        ports.add(Processes.freePort());
        roles.processes.add(startRole(dir, "worker", ports.get(i + 1), all));
      }
      for (int i = 0; i < ports.size(); i++) {
        ServiceProcess.awaitOk(ports.get(i), "/health/ready", roles.processes.get(i), START);
      }
    } catch (RuntimeException e) {
      roles.close();
      throw e;
    }
    return roles;
  }

  /** The settings that make processes share one database and one bucket and nothing else. */
  public static Map<String, String> sharing(S3Server s3, DatabaseUrl db) {
    Map<String, String> env = new HashMap<>();
    s3.settings().forEach((k, v) -> env.put(k, v.toString()));
    env.putAll(
        Map.of(
            "AR_DATABASE_URL", db.uri(),
            "AR_COMPILE_WORKERS", "1",
            "AR_QUEUE_POLL_INTERVAL", "PT0.5S"));
    return env;
  }

  /** One of the test photos, by turns. */
  public static byte[] photo(int i) throws IOException {
    try (InputStream in =
        RoleProcesses.class.getResourceAsStream("/photos/" + PHOTOS[i % PHOTOS.length])) {
      return in.readAllBytes();
    }
  }

  /**
   * One jar process of {@code role} on {@code port} with {@code env}, its own {@code AR_DATA_DIR}
   * and log in {@code dir}.
   */
  public static Process startRole(Path dir, String role, int port, Map<String, String> env)
      throws IOException {
    Map<String, String> all = new HashMap<>(env);
    all.put("PORT", Integer.toString(port));
    all.put("AR_DATA_DIR", dir.resolve(role + "-" + port).toString());
    return ServiceProcess.start(
        all, dir.resolve(role + "-" + port + ".log"), "serve", "--role", role);
  }

  public int apiPort() {
    return apiPort;
  }

  /** {@code POST /uploads} with the file as the body; its URL. */
  public String upload(byte[] body, String type) throws Exception {
    HttpResponse<String> r = send("/uploads", HttpRequest.BodyPublishers.ofByteArray(body), type);
    if (r.statusCode() != 201) {
      throw new AssertionError("POST /uploads answered " + r.statusCode() + ": " + r.body());
    }
    return new JsonObject(r.body()).getString("url");
  }

  /** {@code POST /compile}; the project's id. */
  public String compile(JsonObject request) throws Exception {
    HttpResponse<String> r =
        send("/compile", HttpRequest.BodyPublishers.ofString(request.encode()), "application/json");
    if (r.statusCode() != 202) {
      throw new AssertionError("POST /compile answered " + r.statusCode() + ": " + r.body());
    }
    return new JsonObject(r.body()).getString("projectId");
  }

  /** Waits until the project is ready or in error; its status. */
  public String awaitFinished(String id, Duration timeout) {
    return Await.value(
        "project " + id + " is ready or in error",
        timeout,
        () -> new JsonObject(get("/status/" + id)).getString("status"),
        s -> "ready".equals(s) || "error".equals(s));
  }

  public JsonArray logs(String id) throws Exception {
    return new JsonObject(get("/status/" + id + "/logs")).getJsonArray("logs");
  }

  private String get(String path) throws IOException, InterruptedException {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + apiPort + path)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private HttpResponse<String> send(String path, HttpRequest.BodyPublisher body, String type)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + apiPort + path))
            .header("Content-Type", type)
            .POST(body)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Stops every process with SIGTERM; fails when one did not stop. */
  @Override
  public void close() {
    boolean all = true;
    for (Process p : processes) {
      try {
        all &= ServiceProcess.stop(p);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        all = false;
      }
    }
    if (!all) {
      throw new AssertionError("a process did not stop on SIGTERM");
    }
  }
}
