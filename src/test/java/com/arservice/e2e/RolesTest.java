package com.arservice.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.arservice.config.ConfigKeys;
import com.arservice.config.DatabaseUrl;
import com.arservice.testing.Await;
import com.arservice.testing.BlockedThreadWatch;
import com.arservice.testing.PostgresExtension;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** One {@code api} and two {@code worker} processes on one database and one storage folder. */
@ExtendWith({PostgresExtension.class, BlockedThreadWatch.class})
class RolesTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(180);
  private static final String[] PHOTOS = {
    "landscape-800x640.jpg", "portrait-640x800.jpg", "wide-1024x768.jpg"
  };

  @Test
  void theApiTakesRequestsAndTheTwoWorkersShareTheJobsRunningEachOnce(
      @TempDir Path dir, DatabaseUrl db) throws Exception {
    HeldFfmpeg ffmpeg = new HeldFfmpeg(dir);
    Map<String, Object> worker = shared(dir, "worker", ffmpeg);
    try (ServiceHarness api =
            new ServiceHarness(
                dir.resolve("api"), db, Clock.systemUTC(), shared(dir, "api", ffmpeg));
        ServiceHarness w1 = new ServiceHarness(dir.resolve("w1"), db, Clock.systemUTC(), worker);
        ServiceHarness w2 = new ServiceHarness(dir.resolve("w2"), db, Clock.systemUTC(), worker)) {
      // One worker is held in the video step of the first project, so the other compiles the photo
      // projects.
      List<String> ids = new ArrayList<>();
      ids.add(
          api.compile(
                  new JsonObject()
                      .put("userId", "u")
                      .put("photoUrl", api.uploadPhoto(PHOTOS[0], "held.jpg"))
                      .put("videoUrl", api.uploadVideo("held.mp4", 320, 240)))
              .getString("projectId"));
      ffmpeg.awaitStarted();
      for (int i = 1; i < 8; i++) {
        String url = api.uploadPhoto(PHOTOS[i % PHOTOS.length], "p" + i + ".jpg");
        ids.add(
            api.compile(new JsonObject().put("userId", "u").put("photoUrl", url))
                .getString("projectId"));
      }
      for (String id : ids.subList(1, ids.size())) {
        assertEquals("ready", api.awaitFinished(id, TIMEOUT).getString("status"), id);
      }
      ffmpeg.release();
      for (String id : ids) {
        assertEquals("ready", api.awaitFinished(id, TIMEOUT).getString("status"), id);
        JsonArray logs =
            new JsonObject(api.get("/status/" + id + "/logs").body()).getJsonArray("logs");
        assertEquals(
            List.of("started", "completed"),
            logs.stream()
                .map(o -> (JsonObject) o)
                .filter(e -> "marker".equals(e.getString("step")))
                .map(e -> e.getString("status"))
                .toList(),
            "compiled once: " + id);
      }
      Map<String, Integer> byWorker = new HashMap<>();
      for (Row r :
          api.app
              .pool()
              .query(
                  "SELECT worker_id, count(*)::int AS n, max(retry_count) AS retries "
                      + "FROM ar_jobs WHERE state = 'completed' GROUP BY worker_id")
              .execute()
              .await()) {
        byWorker.put(r.getString("worker_id"), r.getInteger("n"));
        assertEquals(0, r.getInteger("retries"), "no job needed a second attempt");
      }
      assertEquals(
          List.of(1, 7),
          byWorker.values().stream().sorted().toList(),
          "the held worker compiled its project, the other one the seven photo projects: "
              + byWorker);
      assertEquals(200, api.get("/metrics").statusCode());

      // A worker serves only the operational routes; the API process runs no compile pool.
      assertEquals(404, w1.get("/status/" + ids.get(0)).statusCode());
      assertEquals(200, w1.get("/health/live").statusCode());
      assertEquals(200, w1.get("/health/ready").statusCode());
      assertTrue(w1.get("/metrics").body().contains("ar_jobs_completed_total"));
      // Viewer reports go to the API, which counts them; a worker does not take them.
      String report = "{\"events\":[{\"name\":\"open\"}]}";
      assertEquals(404, w1.post("/ar/view/" + ids.get(0) + "/events", report).statusCode());
      assertEquals(204, api.post("/ar/view/" + ids.get(0) + "/events", report).statusCode());
      Await.until(
          "the report is counted",
          () ->
              new JsonObject(api.get("/projects/" + ids.get(0) + "/stats").body())
                      .getJsonObject("totals")
                      .getLong("scans")
                  == 1);
      assertFalse(
          api.get("/metrics").body().contains("pool_name=\"ar-compile\""),
          "no compile pool in the API");
    }
  }

  private static Map<String, Object> shared(Path dir, String role, HeldFfmpeg ffmpeg) {
    return Map.of(
        ConfigKeys.ROLE,
        role,
        ConfigKeys.STORAGE_PATH,
        dir.resolve("storage").toString(),
        ConfigKeys.UPLOADS_PATH,
        dir.resolve("uploads").toString(),
        ConfigKeys.FFMPEG_PATH,
        ffmpeg.path.toString());
  }
}
