package com.arservice.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.arservice.config.ConfigKeys;
import com.arservice.config.DatabaseUrl;
import com.arservice.testing.BlockedThreadWatch;
import com.arservice.testing.PostgresExtension;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The console's API: delete, retry, the project listing and the overview's counts. */
@ExtendWith({PostgresExtension.class, BlockedThreadWatch.class})
class ConsoleApiTest {
  private static final String TOKEN = "console-token";
  private static final String[] AUTH = {"Authorization", "Bearer " + TOKEN};
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  private static ServiceHarness service(Path dir, DatabaseUrl db, String role) throws Exception {
    return new ServiceHarness(
        dir, db, Clock.systemUTC(), Map.of(ConfigKeys.API_TOKEN, TOKEN, ConfigKeys.ROLE, role));
  }

  @Test
  void everyConsoleRouteNeedsTheToken(@TempDir Path dir, DatabaseUrl db) throws Exception {
    try (ServiceHarness service = service(dir, db, "api")) {
      String id = UUID.randomUUID().toString();
      List<HttpResponse<String>> answers =
          List.of(
              service.send("DELETE", "/projects/" + id),
              service.post("/projects/" + id + "/retry", ""),
              service.get("/admin/projects"),
              service.get("/admin/stats"),
              service.get("/admin/projects", "Authorization", "Bearer wrong"));
      for (HttpResponse<String> r : answers) {
        assertEquals(401, r.statusCode(), r.uri().toString());
        assertTrue(new JsonObject(r.body()).containsKey("error"));
      }
      assertEquals(404, service.send("DELETE", "/projects/" + id, AUTH).statusCode());
      assertEquals(404, service.send("DELETE", "/projects/not-a-uuid", AUTH).statusCode());
      assertEquals(404, service.post("/projects/" + id + "/retry", "", AUTH).statusCode());
    }
  }

  @Test
  void deletingAReadyProjectRemovesItsFilesOnceAndAgainChangesNothing(
      @TempDir Path dir, DatabaseUrl db) throws Exception {
    try (ServiceHarness service = service(dir, db, "all")) {
      String id = readyPhotoOnly(service, "p.jpg");
      Path folder = service.storage.resolve(id);
      assertTrue(Files.isDirectory(folder));

      HttpResponse<String> first = service.send("DELETE", "/projects/" + id, AUTH);
      assertEquals(200, first.statusCode(), first.body());
      JsonObject body = new JsonObject(first.body());
      assertEquals("deleted", body.getString("status"));
      assertFalse(body.getBoolean("alreadyDeleted"));
      assertTrue(body.getInteger("filesRemoved") > 0, body.encode());
      assertFalse(Files.exists(folder));
      assertEquals(410, service.get("/ar/view/" + id).statusCode());
      assertEquals(404, service.get("/objects/ar-storage/" + id + "/marker.mind").statusCode());
      assertEquals(
          "deleted", new JsonObject(service.get("/status/" + id).body()).getString("status"));

      HttpResponse<String> again = service.send("DELETE", "/projects/" + id, AUTH);
      assertEquals(200, again.statusCode());
      assertTrue(new JsonObject(again.body()).getBoolean("alreadyDeleted"));
      assertEquals(0, new JsonObject(again.body()).getInteger("filesRemoved"));
      JsonObject event = deletedEvents(service, id);
      assertEquals(1, event.getInteger("n"));
      assertEquals("deleted on request", event.getString("reason"));
    }
  }

  @Test
  void aProjectBeingCompiledCannotBeDeletedYet(@TempDir Path dir, DatabaseUrl db) throws Exception {
    try (ServiceHarness service = service(dir, db, "api")) {
      String id = pending(service, "u", "o", "p.jpg");
      HttpResponse<String> r = service.send("DELETE", "/projects/" + id, AUTH);
      assertEquals(409, r.statusCode());
      assertTrue(new JsonObject(r.body()).getString("error").contains("being compiled"));
    }
  }

  @Test
  void onlyAFailedProjectCanBeRetriedAndTheRetryCompilesItAgain(@TempDir Path dir, DatabaseUrl db)
      throws Exception {
    try (ServiceHarness service = service(dir, db, "all")) {
      String ready = readyPhotoOnly(service, "good.jpg");
      assertEquals(409, service.post("/projects/" + ready + "/retry", "", AUTH).statusCode());

      Path photo = service.uploads.resolve("later.jpg");
      Files.writeString(photo, "not a picture yet");
      String id =
          compile(
                  service,
                  new JsonObject().put("userId", "u").put("photoUrl", "/objects/uploads/later.jpg"))
              .getString("projectId");
      assertEquals("error", service.awaitFinished(id, TIMEOUT).getString("status"));
      // The shop replaces the file, then asks for another attempt.
      service.uploadPhoto("portrait-640x800.jpg", "later.jpg");
      HttpResponse<String> retried = service.post("/projects/" + id + "/retry", "", AUTH);
      assertEquals(202, retried.statusCode(), retried.body());
      assertEquals("pending", new JsonObject(retried.body()).getString("status"));
      assertEquals("ready", service.awaitFinished(id, TIMEOUT).getString("status"));
      assertEquals(409, service.post("/projects/" + id + "/retry", "", AUTH).statusCode());
    }
  }

  @Test
  void theListingPagesNewestFirstByCursorAndFilters(@TempDir Path dir, DatabaseUrl db)
      throws Exception {
    try (ServiceHarness service = service(dir, db, "api")) {
      List<String> created = new ArrayList<>();
      for (int i = 0; i < 7; i++) {
        created.add(0, pending(service, i % 2 == 0 ? "alice" : "bob", "order-" + i, "p" + i));
      }
      List<String> seen = new ArrayList<>();
      String after = null;
      int pages = 0;
      do {
        JsonObject page =
            admin(service, "/admin/projects?limit=3" + (after == null ? "" : "&after=" + after));
        JsonArray projects = page.getJsonArray("projects");
        assertTrue(projects.size() <= 3);
        projects.forEach(p -> seen.add(((JsonObject) p).getString("projectId")));
        after = page.getString("next");
        pages++;
      } while (after != null);
      assertEquals(3, pages);
      assertEquals(created, seen);

      JsonArray bob = admin(service, "/admin/projects?userId=bob").getJsonArray("projects");
      assertEquals(3, bob.size());
      bob.forEach(p -> assertEquals("bob", ((JsonObject) p).getString("userId")));
      JsonArray byOrder = admin(service, "/admin/projects?q=ORDER-4").getJsonArray("projects");
      assertEquals(1, byOrder.size());
      assertEquals("order-4", byOrder.getJsonObject(0).getString("orderId"));
      String someId = created.get(2);
      JsonArray byId =
          admin(service, "/admin/projects?q=" + someId.substring(0, 13)).getJsonArray("projects");
      assertEquals(someId, byId.getJsonObject(0).getString("projectId"));
      assertEquals(
          0, admin(service, "/admin/projects?status=ready").getJsonArray("projects").size());
      assertEquals(
          7,
          admin(service, "/admin/projects?status=pending&demo=false")
              .getJsonArray("projects")
              .size());
      assertNull(admin(service, "/admin/projects").getString("next"));

      assertEquals(400, service.get("/admin/projects?after=garbage", AUTH).statusCode());
      assertEquals(400, service.get("/admin/projects?limit=0", AUTH).statusCode());
      assertEquals(400, service.get("/admin/projects?status=lost", AUTH).statusCode());
    }
  }

  @Test
  void theOverviewCountsJobsCompilationsWebhooksDiskAndInstances(@TempDir Path dir, DatabaseUrl db)
      throws Exception {
    try (ServiceHarness service = service(dir, db, "all")) {
      readyPhotoOnly(service, "a.jpg");
      Files.writeString(service.uploads.resolve("bad.jpg"), "no picture");
      String bad =
          compile(
                  service,
                  new JsonObject().put("userId", "u").put("photoUrl", "/objects/uploads/bad.jpg"))
              .getString("projectId");
      service.awaitFinished(bad, TIMEOUT);

      JsonObject stats = admin(service, "/admin/stats");
      assertEquals(1, stats.getJsonObject("jobs").getInteger("completed"));
      assertEquals(1, stats.getJsonObject("jobs").getInteger("failed"));
      JsonObject projects = stats.getJsonObject("projects");
      assertEquals(1, projects.getInteger("ready"));
      assertEquals(1, projects.getInteger("failed"));
      assertEquals(24, projects.getJsonArray("hourly").size());
      JsonObject lastHour = projects.getJsonArray("hourly").getJsonObject(23);
      assertEquals(1, lastHour.getInteger("ready"));
      assertEquals(1, lastHour.getInteger("failed"));
      assertTrue(projects.getInteger("medianCompileMs") > 0);
      assertEquals(1, projects.getJsonObject("byStatus").getInteger("error"));
      // Without BACKEND_URL events are recorded: ready (2: complete + e-mail) and failed (1).
      assertEquals(
          3, stats.getJsonObject("webhooks").getJsonObject("byState").getInteger("recorded"));
      assertEquals(0, stats.getJsonObject("webhooks").getInteger("backlog"));
      assertTrue(stats.getJsonObject("disk").getLong("freeBytes") > 0);
      JsonArray instances = stats.getJsonArray("instances");
      assertEquals(1, instances.size());
      JsonObject worker = instances.getJsonObject(0);
      assertEquals("worker", worker.getString("role"));
      assertNotNull(worker.getString("lastSeenAt"));
      String compiledBy =
          service
              .app
              .pool()
              .query("SELECT worker_id FROM ar_jobs WHERE state = 'completed'")
              .execute()
              .await()
              .iterator()
              .next()
              .getString("worker_id");
      assertEquals(compiledBy, worker.getString("workerId"));
    }
  }

  private static JsonObject compile(ServiceHarness service, JsonObject request) throws Exception {
    HttpResponse<String> r = service.post("/compile", request.encode(), AUTH);
    assertEquals(202, r.statusCode(), r.body());
    return new JsonObject(r.body());
  }

  private static JsonObject admin(ServiceHarness service, String path) throws Exception {
    HttpResponse<String> r = service.get(path, AUTH);
    assertEquals(200, r.statusCode(), r.body());
    return new JsonObject(r.body());
  }

  private static String pending(ServiceHarness service, String user, String order, String file)
      throws Exception {
    String url = service.uploadPhoto("landscape-800x640.jpg", file + ".jpg");
    HttpResponse<String> r =
        service.post(
            "/compile",
            new JsonObject()
                .put("userId", user)
                .put("orderId", order)
                .put("photoUrl", url)
                .encode(),
            AUTH);
    assertEquals(202, r.statusCode(), r.body());
    return new JsonObject(r.body()).getString("projectId");
  }

  private static String readyPhotoOnly(ServiceHarness service, String file) throws Exception {
    String url = service.uploadPhoto("landscape-800x640.jpg", file);
    String id =
        compile(service, new JsonObject().put("userId", "u").put("photoUrl", url))
            .getString("projectId");
    assertEquals("ready", service.awaitFinished(id, TIMEOUT).getString("status"));
    return id;
  }

  private static JsonObject deletedEvents(ServiceHarness service, String id) {
    var rows =
        service
            .app
            .pool()
            .preparedQuery(
                "SELECT count(*)::int AS n, max(payload->'data'->>'reason') AS reason "
                    + "FROM ar_webhook_events WHERE project_id = $1 AND event_type = 'ar.project.deleted'")
            .execute(Tuple.of(UUID.fromString(id)))
            .await();
    var row = rows.iterator().next();
    return new JsonObject().put("n", row.getInteger("n")).put("reason", row.getString("reason"));
  }
}
