package com.arservice.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.arservice.config.ConfigKeys;
import com.arservice.config.DatabaseUrl;
import com.arservice.testing.BlockedThreadWatch;
import com.arservice.testing.HeadlessViewer;
import com.arservice.testing.PostgresExtension;
import com.arservice.testing.WebhookReceiver;
import com.arservice.testing.WebhookReceiver.Answer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's console in headless chromium ({@code src/test/browser/console.mjs}): sign in, find
 * a project compiled during the test and watch its step log move to ready, delete it, and redeliver
 * a failed webhook to a stand-in backend. Each page's screenshot stays in {@code
 * target/console-browser-test/} when the test fails.
 */
@ExtendWith({PostgresExtension.class, BlockedThreadWatch.class})
class ConsoleBrowserTest {
  private static final String TOKEN = "console-browser-token";
  private static final String SECRET = "console-secret";

  @Test
  void anOperatorWatchesACompileDeletesItAndRedeliversAFailedWebhook(
      @TempDir Path dir, DatabaseUrl db) throws Exception {
    String missing = HeadlessViewer.missing();
    if (missing != null && "true".equals(System.getenv("CI"))) {
      fail(missing);
    }
    Assumptions.assumeTrue(missing == null, missing);
    HeadlessViewer browser = HeadlessViewer.create();
    Path shots = browser.project().resolve("target/console-browser-test");
    Path accept = dir.resolve("backend-accepts");
    Vertx vertx = Vertx.vertx();
    HeldFfmpeg ffmpeg = new HeldFfmpeg(dir);
    WebhookReceiver backend = WebhookReceiver.start(vertx, 0, Clock.systemUTC(), SECRET);
    // The shop backend is down until the operator has fixed it (the test creates the file).
    backend.answer(r -> Answer.of(Files.exists(accept) && r.verified() ? 204 : 503));
    try (ServiceHarness service =
        new ServiceHarness(
            dir.resolve("svc"),
            db,
            Clock.systemUTC(),
            Map.of(
                ConfigKeys.API_TOKEN,
                TOKEN,
                ConfigKeys.BACKEND_URL,
                backend.url(),
                ConfigKeys.BACKEND_WEBHOOK_SECRET,
                SECRET,
                ConfigKeys.WEBHOOK_RETRY_SCHEDULE,
                "PT0.1S",
                ConfigKeys.FFMPEG_PATH,
                ffmpeg.path.toString()))) {
      String photo = service.uploadPhoto("landscape-800x640.jpg", "p.jpg");
      String video = service.uploadVideo("v.mp4", 320, 240);
      String id =
          new JsonObject(
                  service
                      .post(
                          "/compile",
                          new JsonObject()
                              .put("userId", "console-shop-7")
                              .put("photoUrl", photo)
                              .put("videoUrl", video)
                              .encode(),
                          "Authorization",
                          "Bearer " + TOKEN)
                      .body())
              .getString("projectId");
      ffmpeg.awaitStarted();

      String out =
          HeadlessViewer.run(
              browser.project().resolve("src/test/browser"),
              "node",
              "console.mjs",
              new JsonObject()
                  .put("executable", HeadlessViewer.CHROMIUM)
                  .put("base", "http://localhost:" + service.app.port())
                  .put("token", TOKEN)
                  .put("userId", "console-shop-7")
                  .put("releaseFile", dir.resolve("held-ffmpeg.release").toString())
                  .put("acceptFile", accept.toString())
                  .put("shots", shots.toString())
                  .encode());
      JsonObject result = new JsonObject(out.lines().reduce((a, b) -> b).orElse("{}"));
      try {
        assertNull(result.getValue("failure"), result.getString("failure"));
        assertTrue(
            result.getJsonArray("console").isEmpty(), result.getJsonArray("console").encode());
        assertFalse(result.getBoolean("cookieVisibleToScripts"), "the session cookie is HttpOnly");
        assertTrue(result.getJsonObject("overview").getInteger("cards") >= 6);
        assertEquals(
            48,
            result.getJsonObject("overview").getInteger("chart"),
            "24 hours, 2 bars, no viewings");
        assertEquals(
            7, result.getJsonObject("overview").getInteger("viewerCards"), "the viewers' figures");
        assertEquals(7, result.getInteger("projectViewerCards"), "the project's viewers");
        assertEquals(id, result.getString("projectId"));
        // Live: while the video step was held the log ended there; then it moved on to ready.
        List<String> held = steps(result.getJsonArray("logWhileHeld"));
        assertTrue(held.contains("video started"), held.toString());
        assertFalse(held.contains("qr completed"), held.toString());
        assertTrue(result.getString("statusWhileHeld").startsWith("processing"));
        List<String> ready = steps(result.getJsonArray("logWhenReady"));
        assertTrue(ready.contains("qr completed"), ready.toString());
        assertTrue(ready.size() > held.size());
        assertTrue(result.getString("statusWhenReady").startsWith("ready 100%"));
        assertEquals(1, result.getInteger("photos"));
        // Heat-maps come with the quality report in the status; each one shown must load.
        if (!result.getJsonArray("heatmaps").isEmpty()) {
          assertEquals(200, result.getInteger("heatmapStatus"));
        }
        assertTrue(result.getString("statusAfterDelete").startsWith("deleted"));
        assertTrue(List.of(404, 410).contains(result.getInteger("viewerAfterDelete")));
        assertFalse(Files.exists(service.storage.resolve(id)), "the project's files are gone");
        assertTrue(
            backend.acceptedIds().contains(result.getString("redelivered")),
            "the redelivered event reached the backend: " + backend.received());
        assertEquals("Проекты", result.getString("russian"));
        assertEquals(
            401,
            result.getInteger("copiedCookieAfterSignOut"),
            "signing out ended the session, not only the browser's cookie");
      } catch (AssertionError e) {
        Files.writeString(shots.resolve("result.json"), result.encodePrettily());
        throw new AssertionError(e.getMessage() + " (screenshots in " + shots + ")", e);
      }
      try (Stream<Path> files = Files.walk(shots)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    } finally {
      vertx.close().await();
    }
  }

  /** Log rows as "step status". */
  private static List<String> steps(JsonArray rows) {
    return rows.stream()
        .map(r -> (JsonArray) r)
        .map(r -> r.getString(0) + " " + r.getString(1))
        .toList();
  }
}
