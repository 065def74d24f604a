package com.arservice.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.arservice.config.ConfigKeys;
import com.arservice.config.DatabaseUrl;
import com.arservice.media.FfmpegFeaturesTest;
import com.arservice.testing.Await;
import com.arservice.testing.BlockedThreadWatch;
import com.arservice.testing.PostgresExtension;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Metrics and the three health routes of a running service. */
@ExtendWith({PostgresExtension.class, BlockedThreadWatch.class})
class OperationsTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  @Test
  void metricsShowRouteLatencyStepDurationsQueueDepthJobCountsPoolsAndEventLoopDelay(
      @TempDir Path dir, DatabaseUrl db) throws Exception {
    try (ServiceHarness service = new ServiceHarness(dir, db, Clock.systemUTC(), Map.of())) {
      String id =
          service
              .compile(
                  new JsonObject()
                      .put("userId", "u")
                      .put("photoUrl", service.uploadPhoto("landscape-800x640.jpg", "p.jpg")))
              .getString("projectId");
      assertEquals("ready", service.awaitFinished(id, TIMEOUT).getString("status"));

      String metrics = awaitMetric(service, "ar_event_loop_delay_seconds_count");
      assertTrue(
          value(
                  metrics,
                  "vertx_http_server_response_time_seconds_bucket\\{[^}]*route=\"/status/:id\"[^}]*"
                      + "le=\"\\+Inf\"[^}]*\\}")
              >= 1,
          "latency histogram by route");
      assertEquals(
          1,
          value(
              metrics,
              "ar_compile_step_duration_seconds_count\\{status=\"completed\",step=\"marker\"\\}"));
      assertTrue(
          metrics.contains(
              "ar_compile_step_duration_seconds_bucket{status=\"completed\",step=\"marker\","));
      assertEquals(1, value(metrics, "ar_compile_duration_seconds_count\\{outcome=\"ready\"\\}"));
      assertEquals(
          1, value(metrics, "ar_queue_depth\\{queue=\"ar-compile\",state=\"completed\"\\}"));
      assertEquals(0, value(metrics, "ar_queue_depth\\{queue=\"ar-compile\",state=\"active\"\\}"));
      assertEquals(1, value(metrics, "ar_jobs_completed_total"));
      assertTrue(metrics.contains("pool_name=\"ar-compile\""), "worker pool usage");
      assertFalse(metrics.contains("path=\""), "no label per URL path");
      assertFalse(metrics.contains(id), "no label per project");
      assertTrue(
          metrics.contains("address=\"ar.projects.changed\""),
          "the project's changes counted under one address");
    }
  }

  @Test
  void healthChecksDatabaseQueueStorageAndFfmpegAndReadinessLeavesTheQueueOut(
      @TempDir Path dir, DatabaseUrl db) throws Exception {
    try (ServiceHarness service = new ServiceHarness(dir, db, Clock.systemUTC(), Map.of())) {
      HttpResponse<String> health = service.get("/health");
      assertEquals(200, health.statusCode(), health.body());
      assertEquals(List.of("database", "ffmpeg", "heif", "queue", "storage"), ids(health.body()));
      HttpResponse<String> ready = service.get("/health/ready");
      assertEquals(200, ready.statusCode(), ready.body());
      assertEquals(List.of("database", "ffmpeg", "heif", "storage"), ids(ready.body()));
      assertEquals(200, service.get("/health/live").statusCode());
    }
  }

  @Test
  void tooLittleFreeStorageOrAMissingFfmpegMakesTheServiceUnready(@TempDir Path dir, DatabaseUrl db)
      throws Exception {
    try (ServiceHarness service =
        new ServiceHarness(
            dir,
            db,
            Clock.systemUTC(),
            Map.of(
                ConfigKeys.STORAGE_MIN_FREE_MB,
                10_000_000,
                ConfigKeys.FFMPEG_PATH,
                dir.resolve("no-ffmpeg").toString()))) {
      for (String route : new String[] {"/health", "/health/ready"}) {
        HttpResponse<String> r = service.get(route);
        assertEquals(503, r.statusCode(), r.body());
        assertEquals("DOWN", check(r.body(), "storage").getString("status"));
        assertTrue(
            check(r.body(), "storage")
                .getJsonObject("data")
                .getString("error")
                .contains("MB free"));
        assertEquals("DOWN", check(r.body(), "ffmpeg").getString("status"));
        assertEquals("UP", check(r.body(), "database").getString("status"));
      }
      assertEquals(200, service.get("/health/live").statusCode(), "alive, though not ready");
    }
  }

  @Test
  void anFfmpegWithoutZscaleMakesTheServiceUnreadyNamingWhatItLacks(
      @TempDir Path dir, DatabaseUrl db) throws Exception {
    Path ffmpeg = FfmpegFeaturesTest.withoutZscale(Files.createDirectories(dir.resolve("bin")));
    try (ServiceHarness service =
        new ServiceHarness(
            dir, db, Clock.systemUTC(), Map.of(ConfigKeys.FFMPEG_PATH, ffmpeg.toString()))) {
      // the features are looked up in the background from the first check on
      HttpResponse<String> r =
          Await.value(
              "ffmpeg's features are known",
              Duration.ofSeconds(30),
              () -> service.get("/health/ready"),
              answer -> !answer.body().contains("being checked"));
      assertEquals(503, r.statusCode(), r.body());
      assertEquals("DOWN", check(r.body(), "ffmpeg").getString("status"));
      assertTrue(
          check(r.body(), "ffmpeg")
              .getJsonObject("data")
              .getString("error")
              .contains("lacks zscale"),
          r.body());
    }
  }

  @Test
  void aJobStuckPastItsLeaseWithNoWorkerToReapItTurnsHealthDownButNotReadiness(
      @TempDir Path dir, DatabaseUrl db) throws Exception {
    try (ServiceHarness api =
        new ServiceHarness(
            dir,
            db,
            Clock.systemUTC(),
            Map.of(
                ConfigKeys.ROLE,
                "api",
                ConfigKeys.FFMPEG_PATH,
                dir.resolve("no-ffmpeg").toString()))) {
      api.compile(
          new JsonObject()
              .put("userId", "u")
              .put("photoUrl", api.uploadPhoto("wide-1024x768.jpg", "p.jpg")));
      assertEquals(200, api.get("/health").statusCode(), "an API process needs no ffmpeg");
      api.app
          .pool()
          .query(
              "UPDATE ar_jobs SET state = 'active', worker_id = 'gone', started_at = now(), "
                  + "lease_until = now() - interval '10 minutes'")
          .execute()
          .await();
      HttpResponse<String> health = api.get("/health");
      assertEquals(503, health.statusCode(), health.body());
      assertEquals(1, check(health.body(), "queue").getJsonObject("data").getInteger("stuckJobs"));
      assertEquals(200, api.get("/health/ready").statusCode());
    }
  }

  private static JsonObject check(String body, String id) {
    return new JsonObject(body)
        .getJsonArray("checks").stream()
            .map(o -> (JsonObject) o)
            .filter(c -> id.equals(c.getString("id")))
            .findFirst()
            .orElseThrow(() -> new AssertionError(id + ": " + body));
  }

  /** The ids of the checks, sorted (they are listed in the order they answered). */
  private static List<String> ids(String body) {
    JsonArray checks = new JsonObject(body).getJsonArray("checks");
    return checks.stream().map(o -> ((JsonObject) o).getString("id")).sorted().toList();
  }

  /** Scrapes until {@code name} is there: the event-loop probe records once a second. */
  private static String awaitMetric(ServiceHarness service, String name) {
    return Await.value(
        name + " is in /metrics",
        Duration.ofSeconds(30),
        () -> {
          HttpResponse<String> r = service.get("/metrics");
          assertEquals(200, r.statusCode());
          return r.body();
        },
        body -> body.contains(name));
  }

  /** The value of the one sample whose name and labels match {@code regex}. */
  private static double value(String metrics, String regex) {
    Matcher m = Pattern.compile("(?m)^" + regex + " (\\S+)$").matcher(metrics);
    if (!m.find()) {
      throw new AssertionError("no sample " + regex + " in\n" + metrics);
    }
    return Double.parseDouble(m.group(1));
  }
}
