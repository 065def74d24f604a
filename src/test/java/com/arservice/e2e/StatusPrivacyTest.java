package com.arservice.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.arservice.config.ConfigKeys;
import com.arservice.config.DatabaseUrl;
import com.arservice.testing.BlockedThreadWatch;
import com.arservice.testing.PostgresExtension;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Anyone holding a printed photobook knows its project id (the QR code): without the API token,
 * status and its logs name nothing that identifies the customer; with it, everything.
 */
@ExtendWith({PostgresExtension.class, BlockedThreadWatch.class})
class StatusPrivacyTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  private static final String TOKEN = "status-token";
  private static final String USER = "customer-4711";
  private static final String ORDER = "order-0815";

  /** Shops may name uploads after their customers. */
  private static final String UPLOAD = USER + "-" + ORDER + ".jpg";

  @Test
  void withATokenConfiguredOnlyItsHoldersSeeTheCustomersIdsAndUploads(
      @TempDir Path dir, DatabaseUrl db) throws Exception {
    try (ServiceHarness service =
        new ServiceHarness(dir, db, Clock.systemUTC(), Map.of(ConfigKeys.API_TOKEN, TOKEN))) {
      String photo = service.uploadPhoto("landscape-800x640.jpg", UPLOAD);
      HttpResponse<String> accepted =
          service.post("/compile", request(photo).encode(), "Authorization", "Bearer " + TOKEN);
      assertEquals(202, accepted.statusCode(), accepted.body());
      String id = new JsonObject(accepted.body()).getString("projectId");
      assertEquals("ready", service.awaitFinished(id, TIMEOUT).getString("status"));

      for (String[] headers :
          new String[][] {{}, {"Authorization", "Bearer wrong"}, {"Authorization", TOKEN}}) {
        assertPublic(service, id, headers);
      }

      HttpResponse<String> full = service.get("/status/" + id, "Authorization", "Bearer " + TOKEN);
      JsonObject status = new JsonObject(full.body());
      assertEquals(USER, status.getString("userId"));
      assertEquals(ORDER, status.getString("orderId"));
      assertEquals(photo, status.getString("photoUrl"));
      assertEquals(photo, status.getJsonArray("targets").getJsonObject(0).getString("photoUrl"));
      HttpResponse<String> logs =
          service.get("/status/" + id + "/logs", "Authorization", "Bearer " + TOKEN);
      assertEquals(200, logs.statusCode());
      assertEquals(
          new JsonObject(logs.body()).getJsonArray("logs").size(),
          new JsonObject(service.get("/status/" + id + "/logs").body()).getJsonArray("logs").size(),
          "the public log has every step");
    }
  }

  @Test
  void withoutATokenConfiguredNobodyHoldsItAndStatusIsAlwaysThePublicForm(
      @TempDir Path dir, DatabaseUrl db) throws Exception {
    try (ServiceHarness service = new ServiceHarness(dir, db, Clock.systemUTC(), Map.of())) {
      String id =
          service
              .compile(request(service.uploadPhoto("landscape-800x640.jpg", UPLOAD)))
              .getString("projectId");
      assertEquals("ready", service.awaitFinished(id, TIMEOUT).getString("status"));
      assertPublic(service, id);
      assertPublic(service, id, "Authorization", "Bearer ");
      assertPublic(service, id, "Authorization", "Bearer anything");
    }
  }

  @Test
  void aFailedProjectNamesNoCustomerFileOnAnyPublicSurface(@TempDir Path dir, DatabaseUrl db)
      throws Exception {
    Map<String, Object> api = Map.of(ConfigKeys.API_TOKEN, TOKEN, ConfigKeys.ROLE, "api");
    try (ServiceHarness service = new ServiceHarness(dir, db, Clock.systemUTC(), api)) {
      String upload = "orders/John Smith order 4711.jpg";
      Files.createDirectories(service.uploads.resolve("orders"));
      String url = service.uploadPhoto("landscape-800x640.jpg", upload);
      HttpResponse<String> accepted =
          service.post("/compile", request(url).encode(), "Authorization", "Bearer " + TOKEN);
      assertEquals(202, accepted.statusCode(), accepted.body());
      String id = new JsonObject(accepted.body()).getString("projectId");
      // The shop's backend removes the file before a worker gets to it.
      Files.delete(service.uploads.resolve(upload));
      try (ServiceHarness worker =
          new ServiceHarness(dir, db, Clock.systemUTC(), Map.of(ConfigKeys.ROLE, "worker"))) {
        assertEquals("error", service.awaitFinished(id, TIMEOUT).getString("status"));
      }
      String stored =
          new JsonObject(service.get("/status/" + id, "Authorization", "Bearer " + TOKEN).body())
              .getString("errorMessage");
      assertTrue(stored.contains("John Smith order 4711.jpg"), "the shop sees it: " + stored);

      Map<String, String> surfaces = new LinkedHashMap<>();
      surfaces.put("status", service.get("/status/" + id).body());
      surfaces.put("logs", service.get("/status/" + id + "/logs").body());
      surfaces.put("events", service.get("/status/" + id + "/events").body());
      surfaces.put("viewer", service.get("/ar/view/" + id).body());
      surfaces.put("viewer ru", service.get("/view/" + id, "Accept-Language", "ru").body());
      for (var surface : surfaces.entrySet()) {
        String body = surface.getValue();
        assertTrue(
            surface.getKey().equals("logs") || body.contains("file not found"),
            surface.getKey() + " says why: " + body);
        assertFalse(
            body.contains("John Smith") || body.contains("4711") || body.contains(USER),
            surface.getKey() + ": " + body);
      }
    }
  }

  private static JsonObject request(String photo) {
    return new JsonObject().put("userId", USER).put("orderId", ORDER).put("photoUrl", photo);
  }

  /** Status and logs answer, and neither names the customer, their order or their upload. */
  private static void assertPublic(ServiceHarness service, String id, String... headers)
      throws Exception {
    HttpResponse<String> status = service.get("/status/" + id, headers);
    HttpResponse<String> logs = service.get("/status/" + id + "/logs", headers);
    assertEquals(200, status.statusCode(), status.body());
    assertEquals(200, logs.statusCode(), logs.body());
    assertEquals(
        List.of("Authorization, Cookie"),
        status.headers().allValues("Vary"),
        "the answer depends on the token or the console's cookie");
    String published = "/objects/ar-storage/" + id + "/";
    String page = service.get(published + "index.html").body();
    String viewerData = service.get(published + "viewer.json").body();
    String viewer = service.get("/ar/view/" + id).body();
    assertTrue(page.contains("marker.mind") && viewerData.contains("marker.mind"), viewerData);
    for (String body : new String[] {status.body(), logs.body(), page, viewerData, viewer}) {
      assertFalse(
          body.contains(USER) || body.contains(ORDER) || body.contains("/objects/uploads/"), body);
    }
    JsonObject s = new JsonObject(status.body());
    assertFalse(s.containsKey("userId") || s.containsKey("orderId"), s.encode());
    assertEquals(
        "/objects/ar-storage/" + id + "/photo-0.jpg",
        s.getString("photoUrl"),
        "the published copy");
    assertEquals(
        s.getString("photoUrl"), s.getJsonArray("targets").getJsonObject(0).getString("photoUrl"));
    assertEquals("/objects/ar-storage/" + id + "/marker.mind", s.getString("markerMindUrl"));
    assertEquals(1, s.getJsonArray("targets").size());
  }
}
