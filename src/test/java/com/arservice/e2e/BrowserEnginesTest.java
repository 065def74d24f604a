package com.arservice.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.arservice.config.DatabaseUrl;
import com.arservice.testing.Await;
import com.arservice.testing.HeadlessViewer;
import com.arservice.testing.PostgresExtension;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The viewer in the engines of the other phones: Firefox ESR (Gecko, over WebDriver BiDi) and
 * WebKitGTK's MiniBrowser (WebKit, the engine of Safari on iPhone, over WebDriver), each under xvfb
 * with Mesa's software GL and a canvas camera showing the print ({@code
 * src/test/browser/camera-shim.mjs}). In each the print is found and the video plays, after its
 * hung connection, with the libraries and the target arriving compressed, and found again on a
 * second visit. Skipped without the browsers ({@code .ci/setup-engines.sh}) unless {@code CI=true}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(PostgresExtension.class)
class BrowserEnginesTest {
  private static final String MINIBROWSER = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";
  private static final int FOUND_TIMEOUT_MS = 60_000;

  private ServiceHarness service;
  private Path driver;
  private Path photo;
  private String missing;
  private String project;

  @BeforeAll
  void readyProject(@TempDir Path dir, DatabaseUrl db) throws Exception {
    Path project = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
    driver = project.resolve("src/test/browser");
    photo = project.resolve("src/test/resources/photos/landscape-800x640.jpg");
    for (String tool :
        List.of(
            "/usr/bin/xvfb-run", "/usr/bin/firefox-esr", "/usr/bin/WebKitWebDriver", MINIBROWSER)) {
      if (!Files.isExecutable(Path.of(tool))) {
        missing = tool + " is not installed (.ci/setup-engines.sh)";
      }
    }
    if (missing != null) {
      if ("true".equals(System.getenv("CI"))) {
        fail(missing);
      }
      return;
    }
    if (!Files.exists(driver.resolve("node_modules/puppeteer-core/package.json"))) {
      HeadlessViewer.run(driver, "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error");
    }
    service = new ServiceHarness(dir, db, Clock.systemUTC(), Map.of());
  }

  @AfterAll
  void stop() {
    if (service != null) {
      service.close();
    }
  }

  @Test
  void firefoxEsrFindsThePrintPlaysTheVideoAndFindsItAgainFromItsCache() throws Exception {
    JsonObject result = browse("engines.mjs", "firefox");
    assertFoundAndPlaying(result);
    assertSharpestChosen(result);
    assertCountedFrom("desktop-gecko");
  }

  @Test
  void webKitGtkFindsThePrintPlaysTheVideoAndFindsItAgainFromItsCache() throws Exception {
    JsonObject result = browse("webkit.mjs", "webkit");
    assertFoundAndPlaying(result);
    assertSharpestChosen(result);
    assertCountedFrom("desktop-webkit");
  }

  /**
   * Each test has its own project (the shared database is emptied before each), with renditions,
   * opened over a 20 Mbit/s link of {@code throttle.mjs} whose first video response hangs after its
   * first 8 KB: a connection a phone's network dropped without closing it.
   */
  private JsonObject browse(String script, String engine) throws Exception {
    Assumptions.assumeTrue(missing == null, missing);
    project = service.readyPhotoAndVideo(800, 640);
    String view = "http://localhost:" + service.app.port() + "/ar/view/" + project;
    JsonObject options =
        new JsonObject()
            .put("engine", engine)
            .put("url", view)
            .put("photo", photo.toString())
            .put("minibrowser", MINIBROWSER)
            .put("network", "fast")
            .put("hangVideoAfterBytes", 8_000)
            .put("foundTimeoutMs", FOUND_TIMEOUT_MS);
    String out =
        HeadlessViewer.run(
            driver,
            "xvfb-run",
            "-a",
            "-s",
            "-screen 0 1280x1024x24",
            "node",
            script,
            options.encode());
    return new JsonObject(out.lines().reduce((a, b) -> b).orElse("{}"));
  }

  /** The viewer played the project's sharpest rendition, as a fast network allows. */
  private void assertSharpestChosen(JsonObject result) throws Exception {
    JsonArray renditions = service.renditions(project);
    assertTrue(renditions.size() >= 2, "renditions to choose from: " + renditions.encode());
    assertEquals(
        renditions.getJsonObject(0).getString("url"),
        result.getJsonObject("viewer").getJsonArray("renditions").getString(0),
        "the sharpest on a fast network: " + result.encode());
  }

  /**
   * The viewer's analytics reached the project's stats from this engine too, the stuck video's
   * reload with them.
   */
  private void assertCountedFrom(String family) {
    JsonObject stats =
        Await.value(
            "the " + family + " viewing is counted",
            Duration.ofSeconds(30),
            () -> new JsonObject(service.get("/projects/" + project + "/stats").body()),
            s ->
                s.getJsonObject("totals").getLong("viewsFound") >= 1
                    && s.getJsonObject("totals").getLong("videoStarts") >= 1
                    && s.getJsonObject("totals").getLong("videoRestarts") >= 1);
    JsonObject totals = stats.getJsonObject("totals");
    assertTrue(totals.getLong("cameraAllowed") >= 1, stats.encode());
    assertNotNull(totals.getJsonObject("timeToFoundMs").getLong("median"), stats.encode());
    assertEquals(
        List.of(family),
        stats.getJsonArray("devices").stream()
            .map(d -> ((JsonObject) d).getString("device"))
            .toList());
  }

  private static void assertFoundAndPlaying(JsonObject result) {
    assertNull(result.getValue("failure"), result.encode());
    assertEquals(
        List.of(), result.getJsonArray("csp").getList(), "the page's CSP blocked something");
    assertNotNull(result.getValue("foundMs"), "targetFound: " + result.encode());
    JsonObject video = result.getJsonObject("viewer").getJsonArray("videos").getJsonObject(0);
    assertFalse(video.getBoolean("paused"), "the video plays: " + result.encode());
    assertTrue(video.getDouble("time") > 0, "the video moves: " + result.encode());
    // at least once: WebKitGTK's pipeline may also halt on its own
    assertTrue(
        result.getJsonObject("viewer").getJsonArray("restarts").getInteger(0) >= 1,
        "the video loaded anew, its connection hung: " + result.encode());
    assertNotNull(
        result.getValue("warmFoundMs"), "found again on a second visit: " + result.encode());
    Map<String, String> encodings = new HashMap<>();
    JsonArray responses = result.getJsonArray("responses");
    for (Object o : responses) {
      JsonObject r = (JsonObject) o;
      encodings.putIfAbsent(
          r.getString("path").replaceFirst(".*/", ""), String.valueOf(r.getString("encoding")));
    }
    for (String file : List.of("viewer.bundle.js", "viewer-scene.bundle.js", "marker.mind")) {
      assertTrue(
          List.of("br", "gzip").contains(encodings.get(file)),
          file + " compressed: " + responses.encode());
    }
  }
}
