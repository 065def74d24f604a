package com.arservice.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.arservice.config.ConfigKeys;
import com.arservice.config.DatabaseUrl;
import com.arservice.testing.BlockedThreadWatch;
import com.arservice.testing.PostgresExtension;
import com.arservice.viewer.ViewerPage;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every answer forbids content sniffing and keeps project addresses from other sites; the console
 * and the viewer pages carry the policies that let them load exactly what they need; a status shown
 * in full stays out of every cache.
 */
@ExtendWith({PostgresExtension.class, BlockedThreadWatch.class})
class SecurityHeadersTest {
  private static final String TOKEN = "headers-token";
  private static final String NOTHING = "default-src 'none'; frame-ancestors 'none'";

  @Test
  void everyAnswerIsMarkedAndEachKindOfPageCarriesItsOwnPolicy(@TempDir Path dir, DatabaseUrl db)
      throws Exception {
    try (ServiceHarness service =
        new ServiceHarness(
            dir,
            db,
            Clock.systemUTC(),
            Map.of(
                ConfigKeys.API_TOKEN,
                TOKEN,
                ConfigKeys.VIEWER_FRAME_ANCESTORS,
                "'self' https://shop.example"))) {
      UUID id = readyProject(service);

      for (String path :
          List.of(
              "/health",
              "/no-such-route",
              "/status/" + id,
              "/viewer/viewer.js",
              "/vendor/none.js",
              "/objects/ar-storage/" + id + "/marker.mind",
              "/objects/ar-storage/" + id + "/none.bin",
              "/objects/ar-storage/" + id + "/index.html",
              "/ar/view/" + id,
              "/admin/",
              "/admin/app/console.js",
              "/admin/projects")) {
        HttpResponse<String> r = service.get(path);
        assertEquals("nosniff", header(r, "X-Content-Type-Options"), path);
        assertEquals("strict-origin-when-cross-origin", header(r, "Referrer-Policy"), path);
        assertFalse(header(r, "Content-Security-Policy").isEmpty(), path);
      }
      assertEquals(NOTHING, csp(service.get("/no-such-route")));
      assertEquals(NOTHING, csp(service.get("/status/" + id)));
      assertEquals(NOTHING, csp(service.get("/objects/ar-storage/" + id + "/marker.mind")));

      // the console: its own files only, never framed
      for (String page : List.of("/admin/", "/admin/app/index.html", "/admin/app/console.js")) {
        HttpResponse<String> r = service.get(page);
        assertEquals(200, r.statusCode(), page);
        Map<String, String> policy = directives(csp(r));
        assertEquals("'self'", policy.get("default-src"), page);
        assertFalse(policy.containsKey("script-src"), "no inline script: " + page);
        assertFalse(policy.containsKey("style-src"), "no inline style: " + page);
        assertEquals("'none'", policy.get("frame-ancestors"), page);
      }

      // the viewer: its inline script by hash, the bundled libraries, the shop may frame it
      HttpResponse<String> viewer = service.get("/ar/view/" + id);
      assertEquals(200, viewer.statusCode(), viewer.body());
      assertViewerPolicy(viewer);
      Map<String, String> policy = directives(csp(viewer));
      assertEquals("'self' https://shop.example", policy.get("frame-ancestors"));
      assertTrue(policy.get("worker-src").contains("blob:"), "MindAR's worker");
      assertFalse(policy.get("script-src").contains("'unsafe-inline'"));
      assertTrue(viewer.body().contains("src=\"/viewer/viewer.bundle.js"), "the build's bundle");
      assertFalse(policy.get("script-src").contains("cdn.jsdelivr.net"), "no CDN while bundled");
      // the static copy, the being-prepared and error pages follow the same policy
      assertViewerPolicy(service.get("/objects/ar-storage/" + id + "/index.html"));
      HttpResponse<String> unknown = service.get("/ar/view/" + UUID.randomUUID());
      assertEquals(404, unknown.statusCode());
      assertViewerPolicy(unknown);
      assertEquals(csp(viewer), csp(unknown));

      // status: the public form varies with what could unlock it; the full form is never stored
      HttpResponse<String> open = service.get("/status/" + id);
      assertEquals(200, open.statusCode());
      assertEquals("Authorization, Cookie", header(open, "Vary"));
      assertFalse(header(open, "Cache-Control").contains("no-store"));
      for (String path : List.of("/status/" + id, "/status/" + id + "/logs")) {
        HttpResponse<String> full = service.get(path, "Authorization", "Bearer " + TOKEN);
        assertEquals(200, full.statusCode(), path);
        assertEquals("private, no-store", header(full, "Cache-Control"), path);
        assertEquals("Authorization, Cookie", header(full, "Vary"), path);
      }
      HttpResponse<String> events =
          service.get("/status/" + id + "/events", "Authorization", "Bearer " + TOKEN);
      assertEquals(200, events.statusCode());
      assertEquals("private, no-store, no-transform", header(events, "Cache-Control"));
      assertEquals("Authorization, Cookie", header(events, "Vary"));
      HttpResponse<String> publicEvents = service.get("/status/" + id + "/events");
      assertEquals("no-cache, no-transform", header(publicEvents, "Cache-Control"));
    }
  }

  @Test
  void byDefaultOnlyTheSiteItselfMayFrameTheViewer(@TempDir Path dir, DatabaseUrl db)
      throws Exception {
    try (ServiceHarness service = new ServiceHarness(dir, db, Clock.systemUTC(), Map.of())) {
      Map<String, String> policy = directives(csp(service.get("/ar/view/" + UUID.randomUUID())));
      assertEquals("'self'", policy.get("frame-ancestors"));
    }
  }

  /** A ready project as the pipeline leaves it: its row, page data, static page and target. */
  private static UUID readyProject(ServiceHarness service) throws Exception {
    UUID id = UUID.randomUUID();
    service
        .app
        .pool()
        .preparedQuery(
            "INSERT INTO ar_projects (id, user_id, photo_url, status) VALUES ($1, 'u', 'p', 'ready')")
        .execute(Tuple.of(id))
        .await();
    Path folder = Files.createDirectories(service.storage.resolve(id.toString()));
    JsonObject data =
        ViewerPage.data(
            id,
            "https://shop.example/ar/view/" + id,
            new JsonObject(),
            "/objects/ar-storage/" + id + "/",
            List.of());
    Files.writeString(folder.resolve(ViewerPage.DATA_FILE), data.encode());
    Files.writeString(folder.resolve("index.html"), "<!DOCTYPE html><title>viewer</title>");
    Files.write(folder.resolve("marker.mind"), new byte[] {1, 2, 3});
    return id;
  }

  /** The policy of a viewer page: its inline scripts by hash, no plugins, no other base. */
  private static void assertViewerPolicy(HttpResponse<String> page) throws Exception {
    Map<String, String> policy = directives(csp(page));
    List<String> scripts = List.of(policy.get("script-src").split(" "));
    assertTrue(scripts.contains("'self'"), policy.toString());
    assertFalse(scripts.contains("'unsafe-eval'"), "nothing builds code from text: " + policy);
    assertTrue(scripts.contains("'wasm-unsafe-eval'"), "long.js's WebAssembly: " + policy);
    for (String hash : inlineScriptHashes(page.body())) {
      assertTrue(scripts.contains(hash), hash + " in " + policy);
    }
    assertEquals("'none'", policy.get("object-src"));
    assertEquals("'none'", policy.get("base-uri"));
  }

  private static List<String> inlineScriptHashes(String html) throws Exception {
    List<String> hashes = new ArrayList<>();
    Matcher m =
        Pattern.compile("<script(?: type=\"importmap\")?>(.*?)</script>", Pattern.DOTALL)
            .matcher(html);
    while (m.find()) {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(m.group(1).getBytes(StandardCharsets.UTF_8));
      hashes.add("'sha256-" + Base64.getEncoder().encodeToString(hash) + "'");
    }
    return hashes;
  }

  private static Map<String, String> directives(String policy) {
    Map<String, String> out = new HashMap<>();
    for (String directive : policy.split(";")) {
      String[] parts = directive.trim().split(" ", 2);
      out.put(parts[0], parts.length > 1 ? parts[1] : "");
    }
    return out;
  }

  private static String csp(HttpResponse<String> r) {
    return header(r, "Content-Security-Policy");
  }

  private static String header(HttpResponse<String> r, String name) {
    return String.join(", ", r.headers().allValues(name));
  }
}
