package com.arservice.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.arservice.analytics.DeviceFamily;
import com.arservice.analytics.Measure;
import com.arservice.analytics.Tally;
import com.arservice.config.ConfigKeys;
import com.arservice.config.DatabaseUrl;
import com.arservice.testing.Await;
import com.arservice.testing.BlockedThreadWatch;
import com.arservice.testing.PostgresExtension;
import com.arservice.testing.SettableClock;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The viewer pages' reports, {@code POST /ar/view/:id/events}, against the whole service: counted
 * per project, day and device family, read back by {@code GET /projects/:id/stats}, refused when
 * invalid, bounded under a flood, and a project that is rarely found flagged once by webhook.
 */
@ExtendWith({PostgresExtension.class, BlockedThreadWatch.class})
class ViewerAnalyticsTest {
  private static final String XFF = "X-Forwarded-For";
  private static final String IPHONE =
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like"
          + " Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
  private static final List<String> AGENTS =
      List.of(
          IPHONE,
          "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko)"
              + " Chrome/126.0 Mobile Safari/537.36",
          "Mozilla/5.0 (Android 14; Mobile; rv:127.0) Gecko/127.0 Firefox/127.0",
          "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0"
              + " Safari/537.36",
          "curl/8.5.0",
          "");

  /**
   * One viewing that found the print after 1.2 s and watched 7 s of video with sound, its video
   * loaded anew once as stuck.
   */
  private static final JsonArray VIEWING =
      new JsonArray(
          """
          [{"name":"open"},{"name":"camera","result":"allowed"},{"name":"ready","ms":2100},
           {"name":"found","target":0,"ms":1200,"first":true},{"name":"video","target":0,"sound":true},
           {"name":"stuck","target":0},{"name":"watch","seconds":7.4},{"name":"lost","target":0},
           {"name":"hidden"}]""");

  private final SettableClock clock = new SettableClock(Instant.parse("2026-07-01T10:00:00Z"));
  private ServiceHarness service;

  @BeforeEach
  void start(@TempDir Path dir, DatabaseUrl db) throws Exception {
    service = new ServiceHarness(dir, db, clock, Map.of(ConfigKeys.POOR_DETECTION_SCANS, 5));
  }

  @AfterEach
  void stop() {
    service.close();
  }

  @Test
  void aViewingsReportsShowInItsProjectsStatsByDayAndDeviceAndNowhereElse() throws Exception {
    UUID project = project("ready");
    UUID other = project("ready");
    assertEquals(204, report(project, VIEWING, IPHONE, "192.0.2.1").statusCode());
    clock.advance(Duration.ofDays(1));
    JsonArray refused =
        new JsonArray(
            "[{\"name\":\"open\"},{\"name\":\"camera\",\"result\":\"denied\",\"error\":\"NotAllowedError\"}]");
    assertEquals(204, report(project, refused, AGENTS.get(1), "192.0.2.2").statusCode());
    JsonArray failed =
        new JsonArray(
            "[{\"name\":\"open\"},{\"name\":\"camera\",\"result\":\"failed\",\"error\":\"NotReadableError\"}]");
    assertEquals(204, report(project, failed, AGENTS.get(1), "192.0.2.2").statusCode());

    JsonObject stats =
        Await.value(
            "the reports are written",
            Duration.ofSeconds(30),
            () -> stats(project),
            s -> s.getJsonObject("totals").getLong("scans") == 3);
    JsonObject totals = stats.getJsonObject("totals");
    assertEquals(1, totals.getLong("cameraAllowed"));
    assertEquals(1, totals.getLong("cameraDenied"));
    assertEquals(1, totals.getLong("cameraFailed"));
    assertEquals(new JsonObject().put("NotReadableError", 1), totals.getJsonObject("cameraErrors"));
    assertEquals(1, totals.getLong("viewsFound"));
    assertEquals(1.0, totals.getDouble("foundRate"));
    assertEquals(1, totals.getLong("videoStartsWithSound"));
    assertEquals(7, totals.getLong("watchSeconds"));
    assertEquals(1, totals.getLong("videoRestarts"));
    long median = totals.getJsonObject("timeToFoundMs").getLong("median");
    assertTrue(median > 1000 && median <= 2000, "1.2 s lies in the 1-2 s bucket: " + median);
    JsonArray days = stats.getJsonArray("days");
    assertEquals(
        List.of("2026-07-01", "2026-07-02"),
        days.stream().map(d -> ((JsonObject) d).getString("day")).toList());
    assertEquals(2, days.getJsonObject(1).getLong("scans"));
    assertEquals(
        List.of("android-blink", "ios-webkit"),
        stats.getJsonArray("devices").stream()
            .map(d -> ((JsonObject) d).getString("device"))
            .toList());
    assertNull(stats.getValue("poorDetection"));
    assertEquals(0, stats(other).getJsonObject("totals").getLong("scans"), "the other project");

    JsonObject overview = new JsonObject(service.get("/admin/analytics").body());
    assertEquals(3, overview.getJsonObject("totals").getLong("scans"));
    String metrics = service.get("/metrics").body();
    assertTrue(
        metrics.contains("ar_viewer_events_total{family=\"ios-webkit\",measure=\"scans\"} 1.0"),
        "counted in Prometheus");
  }

  @Test
  void aRowWrittenBeforeTheStuckVideoCountKeepsItsCountsAndGainsIt() throws Exception {
    UUID project = project("ready");
    // the counts a row had before videoRestarts: two scans, nothing else
    Long[] before = new Long[Measure.VIDEO_RESTARTS.ordinal()];
    Arrays.fill(before, 0L);
    before[0] = 2L;
    Long[] buckets = new Long[Tally.BUCKETS_MS.length + 1];
    Arrays.fill(buckets, 0L);
    service
        .app
        .pool()
        .preparedQuery(
            "INSERT INTO ar_viewer_days (project_id, day, device, counts, ready_ms, found_ms)"
                + " VALUES ($1, '2026-07-01', 'ios-webkit', $2, $3, $3)")
        .execute(Tuple.of(project).addArrayOfLong(before).addArrayOfLong(buckets))
        .await();
    assertEquals(
        204,
        report(project, new JsonArray("[{\"name\":\"stuck\",\"target\":0}]"), IPHONE, "192.0.2.9")
            .statusCode());
    JsonObject totals =
        Await.value(
                "the report is added to the old row",
                Duration.ofSeconds(30),
                () -> stats(project),
                s -> s.getJsonObject("totals").getLong("videoRestarts") == 1)
            .getJsonObject("totals");
    assertEquals(2, totals.getLong("scans"), totals.encode());
    assertEquals(
        List.of(Measure.values().length),
        service
            .app
            .pool()
            .preparedQuery(
                "SELECT array_length(counts, 1) AS n FROM ar_viewer_days WHERE project_id = $1")
            .execute(Tuple.of(project))
            .await()
            .stream()
            .map(r -> r.getInteger("n"))
            .toList(),
        "the report was added to the old row, which now has every count");
  }

  @Test
  void onlyKnownEventsOfExistingProjectsAreAccepted() throws Exception {
    UUID project = project("ready");
    UUID deleted = project("deleted");
    JsonArray open = new JsonArray("[{\"name\":\"open\"}]");
    assertEquals(404, report(UUID.randomUUID(), open, IPHONE, "192.0.2.3").statusCode());
    assertEquals(404, report(deleted, open, IPHONE, "192.0.2.3").statusCode());
    assertEquals(
        404,
        post("/ar/view/not-a-project/events", "{\"events\":[{\"name\":\"open\"}]}", "192.0.2.3")
            .statusCode());
    for (String body :
        List.of(
            "",
            "[]",
            "not json",
            "{\"events\":[]}",
            "{\"events\":[{\"name\":\"open\"}],\"visitor\":\"x\"}",
            "{\"events\":[{\"name\":\"clicked\"}]}",
            "{\"events\":[{\"name\":\"open\"},{\"name\":\"open\"}]}",
            "{\"events\":[{\"name\":\"ready\",\"ms\":-1}]}",
            "{\"events\":[{\"name\":\"ready\",\"ms\":1.5}]}",
            "{\"events\":[{\"name\":\"found\",\"target\":10,\"ms\":5,\"first\":true}]}",
            "{\"events\":[{\"name\":\"watch\",\"seconds\":99999}]}",
            "{\"events\":[{\"name\":\"stuck\",\"target\":10}]}",
            "{\"events\":[{\"name\":\"camera\",\"result\":\"maybe\"}]}",
            "{\"events\":[{\"name\":\"open\",\"where\":\"home\"}]}")) {
      HttpResponse<String> r = post("/ar/view/" + project + "/events", body, "192.0.2.4");
      assertEquals(400, r.statusCode(), body + " → " + r.body());
      assertTrue(
          new JsonObject(r.body()).getString("error").startsWith("Not a viewer event report"));
    }
    assertEquals(
        413, post("/ar/view/" + project + "/events", "x".repeat(5000), "192.0.2.4").statusCode());
  }

  @Test
  void switchedOffThePageNamesNoAddressAndTheRouteDoesNotExist(@TempDir Path dir, DatabaseUrl db)
      throws Exception {
    service.close();
    service =
        new ServiceHarness(
            dir.resolve("off"), db, clock, Map.of(ConfigKeys.VIEWER_ANALYTICS, false));
    String id = project("ready").toString();
    // the page data the pipeline would have written
    Files.createDirectories(service.storage.resolve(id));
    Files.writeString(
        service.storage.resolve(id).resolve("viewer.json"),
        new JsonObject()
            .put("projectId", id)
            .put("markerUrl", "/objects/ar-storage/" + id + "/marker.mind")
            .put("config", new JsonObject())
            .put("targets", new JsonArray())
            .encode());
    String page = service.get("/ar/view/" + id).body();
    assertTrue(page.contains("<meta name=\"ar-events\" content=\"\">"), page);
    assertEquals(
        404,
        report(UUID.fromString(id), new JsonArray("[{\"name\":\"open\"}]"), IPHONE, "192.0.2.6")
            .statusCode());
    assertEquals(0, scans(UUID.fromString(id)), "the stats stay readable");
  }

  @Test
  void aProjectScannedOftenAndRarelyFoundIsFlaggedOnceWithAWebhookEvent() throws Exception {
    UUID poor = project("ready");
    UUID good = project("ready");
    JsonArray notFound =
        new JsonArray(
            "[{\"name\":\"open\"},{\"name\":\"camera\",\"result\":\"allowed\"},{\"name\":\"ready\",\"ms\":900}]");
    for (int i = 0; i < 4; i++) {
      assertEquals(204, report(poor, notFound, IPHONE, "192.0.2.5").statusCode());
      assertEquals(204, report(good, VIEWING, IPHONE, "192.0.2.5").statusCode());
    }
    Await.until("four viewings written", () -> scans(poor) == 4 && scans(good) == 4);
    assertNull(stats(poor).getValue("poorDetection"), "four scans are too few to judge");
    assertEquals(204, report(poor, notFound, IPHONE, "192.0.2.5").statusCode());
    assertEquals(204, report(good, VIEWING, IPHONE, "192.0.2.5").statusCode());
    Await.until("the fifth viewing is judged", () -> stats(poor).getValue("poorDetection") != null);
    for (int i = 0; i < 5; i++) {
      assertEquals(204, report(poor, notFound, IPHONE, "192.0.2.5").statusCode());
    }
    Await.until("ten viewings written", () -> scans(poor) == 10);
    JsonObject flag = stats(poor).getJsonObject("poorDetection");
    assertNotNull(flag);
    assertEquals(5, flag.getLong("scans"), "flagged at the fifth AR-ready viewing");
    assertEquals(0, flag.getLong("found"));
    assertNull(stats(good).getValue("poorDetection"));
    List<Row> events =
        service
            .app
            .pool()
            .preparedQuery(
                "SELECT project_id, payload FROM ar_webhook_events WHERE event_type = $1")
            .execute(Tuple.of("ar.project.poor_detection"))
            .await()
            .stream()
            .toList();
    assertEquals(1, events.size(), "one event, however often the project is scanned after");
    JsonObject data = events.get(0).getJsonObject("payload").getJsonObject("data");
    assertEquals(poor.toString(), data.getString("projectId"));
    assertEquals("analytics-test", data.getString("userId"));
    assertEquals(0.0, data.getDouble("foundRate"));
    JsonArray flagged =
        new JsonObject(service.get("/admin/analytics").body()).getJsonArray("poorDetection");
    assertEquals(1, flagged.size());
    assertEquals(poor.toString(), flagged.getJsonObject(0).getString("projectId"));
  }

  /**
   * 100,000 events in 3,125 reports of 32, sent 64 at a time over keep-alive connections from 2,000
   * client addresses: valid ones, unknown names, bad fields, unknown and deleted projects, bodies
   * that are not JSON, too many events, 64 KB bodies; and one greedy client.
   */
  @Test
  void aFloodOf100000EventsIsCountedExactlyInBoundedRowsWhileTheServiceStaysResponsive()
      throws Exception {
    UUID first = project("ready");
    UUID second = project("ready");
    UUID deleted = project("deleted");
    List<UUID> unknown = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
    // a viewing and 23 more times the print was lost: the most one report may carry
    JsonArray most = VIEWING.copy();
    while (most.size() < 32) {
      most.add(new JsonObject().put("name", "lost").put("target", 0));
    }
    String valid = new JsonObject().put("events", most).encode();
    String tooMany =
        new JsonObject()
            .put("events", most.copy().add(new JsonObject().put("name", "hidden")))
            .encode();
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    Semaphore inFlight = new Semaphore(64);
    Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
    Map<UUID, AtomicLong> accepted = new ConcurrentHashMap<>();
    List<CompletableFuture<?>> sent = new ArrayList<>();
    AtomicLong slowestHealth = new AtomicLong();
    Thread prober =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                long t0 = System.nanoTime();
                try {
                  assertEquals(200, service.get("/health/live").statusCode());
                  slowestHealth.accumulateAndGet(System.nanoTime() - t0, Math::max);
                  Thread.sleep(50);
                } catch (InterruptedException e) {
                  return;
                } catch (Exception e) {
                  slowestHealth.set(Long.MAX_VALUE);
                }
              }
            });
    prober.start();
    int reports = 3_125;
    for (int i = 0; i < reports; i++) {
      int kind = i % 20;
      UUID target = i % 2 == 0 ? first : second;
      String body = valid;
      String expected = "204";
      switch (kind) {
        case 12, 13 -> {
          body = valid.replace("\"hidden\"", "\"clicked\"");
          expected = "400";
        }
        case 14 -> {
          body = valid.replace("7.4", "86400");
          expected = "400";
        }
        case 15 -> {
          target = unknown.get(i % unknown.size());
          expected = "404";
        }
        case 16 -> {
          target = deleted;
          expected = "404";
        }
        case 17 -> {
          body = "{\"events\": [" + "{\"name\":\"open\"},".repeat(32);
          expected = "400";
        }
        case 18 -> {
          body = tooMany;
          expected = "400";
        }
        case 19 -> {
          body = "{\"events\":\"" + "x".repeat(64 * 1024) + "\"}";
          expected = "413";
        }
        default -> {}
      }
      // the greedy client sends every 25th report
      String client = i % 25 == 0 ? "203.0.113.99" : "10.1." + i % 2000 / 250 + "." + i % 250;
      String label = (client.startsWith("203.") ? "greedy " : "") + expected;
      UUID project = target;
      inFlight.acquire();
      sent.add(
          http.sendAsync(
                  HttpRequest.newBuilder(
                          URI.create(
                              "http://localhost:"
                                  + service.app.port()
                                  + "/ar/view/"
                                  + project
                                  + "/events"))
                      .header("Content-Type", "text/plain;charset=UTF-8")
                      .header("User-Agent", AGENTS.get(i % AGENTS.size()))
                      .header(XFF, client)
                      .POST(HttpRequest.BodyPublishers.ofString(body))
                      .build(),
                  HttpResponse.BodyHandlers.discarding())
              .whenComplete(
                  (r, e) -> {
                    inFlight.release();
                    String got = e != null ? "failed " + e : Integer.toString(r.statusCode());
                    outcomes
                        .computeIfAbsent(label + " → " + got, k -> new AtomicLong())
                        .incrementAndGet();
                    if (e == null && r.statusCode() == 204) {
                      accepted.computeIfAbsent(project, k -> new AtomicLong()).incrementAndGet();
                    }
                  }));
    }
    CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
    prober.interrupt();
    prober.join();

    Map<String, Long> counts = new java.util.TreeMap<>();
    outcomes.forEach((k, v) -> counts.put(k, v.get()));
    for (String outcome : counts.keySet()) {
      String[] parts = outcome.replace("greedy ", "").split(" → ");
      assertTrue(
          parts[0].equals(parts[1]) || outcome.startsWith("greedy ") && parts[1].equals("429"),
          "every report answered as expected: " + counts);
    }
    assertTrue(
        counts.getOrDefault("greedy 204 → 429", 0L) > 0, "the greedy client waits: " + counts);
    assertTrue(
        Duration.ofNanos(slowestHealth.get()).compareTo(Duration.ofSeconds(5)) < 0,
        "health answered within 5 s throughout: " + Duration.ofNanos(slowestHealth.get()));

    for (UUID project : List.of(first, second)) {
      long expected = accepted.get(project).get();
      Await.until("the accepted reports are written", () -> scans(project) == expected);
      JsonObject totals = stats(project).getJsonObject("totals");
      assertEquals(expected, totals.getLong("viewsFound"));
      assertEquals(expected * 7, totals.getLong("watchSeconds"));
      assertEquals(expected * 24, totals.getLong("targetsLost"));
      assertEquals(expected, totals.getLong("videoRestarts"));
    }
    List<Row> rows =
        service
            .app
            .pool()
            .query(
                "SELECT project_id, day, count(*) AS n FROM ar_viewer_days GROUP BY project_id, day")
            .execute()
            .await()
            .stream()
            .toList();
    assertEquals(2, rows.size(), "rows of the two real projects only");
    for (Row r : rows) {
      assertTrue(r.getLong("n") <= DeviceFamily.ALL.size(), "one row per device family");
    }
  }

  private long scans(UUID project) throws Exception {
    return stats(project).getJsonObject("totals").getLong("scans");
  }

  private JsonObject stats(UUID project) throws Exception {
    HttpResponse<String> r = service.get("/projects/" + project + "/stats");
    assertEquals(200, r.statusCode(), r.body());
    return new JsonObject(r.body());
  }

  private HttpResponse<String> report(UUID project, JsonArray events, String agent, String client)
      throws Exception {
    return service.post(
        "/ar/view/" + project + "/events",
        new JsonObject().put("events", events).encode(),
        "User-Agent",
        agent,
        XFF,
        client);
  }

  private HttpResponse<String> post(String path, String body, String client) throws Exception {
    return service.post(path, body, XFF, client);
  }

  private UUID project(String status) {
    UUID id = UUID.randomUUID();
    service
        .app
        .pool()
        .preparedQuery(
            "INSERT INTO ar_projects (id, user_id, photo_url, status) VALUES ($1, $2, $3, $4)")
        .execute(Tuple.of(id, "analytics-test", "/objects/uploads/p.jpg", status))
        .await();
    return id;
  }
}
