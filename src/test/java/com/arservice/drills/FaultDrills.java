package com.arservice.drills;

import com.arservice.config.DatabaseUrl;
import com.arservice.db.EmbeddedDatabase;
import com.arservice.testing.Await;
import com.arservice.testing.Processes;
import com.arservice.testing.ServiceProcess;
import com.arservice.testing.WebhookReceiver;
import com.arservice.webhook.WebhookStore;
import io.vertx.core.Vertx;
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
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Fault drills against the real jar on loopback, with a PostgreSQL server of the drill's own (so
 * the drill can stop it), or with a third argument {@code embedded} on the jar's own embedded
 * database, as it runs by default. Bounded: {@code N} projects (photo + 5 s 720p video), 15 minutes
 * at most.
 *
 * <ul>
 *   <li>{@code crash}: {@code kill -9} of the service while it compiles, then a restart: every
 *       project must end {@code ready}, its job completed once, its target compiled once to
 *       completion; on the embedded database, its server must stop with the killed service and
 *       start again with the new one.
 *   <li>{@code db-restart}: the database stops for a while under load: {@code /health} answers 503,
 *       then 200 once it is back, and no project is lost (not on the embedded database, which the
 *       drill cannot stop).
 *   <li>{@code webhook-down}: the shop backend is down while the projects compile and comes back 20
 *       s after the last one is ready: every event is delivered afterwards, with a valid signature.
 * </ul>
 *
 * In every drill each project's {@code ar.compilation.complete} webhook must reach the backend.
 *
 * <pre>
 * mvn -q -DskipTests package && mvn -q test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:java \
 *   -Dexec.classpathScope=test -Dexec.mainClass=com.arservice.drills.FaultDrills -Dexec.args="crash 6 embedded"
 * </pre>
 */
public final class FaultDrills {
  private static final String[] PHOTOS = {
    "landscape-800x640.jpg", "portrait-640x800.jpg", "wide-1024x768.jpg"
  };
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final Duration LEASE = Duration.ofSeconds(10);
  private static final String SECRET = "drill-secret";

  private final Vertx vertx = Vertx.vertx();
  private final List<WebhookReceiver> receivers = new ArrayList<>();
  private int backendPort;

  private final Path dir;
  private final int port;
  private final String base;
  private final boolean embedded;
  private EmbeddedDatabase db;
  private Process service;
  private int serviceRuns;

  private FaultDrills(Path dir, boolean embedded) throws IOException {
    this.dir = dir;
    this.embedded = embedded;
    this.port = Processes.freePort();
    this.base = "http://localhost:" + port;
  }

  public static void main(String[] args) throws Exception {
    String drill = args.length > 0 ? args[0] : "crash";
    int projects = args.length > 1 ? Integer.parseInt(args[1]) : 6;
    boolean embedded = args.length > 2 && "embedded".equals(args[2]);
    if (embedded && "db-restart".equals(drill)) {
      throw new IllegalArgumentException(
          "db-restart stops a server of the drill's own; run it without 'embedded'");
    }
    FaultDrills d = new FaultDrills(Files.createTempDirectory("ar-drill"), embedded);
    try {
      if (!embedded) {
        d.db = EmbeddedDatabase.start(d.dir.resolve("pg"), 0);
      }
      d.prepareUploads(projects);
      d.backendPort = Processes.freePort();
      if (!"webhook-down".equals(drill)) {
        d.receivers.add(WebhookReceiver.start(d.vertx, d.backendPort, Clock.systemUTC(), SECRET));
      }
      d.startService();
      List<String> ids = d.postProjects(projects);
      switch (drill) {
        case "crash" -> d.crash(ids);
        case "db-restart" -> d.databaseRestart(ids);
        case "webhook-down" -> d.webhookDown(ids);
        default ->
            throw new IllegalArgumentException(
                "unknown drill " + drill + " (crash, db-restart, webhook-down)");
      }
      // Step-log lines sent while the database is away are lost (the project and its job are not).
      d.verifyAllReadyOnce(ids, "crash".equals(drill));
      d.verifyWebhooks(ids);
    } finally {
      d.receivers.forEach(WebhookReceiver::close);
      d.vertx.close().await();
      if (d.service != null) {
        d.service.destroy();
        d.service.waitFor(60, TimeUnit.SECONDS);
      }
      if (d.db != null) {
        d.db.close();
      }
    }
  }

  private void crash(List<String> ids) throws Exception {
    String victim = awaitCompiling(ids);
    long server = embedded ? ServiceProcess.embeddedServerPid(dataDir()) : 0;
    long killedAt = System.nanoTime();
    service.destroyForcibly(); // SIGKILL: no shutdown hook, the job stays active under its lease
    service.waitFor();
    System.out.printf("killed the service (kill -9) while project %s was compiling%n", victim);
    if (embedded) {
      Await.until(
          "the embedded server stops with the killed service",
          Duration.ofMinutes(1),
          () -> !ProcessHandle.of(server).map(ProcessHandle::isAlive).orElse(false));
      System.out.printf(
          "its embedded PostgreSQL (pid %d) stopped %.2f s after the kill%n",
          server, (System.nanoTime() - killedAt) / 1e9);
    }
    startService();
    System.out.printf("restarted and healthy after %.1f s%n", (System.nanoTime() - killedAt) / 1e9);
    awaitAllFinished(ids);
    System.out.printf(
        "all %d projects finished %.1f s after the kill (lease %s)%n",
        ids.size(), (System.nanoTime() - killedAt) / 1e9, LEASE);
  }

  private void databaseRestart(List<String> ids) throws Exception {
    awaitCompiling(ids);
    int dbPort = db.url().port();
    long stoppedAt = System.nanoTime();
    db.close();
    TreeMap<Integer, Integer> codes = new TreeMap<>();
    // Pacing, not a wait: the database stays away 10 s while /health is sampled.
    long downUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < downUntil) {
      codes.merge(healthCode(), 1, Integer::sum);
      Thread.sleep(250);
    }
    System.out.printf("database stopped for 10 s under load: /health answered %s%n", codes);
    db = EmbeddedDatabase.start(dir.resolve("pg"), dbPort);
    long restartedAt = System.nanoTime();
    Await.until("/health answers 200 again", Duration.ofMinutes(5), () -> healthCode() == 200);
    System.out.printf(
        "database back: /health 200 again %.2f s after the restart (%.1f s after the stop)%n",
        (System.nanoTime() - restartedAt) / 1e9, (System.nanoTime() - stoppedAt) / 1e9);
    awaitAllFinished(ids);
    System.out.printf(
        "all %d projects finished %.1f s after the stop%n",
        ids.size(), (System.nanoTime() - stoppedAt) / 1e9);
  }

  private void webhookDown(List<String> ids) throws Exception {
    awaitAllFinished(ids);
    Thread.sleep(
        20_000); // pacing, not a wait: the backend stays down 20 s after the last project is ready
    long upAt = System.nanoTime();
    receivers.add(WebhookReceiver.start(vertx, backendPort, Clock.systemUTC(), SECRET));
    awaitWebhooks(ids);
    System.out.printf(
        "backend down until 20 s after the last project was ready; all %d completion events arrived "
            + "%.1f s after it came back%n",
        ids.size(), (System.nanoTime() - upAt) / 1e9);
  }

  /**
   * Each project's completion event arrived at least once; every request carried a valid signature.
   */
  private void verifyWebhooks(List<String> ids) throws Exception {
    awaitWebhooks(ids);
    List<WebhookReceiver.Request> all = new ArrayList<>();
    receivers.forEach(r -> all.addAll(r.received()));
    check(
        all.stream().allMatch(WebhookReceiver.Request::verified),
        "a webhook had an invalid signature");
    long accepted = all.stream().filter(r -> r.status() / 100 == 2).count();
    long distinct =
        all.stream()
            .filter(r -> r.status() / 100 == 2)
            .map(WebhookReceiver.Request::id)
            .distinct()
            .count();
    System.out.printf(
        "webhooks: %d event(s) delivered, all signatures valid, %d duplicate deliveries%n",
        distinct, accepted - distinct);
  }

  private void awaitWebhooks(List<String> ids) {
    Await.until(
        "every project's completion webhook arrived",
        Duration.ofMinutes(3),
        () -> completedProjects().containsAll(ids));
  }

  private Set<String> completedProjects() {
    Set<String> out = new HashSet<>();
    for (WebhookReceiver r : receivers) {
      r.received().stream()
          .filter(q -> q.status() / 100 == 2)
          .map(q -> new JsonObject(q.body()))
          .filter(b -> WebhookStore.COMPILATION_COMPLETE.equals(b.getString("event")))
          .forEach(b -> out.add(b.getJsonObject("data").getString("projectId")));
    }
    return out;
  }

  /**
   * Every project ready; one job each, completed; the target step logged as completed at most once.
   */
  private void verifyAllReadyOnce(List<String> ids, boolean fullStepLog) throws Exception {
    DatabaseUrl url = embedded ? ServiceProcess.embeddedDatabase(dataDir()) : db.url();
    int retried = 0;
    int gaps = 0;
    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
        Statement st = c.createStatement()) {
      for (String id : ids) {
        JsonObject status = get("/status/" + id);
        check("ready".equals(status.getString("status")), id + " is " + status.encode());
        try (ResultSet rs =
            st.executeQuery(
                "SELECT count(*) AS n, min(state) AS state, max(retry_count) AS retries "
                    + "FROM ar_jobs WHERE data->>'projectId' = '"
                    + id
                    + "'")) {
          rs.next();
          check(
              rs.getInt("n") == 1 && "completed".equals(rs.getString("state")),
              id + ": job not completed once");
          retried += rs.getInt("retries") > 0 ? 1 : 0;
        }
        JsonArray logs = get("/status/" + id + "/logs").getJsonArray("logs");
        long markers =
            logs.stream()
                .map(o -> (JsonObject) o)
                .filter(
                    e ->
                        "marker".equals(e.getString("step"))
                            && "completed".equals(e.getString("status")))
                .count();
        check(
            markers == 1 || markers == 0 && !fullStepLog,
            id + ": target compiled to completion " + markers + " times");
        gaps += markers == 0 ? 1 : 0;
      }
    }
    System.out.printf(
        "verified: %d/%d ready, each job completed once, %d needed a second attempt, %d with step-log "
            + "lines lost%n",
        ids.size(), ids.size(), retried, gaps);
  }

  private void prepareUploads(int n) throws Exception {
    Path uploads = Files.createDirectories(dir.resolve("uploads"));
    for (int i = 0; i < n; i++) {
      try (InputStream in =
          FaultDrills.class.getResourceAsStream("/photos/" + PHOTOS[i % PHOTOS.length])) {
        Files.copy(in, uploads.resolve("p" + i + ".jpg"));
      }
      ServiceProcess.makeVideo(uploads.resolve("v" + i + ".mp4"), 1280, 720, 30, 5);
    }
  }

  private Path dataDir() {
    return dir.resolve("data");
  }

  private void startService() throws Exception {
    Map<String, String> env =
        new HashMap<>(
            Map.of(
                "AR_DATA_DIR", dataDir().toString(),
                "SHARED_UPLOADS_PATH", dir.resolve("uploads").toString(),
                "PORT", Integer.toString(port),
                "AR_QUEUE_LEASE", LEASE.toString(),
                "BACKEND_URL", "http://127.0.0.1:" + backendPort,
                "BACKEND_WEBHOOK_SECRET", SECRET,
                "AR_WEBHOOK_RETRY_SCHEDULE", "PT1S,PT2S,PT4S,PT8S,PT15S,PT30S,PT60S,PT60S,PT60S"));
    if (!embedded) {
      env.put("AR_DATABASE_URL", db.url().uri());
    }
    service = ServiceProcess.start(env, dir.resolve("service-" + (++serviceRuns) + ".log"));
    ServiceProcess.awaitOk(port, "/health", service, Duration.ofSeconds(90));
  }

  private List<String> postProjects(int n) throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      JsonObject body =
          new JsonObject()
              .put("userId", "drill")
              .put("photoUrl", "/objects/uploads/p" + i + ".jpg")
              .put("videoUrl", "/objects/uploads/v" + i + ".mp4");
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(base + "/compile"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body.encode()))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      check(r.statusCode() == 202, "POST /compile answered " + r.statusCode());
      ids.add(new JsonObject(r.body()).getString("projectId"));
    }
    return ids;
  }

  /** Waits until a project is past its first step, so the fault hits a compilation in progress. */
  private String awaitCompiling(List<String> ids) {
    return Await.value(
        "a compilation is past its first step",
        Duration.ofMinutes(5),
        () -> {
          for (String id : ids) {
            JsonObject s = get("/status/" + id);
            if ("processing".equals(s.getString("status")) && s.getInteger("progress", 0) > 0) {
              return id;
            }
          }
          return null;
        },
        Objects::nonNull);
  }

  private void awaitAllFinished(List<String> ids) {
    Await.until(
        "every project is ready or in error (see " + dir + ")",
        Duration.ofMinutes(15),
        () -> {
          for (String id : ids) {
            if (!List.of("ready", "error").contains(get("/status/" + id).getString("status"))) {
              return false;
            }
          }
          return true;
        });
  }

  private int healthCode() {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(URI.create(base + "/health"))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException | InterruptedException e) {
      return 0;
    }
  }

  private JsonObject get(String path) throws Exception {
    return new JsonObject(
        HTTP.send(
                HttpRequest.newBuilder(URI.create(base + path)).build(),
                HttpResponse.BodyHandlers.ofString())
            .body());
  }

  private static void check(boolean ok, String failure) {
    if (!ok) {
      throw new IllegalStateException("DRILL FAILED: " + failure);
    }
  }
}
