package com.arservice.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.arservice.config.ConfigKeys;
import com.arservice.config.DatabaseUrl;
import com.arservice.db.PgPool;
import com.arservice.project.CompileRequest;
import com.arservice.project.ProjectStore;
import com.arservice.queue.JobOptions;
import com.arservice.queue.JobStore;
import com.arservice.testing.Await;
import com.arservice.testing.BlockedThreadWatch;
import com.arservice.testing.PostgresExtension;
import com.arservice.testing.SettableClock;
import com.arservice.webhook.WebhookStore;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Retries, several consumers and dead instances, with the whole service running. */
@ExtendWith({PostgresExtension.class, BlockedThreadWatch.class})
class QueueRecoveryTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  @Test
  void aTransientFailureIsRetriedAndThenSucceeds(@TempDir Path dir, DatabaseUrl db)
      throws Exception {
    // An ffmpeg that crashes on its first run, like a killed encoder, then behaves.
    Path ffmpeg = dir.resolve("flaky-ffmpeg");
    Files.writeString(
        ffmpeg,
        "#!/bin/sh\nif [ ! -e \"$0.crashed\" ]; then : > \"$0.crashed\"; kill -9 $$; fi\n"
            + "exec ffmpeg \"$@\"\n");
    Files.setPosixFilePermissions(ffmpeg, PosixFilePermissions.fromString("rwxr-xr-x"));
    try (ServiceHarness service =
        new ServiceHarness(
            dir.resolve("svc"),
            db,
            Clock.systemUTC(),
            Map.of(
                ConfigKeys.FFMPEG_PATH,
                ffmpeg.toString(),
                ConfigKeys.QUEUE_RETRY_DELAY,
                "PT0.5S"))) {
      String id = service.compilePhotoAndVideo();
      JsonObject status = service.awaitFinished(id, TIMEOUT);
      assertEquals("ready", status.getString("status"), status.encode());
      assertEquals(1, status.getInteger("retryCount"));
      List<String> video = steps(service, id, "video");
      assertEquals(List.of("started", "failed", "started", "completed"), video);
    }
  }

  @Test
  void anAttemptPastItsExpiryHasItsFfmpegKilledBeforeAnotherWorkerStartsTheJob(
      @TempDir Path dir, DatabaseUrl db) throws Exception {
    // The first "ffmpeg" hangs; every later one notes any earlier one still alive, then encodes.
    Path ffmpeg = dir.resolve("hanging-ffmpeg");
    Files.writeString(
        ffmpeg,
        "#!/bin/sh\nfor p in $(cat \"$0.pids\" 2>/dev/null); do\n"
            + "  kill -0 \"$p\" 2>/dev/null && echo \"$p\" >> \"$0.overlaps\"\ndone\n"
            + "echo $$ >> \"$0.pids\"\n"
            + "if [ \"$(wc -l < \"$0.pids\")\" -eq 1 ]; then exec sleep 300; fi\nexec ffmpeg \"$@\"\n");
    Files.setPosixFilePermissions(ffmpeg, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path pids = dir.resolve("hanging-ffmpeg.pids");
    SettableClock clock = new SettableClock(Instant.now());
    try (ServiceHarness service =
        new ServiceHarness(
            dir.resolve("svc"),
            db,
            clock,
            Map.of(
                ConfigKeys.FFMPEG_PATH,
                ffmpeg.toString(),
                ConfigKeys.COMPILE_WORKERS,
                2,
                ConfigKeys.QUEUE_EXPIRE_IN,
                "PT1M",
                ConfigKeys.QUEUE_RETRY_DELAY,
                "PT1S"))) {
      String id = service.compilePhotoAndVideo();
      Await.until("the first ffmpeg runs", () -> lines(pids).size() == 1);
      long first = Long.parseLong(lines(pids).get(0));

      clock.advance(Duration.ofSeconds(61));
      Await.until(
          "the expired attempt's ffmpeg is killed",
          () -> !ProcessHandle.of(first).map(ProcessHandle::isAlive).orElse(false));
      Await.until("the job waits for its retry", () -> "retry".equals(jobState(service)));
      assertEquals(1, lines(pids).size(), "no other attempt started meanwhile");
      clock.advance(Duration.ofSeconds(2));

      JsonObject status = service.awaitFinished(id, TIMEOUT);
      assertEquals("ready", status.getString("status"), status.encode());
      assertEquals(1, status.getInteger("retryCount"));
      assertEquals(2, lines(pids).size());
      assertFalse(
          Files.exists(dir.resolve("hanging-ffmpeg.overlaps")),
          "never two ffmpegs of one project at once");
      assertEquals(
          List.of("started", "failed", "started", "completed"), steps(service, id, "video"));
    }
  }

  private static List<String> lines(Path file) {
    try {
      return Files.exists(file)
          ? Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList()
          : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String jobState(ServiceHarness service) {
    return service
        .app
        .pool()
        .query("SELECT state FROM ar_jobs")
        .execute()
        .await()
        .iterator()
        .next()
        .getString("state");
  }

  @Test
  void twoInstancesOnOneDatabaseCompileEveryProjectExactlyOnceAndTheFreeOneTakesTheWork(
      @TempDir Path dir, DatabaseUrl db) throws Exception {
    HeldFfmpeg ffmpeg = new HeldFfmpeg(dir);
    Map<String, Object> shared =
        Map.of(
            ConfigKeys.STORAGE_PATH,
            dir.resolve("storage").toString(),
            ConfigKeys.UPLOADS_PATH,
            dir.resolve("uploads").toString(),
            ConfigKeys.FFMPEG_PATH,
            ffmpeg.path.toString());
    try (ServiceHarness a = new ServiceHarness(dir.resolve("a"), db, Clock.systemUTC(), shared);
        ServiceHarness b = new ServiceHarness(dir.resolve("b"), db, Clock.systemUTC(), shared)) {
      // One instance's only worker is held in a video step, so the other must compile the photo
      // projects.
      String held =
          a.compile(
                  new JsonObject()
                      .put("userId", "u")
                      .put("photoUrl", a.uploadPhoto("landscape-800x640.jpg", "held.jpg"))
                      .put("videoUrl", a.uploadVideo("held.mp4", 320, 240)))
              .getString("projectId");
      ffmpeg.awaitStarted();
      List<String> ids = new ArrayList<>();
      String[] photos = {"landscape-800x640.jpg", "portrait-640x800.jpg", "wide-1024x768.jpg"};
      for (int i = 0; i < 5; i++) {
        String url = a.uploadPhoto(photos[i % 3], "p" + i + ".jpg");
        ServiceHarness front = i % 2 == 0 ? a : b;
        ids.add(
            front
                .compile(new JsonObject().put("userId", "u").put("photoUrl", url))
                .getString("projectId"));
      }
      for (String id : ids) {
        assertEquals("ready", a.awaitFinished(id, TIMEOUT).getString("status"));
      }
      ffmpeg.release();
      assertEquals("ready", a.awaitFinished(held, TIMEOUT).getString("status"));

      Map<String, String> workerOf = new HashMap<>();
      a.app
          .pool()
          .query("SELECT data->>'projectId' AS project, worker_id, state, retry_count FROM ar_jobs")
          .execute()
          .await()
          .forEach(
              row -> {
                assertEquals(
                    "completed 0",
                    row.getString("state") + " " + row.getInteger("retry_count"),
                    "one attempt, completed: " + row.getString("project"));
                workerOf.put(row.getString("project"), row.getString("worker_id"));
              });
      assertEquals(6, workerOf.size(), "one job per project");
      Set<String> photoWorkers = ids.stream().map(workerOf::get).collect(Collectors.toSet());
      assertEquals(
          1, photoWorkers.size(), "the free instance compiled every photo project: " + workerOf);
      assertNotEquals(
          workerOf.get(held), photoWorkers.iterator().next(), "the held project was the other's");
      for (String id : workerOf.keySet()) {
        assertEquals(
            List.of("started", "completed"), steps(a, id, "marker"), "compiled once: " + id);
      }
    }
  }

  @Test
  void aJobLeftActiveByADeadInstanceIsTakenBackAndCompletedOnce(@TempDir Path dir, DatabaseUrl db)
      throws Exception {
    Path data = dir.resolve("svc");
    Files.createDirectories(data.resolve("uploads"));
    Files.copy(
        getClass().getResourceAsStream("/photos/portrait-640x800.jpg"),
        data.resolve("uploads").resolve("p.jpg"));
    UUID id = UUID.randomUUID();
    Vertx vertx = Vertx.vertx();
    try {
      Pool pool = PgPool.create(vertx, db, 2);
      JobStore jobs = new JobStore(pool, Clock.systemUTC(), Duration.ofSeconds(30), () -> 1.0);
      ProjectStore projects =
          new ProjectStore(
              pool,
              jobs,
              new WebhookStore(pool, Clock.systemUTC(), false),
              Clock.systemUTC(),
              JobOptions.DEFAULTS.withRetry(3, Duration.ofMillis(200)));
      projects
          .create(
              id,
              CompileRequest.parse(
                  new JsonObject()
                      .put("userId", "u")
                      .put("photoUrls", new JsonArray().add("/objects/uploads/p.jpg"))),
              "https://shop.example/ar/view/" + id,
              Duration.ofHours(24))
          .await();
      // The instance that claimed it died: its lease ran out a minute ago.
      pool.query(
              "UPDATE ar_jobs SET state = 'active', worker_id = 'dead-instance', started_at = now() - interval "
                  + "'2 minutes', lease_until = now() - interval '1 minute'")
          .execute()
          .await();
    } finally {
      vertx.close().await();
    }
    try (ServiceHarness service =
        new ServiceHarness(data, db, Clock.systemUTC(), Map.of(ConfigKeys.QUEUE_LEASE, "PT2S"))) {
      JsonObject status = service.awaitFinished(id.toString(), TIMEOUT);
      assertEquals("ready", status.getString("status"), status.encode());
      assertEquals(1, status.getInteger("retryCount"), "the dead instance's attempt counts");
      assertEquals(List.of("started", "completed"), steps(service, id.toString(), "marker"));
    }
  }

  private static List<String> steps(ServiceHarness service, String id, String step)
      throws Exception {
    JsonArray logs =
        new JsonObject(service.get("/status/" + id + "/logs").body()).getJsonArray("logs");
    return logs.stream()
        .map(o -> (JsonObject) o)
        .filter(e -> step.equals(e.getString("step")))
        .map(e -> e.getString("status"))
        .toList();
  }
}
