package com.arservice.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.arservice.config.ConfigKeys;
import com.arservice.config.DatabaseUrl;
import com.arservice.testing.BlockedThreadWatch;
import com.arservice.testing.PostgresExtension;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
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
    for (String body : new String[] {status.body(), logs.body()}) {
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
