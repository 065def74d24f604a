package com.arservice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.arservice.storage.Bucket;
import com.arservice.testing.Await;
import com.arservice.testing.Processes;
import com.arservice.testing.S3Server;
import com.arservice.testing.ServiceProcess;
import com.arservice.testing.WebhookReceiver;
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
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The disaster-recovery drills against the real jar. With the backup in a folder: projects of every
 * kind, a base backup while a compilation runs, more writes, kill -9, the data folder deleted,
 * {@code restore} into a new folder, and the restored service answers as before, finishes the
 * unfinished work and delivers the webhooks it owed once. With the artifacts and the backup in a
 * real S3 server (s3proxy): kill -9, the data and backup folders lost with the machine, and a
 * {@code restore --from s3 --until} a moment between two projects has the first, answering as
 * before, and not the second. (Each restore kind is drilled once: both run the same code.)
 */
class BackupDrillIT {
  private static final Duration START = Duration.ofSeconds(90);
  private static final String SECRET = "drill-secret";
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final List<Process> started = new ArrayList<>();
  private static final String PREFIX = "backup/";
  private final Vertx vertx = Vertx.vertx();
  private S3Server s3;

  @AfterEach
  void stopWhatIsStillRunning() throws Exception {
    for (Process p : started) {
      if (p.isAlive()) {
        ServiceProcess.stop(p);
      }
    }
    vertx.close().await();
    if (s3 != null) {
      s3.close();
    }
  }

  @Test
  void afterLosingItsDataFolderTheServiceRestoredFromItsBackupServesEveryProjectAndFinishesItsWork(
      @TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    Path backup = dir.resolve("backup");
    Path uploads = Files.createDirectories(data.resolve("uploads"));
    copyPhoto(uploads, "a.jpg", "landscape-800x640.jpg");
    copyPhoto(uploads, "b.jpg", "portrait-640x800.jpg");
    Files.writeString(uploads.resolve("broken.jpg"), "not a photo");
    ServiceProcess.makeVideo(uploads.resolve("v.mp4"), 320, 240, 10, 1);
    Path heldFfmpeg = dir.resolve("held-ffmpeg");
    Files.writeString(
        heldFfmpeg,
        "#!/bin/sh\n: > \"$0.started\"\nwhile [ ! -e \"$0.release\" ]; do sleep 0.05; done\n"
            + "exec ffmpeg \"$@\"\n");
    Files.setPosixFilePermissions(heldFfmpeg, PosixFilePermissions.fromString("rwxr-xr-x"));

    int port = Processes.freePort();
    Map<String, String> env = new HashMap<>(baseEnv(data, backup, port));
    env.put("BACKEND_URL", "http://127.0.0.1:" + Processes.freePort()); // nobody answers yet
    env.put("FFMPEG_PATH", heldFfmpeg.toString());
    Process first = start(env, dir.resolve("first.log"));

    String album = compile(port, new JsonObject().put("photoUrls", urls("a.jpg", "b.jpg")));
    String demo = compile(port, photo("a.jpg").put("isDemo", true));
    String error = compile(port, photo("broken.jpg"));
    for (String id : List.of(album, demo)) {
      Await.until(id + " is ready", () -> "ready".equals(status(port, id)));
    }
    Await.until(error + " failed", () -> "error".equals(status(port, error)));
    String running = compile(port, photo("b.jpg").put("videoUrl", "/objects/uploads/v.mp4"));
    Await.until(
        "a compilation is held in its video step",
        () -> Files.exists(dir.resolve("held-ffmpeg.started")));
    String queued = compile(port, photo("a.jpg"));

    HttpResponse<String> taken = send(port, "POST", "/admin/backup");
    assertEquals(200, taken.statusCode(), taken.body());
    assertEquals("processing", status(port, running), "the backup was taken while it compiled");

    String before = compile(port, photo("b.jpg"));
    String after = compile(port, photo("a.jpg"));
    Instant written = Instant.now();
    Map<String, JsonObject> answers = new TreeMap<>();
    for (String id : List.of(album, demo, error)) {
      answers.put(id, answers(port, id));
    }
    awaitArchived(port, written);

    first.destroyForcibly(); // kill -9: no shutdown hook runs
    first.waitFor();
    Await.until(
        "the killed service's database stopped",
        () -> !Files.exists(data.resolve("postgres/postmaster.pid")));
    delete(data);

    Path restored = dir.resolve("restored");
    Processes.Result restore = restore(restored, List.of("--from", backup.toString()), Map.of());
    assertEquals(0, restore.exitCode(), restore.stdout() + restore.stderr());

    WebhookReceiver receiver = WebhookReceiver.start(vertx, 0, Clock.systemUTC(), SECRET);
    Map<String, String> again = new HashMap<>(baseEnv(restored, backup, port));
    again.put("BACKEND_URL", receiver.url());
    Process second = start(again, dir.resolve("second.log"));
    for (String id : List.of(album, demo, error)) {
      assertEquals(answers.get(id), answers(port, id), "answers as before: " + id);
    }
    for (String id : List.of(running, queued, before, after)) {
      Await.until(
          id + " is compiled after the restore",
          Duration.ofSeconds(120),
          () -> "ready".equals(status(port, id)));
    }
    List<String> owed = List.of(album, demo, error, running, queued, before, after);
    Await.until(
        "every project's webhook is delivered",
        () -> owed.stream().allMatch(id -> deliveredFor(receiver, id) >= 1));
    Thread.sleep(3000); // a second delivery would come within a second (AR_WEBHOOK_RETRY_SCHEDULE)
    List<String> accepted = receiver.acceptedIds();
    assertEquals(
        new java.util.HashSet<>(accepted).size(), accepted.size(), "each event delivered once");
    assertTrue(ServiceProcess.stop(second));
  }

  @Test
  void afterLosingTheMachineTheBucketAloneRestoresTheServiceAsOfAMomentBetweenTwoProjects(
      @TempDir Path dir) throws Exception {
    s3 = S3Server.start(dir.resolve("s3"));
    Path data = dir.resolve("data");
    Path backup = dir.resolve("backup");
    Path uploads = Files.createDirectories(dir.resolve("uploads"));
    copyPhoto(uploads, "a.jpg", "landscape-800x640.jpg");
    copyPhoto(uploads, "b.jpg", "portrait-640x800.jpg");
    Bucket bucket = s3.bucket(vertx);
    for (String name : List.of("a.jpg", "b.jpg")) {
      bucket.put("uploads/" + name, uploads.resolve(name), "image/jpeg").await();
    }
    int port = Processes.freePort();
    Process first = start(bucketEnv(data, backup, port), dir.resolve("first.log"));
    String before = compile(port, photo("a.jpg"));
    Await.until(before + " is ready", () -> "ready".equals(status(port, before)));
    JsonObject answers = answers(port, before);
    Thread.sleep(100); // a moment between two commits, as an operator names one
    Instant between = Instant.now();
    Thread.sleep(100);
    String after = compile(port, photo("b.jpg"));
    Instant written = Instant.now();
    awaitArchived(port, written);
    first.destroyForcibly(); // kill -9
    first.waitFor();
    Await.until(
        "the killed service's database stopped",
        () -> !Files.exists(data.resolve("postgres/postmaster.pid")));
    delete(data);
    delete(backup); // the machine is lost with its disks: the bucket is what is left

    Path restored = dir.resolve("restored");
    Processes.Result restore =
        restore(restored, List.of("--from", "s3", "--until", between.toString()), bucketEnv());
    assertEquals(0, restore.exitCode(), restore.stdout() + restore.stderr());
    assertTrue(restore.stdout().contains("Restored from s3://"), restore.stdout());
    // without a backup of its own: what is checked is what it serves (and a first base backup and
    // its verification would only make the drill longer)
    Map<String, String> served = bucketEnv(restored, backup, port);
    served.keySet().removeAll(List.of("AR_BACKUP_DIR", "AR_BACKUP_S3_PREFIX"));
    Process second = start(served, dir.resolve("second.log"));
    assertEquals(answers, answers(port, before), "answers as before");
    assertEquals(404, send(port, "GET", "/status/" + after).statusCode());
    assertTrue(ServiceProcess.stop(second));
  }

  /**
   * Waits until the WAL of what was written before {@code written} is in the backup (and bucket).
   */
  private void awaitArchived(int port, Instant written) {
    Await.until(
        "the last writes are archived (AR_BACKUP_WAL_INTERVAL)",
        () -> {
          JsonObject b = new JsonObject(send(port, "GET", "/admin/backup").body());
          JsonObject wal = b.getJsonObject("lastArchivedWal");
          return wal != null
              && Instant.parse(wal.getString("at")).isAfter(written.plusSeconds(2))
              && (s3 == null
                  || s3.keys(PREFIX + "wal/")
                      .contains(PREFIX + "wal/" + wal.getString("file") + ".gz"));
        });
  }

  /** The service's settings with the artifacts in s3proxy and the backup shipped there too. */
  private Map<String, String> bucketEnv(Path data, Path backup, int port) {
    Map<String, String> env = new HashMap<>(baseEnv(data, backup, port));
    env.putAll(bucketEnv());
    return env;
  }

  private Map<String, String> bucketEnv() {
    Map<String, String> env = new HashMap<>();
    s3.settings().forEach((k, v) -> env.put(k, v.toString()));
    env.put("AR_BACKUP_S3_PREFIX", PREFIX);
    return env;
  }

  private static Map<String, String> baseEnv(Path data, Path backup, int port) {
    return Map.of(
        "AR_DATA_DIR",
        data.toString(),
        "PORT",
        Integer.toString(port),
        "AR_BACKUP_DIR",
        backup.toString(),
        "AR_BACKUP_WAL_INTERVAL",
        "PT2S",
        "AR_COMPILE_WORKERS",
        "1",
        "AR_QUEUE_LEASE",
        "PT5S",
        // the job killed while it ran is retried a second after its lease lapsed, not a minute
        "AR_QUEUE_RETRY_DELAY",
        "PT1S",
        "BACKEND_WEBHOOK_SECRET",
        SECRET,
        "AR_WEBHOOK_RETRY_SCHEDULE",
        String.join(",", java.util.Collections.nCopies(200, "PT1S")));
  }

  private Process start(Map<String, String> env, Path log) throws Exception {
    Process p = ServiceProcess.start(env, log, "serve");
    started.add(p);
    ServiceProcess.awaitOk(Integer.parseInt(env.get("PORT")), "/health", p, START);
    return p;
  }

  private static Processes.Result restore(Path data, List<String> args, Map<String, String> env)
      throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(Processes.javaBin(), "-jar", ServiceProcess.jar().toString(), "restore"));
    command.addAll(args);
    Map<String, String> all = new HashMap<>(env);
    all.put("AR_DATA_DIR", data.toString());
    return Processes.run(command, all);
  }

  /** Everything a shop or a customer sees of a project: status, log, files, viewer page. */
  private JsonObject answers(int port, String id) throws Exception {
    JsonObject status = new JsonObject(send(port, "GET", "/status/" + id).body());
    JsonObject files = new JsonObject();
    HttpResponse<String> view = send(port, "GET", "/ar/view/" + id);
    if ("ready".equals(status.getString("status"))) {
      files = artifactSums(port, id, status);
    }
    return new JsonObject()
        .put("status", status)
        .put("logs", send(port, "GET", "/status/" + id + "/logs").body())
        .put("files", files)
        .put("viewer", view.statusCode() + " " + view.body());
  }

  /** The SHA-256 of every artifact URL the status names, read over HTTP. */
  private JsonObject artifactSums(int port, String id, JsonObject status) throws Exception {
    JsonObject sums = new JsonObject();
    for (String url : urlsIn(status)) {
      HttpResponse<byte[]> r =
          http.send(
              HttpRequest.newBuilder(URI.create("http://localhost:" + port + url)).build(),
              HttpResponse.BodyHandlers.ofByteArray());
      sums.put(
          url,
          r.statusCode()
              + " "
              + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(r.body())));
    }
    return sums;
  }

  private static List<String> urlsIn(Object value) {
    List<String> found = new ArrayList<>();
    if (value instanceof JsonObject o) {
      o.forEach(e -> found.addAll(urlsIn(e.getValue())));
    } else if (value instanceof JsonArray a) {
      a.forEach(v -> found.addAll(urlsIn(v)));
    } else if (value instanceof String s && s.startsWith("/objects/ar-storage/")) {
      found.add(s);
    }
    return found;
  }

  private static long deliveredFor(WebhookReceiver receiver, String id) {
    return receiver.received().stream()
        .filter(r -> r.status() / 100 == 2 && r.body().contains(id))
        .count();
  }

  private String compile(int port, JsonObject body) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/compile"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.put("userId", "drill").encode()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(202, r.statusCode(), r.body());
    return new JsonObject(r.body()).getString("projectId");
  }

  private static JsonObject photo(String name) {
    return new JsonObject().put("photoUrl", "/objects/uploads/" + name);
  }

  private static JsonArray urls(String... names) {
    JsonArray a = new JsonArray();
    for (String n : names) {
      a.add("/objects/uploads/" + n);
    }
    return a;
  }

  private String status(int port, String id) {
    try {
      return new JsonObject(send(port, "GET", "/status/" + id).body()).getString("status");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private HttpResponse<String> send(int port, String method, String path)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .timeout(Duration.ofSeconds(120))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private void copyPhoto(Path uploads, String name, String resource) throws IOException {
    try (InputStream in = getClass().getResourceAsStream("/photos/" + resource)) {
      Files.copy(in, uploads.resolve(name));
    }
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
