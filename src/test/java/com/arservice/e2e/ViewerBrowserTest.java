package com.arservice.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.arservice.config.ConfigKeys;
import com.arservice.config.DatabaseUrl;
import com.arservice.testing.Await;
import com.arservice.testing.BlockedThreadWatch;
import com.arservice.testing.HeadlessViewer;
import com.arservice.testing.NodeServiceDatabase;
import com.arservice.testing.PostgresExtension;
import com.arservice.testing.SettableClock;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The viewer in a real browser: Debian's chromium, headless with software WebGL, driven by {@code
 * src/test/browser/view.mjs} (playwright-core), its fake camera playing an MJPEG file that ffmpeg
 * makes from the test photos, against projects compiled by the running service on localhost (a
 * secure context, so the camera is allowed).
 *
 * <p>Needs {@code /usr/bin/chromium} and {@code node} ({@code .ci/setup-chromium.sh} installs
 * them): without them the tests are skipped, except when the environment variable {@code CI} is
 * {@code "true"}, where they fail. A screenshot of every failed scenario stays in {@code
 * target/browser-test/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith({PostgresExtension.class, BlockedThreadWatch.class})
class ViewerBrowserTest {
  private static final Duration COMPILE_TIMEOUT = Duration.ofSeconds(180);
  private static final int FOUND_TIMEOUT_MS = 30_000;
  private static final int NOT_FOUND_WAIT_MS = 20_000;
  private static final int OBSERVE_MS = 4_000;
  // a video's first response, over the link, stops after its first 8 KB: a connection the phone's
  // network dropped without closing it
  private static final int HANG_AFTER_BYTES = 8_000;
  private static final int CAMERA_WIDTH = 640;
  private static final int CAMERA_HEIGHT = 480;

  private HeadlessViewer browser;
  private Path work;
  private String missing;
  private Path flatCamera;
  private Path tiltedCamera;
  private Path otherPhotoCamera;
  private Path portraitCamera;
  private final SettableClock clock = new SettableClock(Instant.parse("2026-06-01T10:00:00Z"));
  private ServiceHarness service;
  private String testName;
  private Path serviceDir;
  private DatabaseUrl serviceDb;
  private Path crashingFfmpeg;

  @BeforeAll
  void makeCameraFiles() throws Exception {
    missing = HeadlessViewer.missing();
    if (missing != null) {
      if ("true".equals(System.getenv("CI"))) {
        fail(missing);
      }
      return;
    }
    browser = HeadlessViewer.create();
    Path project = browser.project();
    work = project.resolve("target/browser-test");
    Files.createDirectories(work);
    Path photos = project.resolve("src/test/resources/photos");
    // the photo lies on a grey table, filling about two thirds of a 640x480 camera picture
    String onTable =
        "pad=" + CAMERA_WIDTH + ":" + CAMERA_HEIGHT + ":(ow-iw)/2:(oh-ih)/2:color=0x808080";
    flatCamera =
        camera(photos.resolve("landscape-800x640.jpg"), "scale=400:320," + onTable, "flat.mjpeg");
    // seen from the side and below: the corners of the picture move to an irregular quadrilateral
    tiltedCamera =
        camera(
            photos.resolve("landscape-800x640.jpg"),
            "scale=400:320,"
                + onTable
                + ",perspective=x0=150:y0=60:x1=500:y1=100:x2=110:y2=430:x3=530:y3=390:sense=destination",
            "tilted.mjpeg");
    portraitCamera =
        camera(
            photos.resolve("portrait-640x800.jpg"), "scale=320:400," + onTable, "portrait.mjpeg");
    otherPhotoCamera =
        camera(
            photos.resolve("negative-bookshelf-720x540.jpg"),
            "scale=480:360," + onTable,
            "other-photo.mjpeg");
  }

  @BeforeEach
  void start(@TempDir Path dir, DatabaseUrl db, TestInfo info) throws Exception {
    Assumptions.assumeTrue(missing == null, missing);
    testName = info.getTestMethod().orElseThrow().getName();
    // The service's first ffmpeg run crashes, so the first compile is retried an hour later by the
    // test's clock: until the clock moves, that project is waiting, after that it compiles.
    Path ffmpeg = dir.resolve("first-run-crashes-ffmpeg");
    Files.writeString(
        ffmpeg,
        "#!/bin/sh\nif [ ! -e \"$0.crashed\" ]; then : > \"$0.crashed\"; kill -9 $$; fi\n"
            + "exec ffmpeg \"$@\"\n");
    Files.setPosixFilePermissions(ffmpeg, PosixFilePermissions.fromString("rwxr-xr-x"));
    serviceDir = dir;
    serviceDb = db;
    crashingFfmpeg = ffmpeg;
    service = service(dir, "reference");
  }

  private ServiceHarness service(Path dir, String markerMode) throws Exception {
    return new ServiceHarness(
        dir,
        serviceDb,
        clock,
        Map.of(
            ConfigKeys.FFMPEG_PATH,
            crashingFfmpeg.toString(),
            ConfigKeys.QUEUE_RETRY_DELAY,
            "PT1H",
            ConfigKeys.MARKER_MODE,
            markerMode));
  }

  @AfterEach
  void stop() {
    if (service != null) {
      service.close();
      service = null;
    }
  }

  /**
   * Over a fast link; seen tilted, the video's connection hangs after its first bytes and the
   * viewer loads it anew.
   */
  @Test
  void thePrintedPhotoSeenFlatOrTiltedIsFoundAndItsVideoPlaysOnAVisiblePlane() throws Exception {
    String view = readyProject(List.of("landscape-800x640.jpg"), "oval");
    assertTrue(
        service
            .get(view.substring(view.indexOf("/ar/view/")))
            .body()
            .contains("src=\"/viewer/viewer.bundle.js?v="),
        "self-hosted viewer bundle");
    JsonArray renditions = renditions(view);
    for (Path camera : List.of(flatCamera, tiltedCamera)) {
      boolean flat = camera.equals(flatCamera);
      JsonObject options =
          new JsonObject()
              .put("url", view)
              .put("camera", camera.toString())
              .put("mode", "track")
              .put("revisit", flat)
              .put("network", "fast")
              .put("foundTimeoutMs", FOUND_TIMEOUT_MS)
              .put("observeMs", OBSERVE_MS);
      if (!flat) {
        options.put("hangVideoAfterBytes", HANG_AFTER_BYTES);
      }
      browse(
          camera.getFileName().toString(),
          options,
          result -> {
            assertNotNull(result.getValue("foundMs"), "targetFound within 30 s");
            assertTracked(result, 0);
            assertPosterThenRendition(result, 0);
            JsonObject viewer = result.getJsonObject("viewer");
            assertRendition(viewer, renditions, "the sharpest on a fast network", 0);
            assertEquals("en", viewer.getString("lang"));
            assertFalse(viewer.getBoolean("scanningVisible"), "the scanning hint is gone");
            assertNull(viewer.getValue("counter"), "no album counter for one photo");
            assertTrue(
                viewer.getJsonArray("planes").getJsonObject(0).getBoolean("alphaMap"),
                "the mask is the alphaMap");
            assertEquals(
                new JsonArray().add(CAMERA_WIDTH).add(CAMERA_HEIGHT),
                viewer.getJsonArray("compiledFor"),
                "the runtime compiled the detector for the camera while the rest downloaded");
            assertEquals(
                true, viewer.getBoolean("cameraShared"), "MindAR tracks the page's stream");
            assertCompressed(result);
            assertRestarts(viewer, flat ? 0 : 1);
            if (flat) {
              assertNotNull(
                  result.getValue("warmFoundMs"), "found again from the cache: " + result.encode());
              assertRendition(
                  result.getJsonObject("warm"),
                  renditions,
                  "the sharpest again on the second visit, by the first visit's measure",
                  0);
            } else {
              assertEquals(
                  1,
                  result.getJsonArray("responses").stream()
                      .filter(r -> ((JsonObject) r).getString("path").endsWith("/marker.mind"))
                      .count(),
                  "the target is downloaded once: MindAR gets the page's early download");
            }
          });
    }
  }

  /** Robust targets in the unmodified MindAR 1.2.5 runtime of a real browser. */
  @Test
  void robustTargetsAreFoundFlatTiltedAndInAnAlbumOfMixedSizesAndADifferentPhotoNever()
      throws Exception {
    service.close();
    service = service(Files.createDirectories(serviceDir.resolve("robust")), "robust");
    String view = readyProject(List.of("landscape-800x640.jpg"), null);
    JsonObject status =
        new JsonObject(service.get("/status/" + view.substring(view.lastIndexOf('/') + 1)).body());
    assertEquals("robust", status.getString("markerMode"), status.encode());
    for (Path camera : List.of(flatCamera, tiltedCamera)) {
      browse(
          "robust-" + camera.getFileName(),
          trackSecond(view, camera),
          result -> {
            assertNotNull(result.getValue("foundMs"), "targetFound within 30 s");
            assertTracked(result, 0);
          });
    }
    browse(
        "robust-other-photo",
        trackSecond(view, otherPhotoCamera)
            .put("foundTimeoutMs", NOT_FOUND_WAIT_MS)
            .put("observeMs", 0),
        result -> {
          assertNull(result.getValue("failure"), result.getString("failure"));
          assertNull(result.getValue("foundMs"), "no targetFound in 20 s");
        });
    String album = readyProject(List.of("wide-1024x768.jpg", "portrait-640x800.jpg"), null);
    browse(
        "robust-album",
        trackSecond(album, portraitCamera),
        ViewerBrowserTest::assertOnlySecondTracked);
  }

  /**
   * On a phone's screen, muted autoplay runs and sound comes with a tap on the unmute button. The
   * customer answers the camera prompt 4 s after the page asks: the runtime compiles MindAR's
   * detector meanwhile, not after.
   */
  @Test
  void onAPhoneScreenTheVideoPlaysMutedAndATapTurnsTheSoundOn() throws Exception {
    String view = readyProject(List.of("landscape-800x640.jpg"), null);
    JsonArray renditions = renditions(view);
    browse(
        "phone",
        new JsonObject()
            .put("url", view)
            .put("camera", flatCamera.toString())
            .put("mode", "track")
            .put("phone", true)
            .put("network", "Slow 4G")
            .put("cameraAnswerMs", 4000)
            .put("foundTimeoutMs", FOUND_TIMEOUT_MS)
            .put("observeMs", OBSERVE_MS),
        result -> {
          assertNotNull(result.getValue("foundMs"), "targetFound within 30 s");
          assertEquals(
              new JsonArray().add(CAMERA_WIDTH).add(CAMERA_HEIGHT),
              result.getJsonObject("viewer").getJsonArray("compiledWhileAsking"),
              "the detector compiled for the usual camera while the prompt waited: "
                  + result.encode());
          assertTracked(result, 0);
          assertPosterThenRendition(result, 0);
          assertRendition(
              result.getJsonObject("viewer"), renditions, "the lightest on Slow 4G", -1);
          assertRestarts(result.getJsonObject("viewer"), 0);
          assertTrue(result.getBoolean("unmuteVisible"), "sound needs a tap: " + result.encode());
          JsonObject afterTap = result.getJsonObject("afterTap");
          assertFalse(afterTap.getBoolean("unmuteVisible"), "the button goes");
          JsonObject video = afterTap.getJsonArray("videos").getJsonObject(0);
          assertFalse(video.getBoolean("muted"), "the sound is on");
          assertFalse(video.getBoolean("paused"), "and the video plays on");
        });
  }

  // MindAR 1.2.5's tracker reuses GPU kernels built for the first target's size; both orders of a
  // smaller and a larger target must still track the second one.
  @Test
  void inAnAlbumOfAPortraitAndALandscapePhotoTheSecondIsFoundAndTrackedAndTheFirstIsNot()
      throws Exception {
    String portraitFirst =
        readyProject(List.of("portrait-640x800.jpg", "landscape-800x640.jpg"), null);
    browse(
        "portrait-first",
        trackSecond(portraitFirst, tiltedCamera),
        ViewerBrowserTest::assertOnlySecondTracked);
    String landscapeFirst =
        readyProject(List.of("wide-1024x768.jpg", "portrait-640x800.jpg"), null);
    browse(
        "landscape-first",
        trackSecond(landscapeFirst, portraitCamera),
        ViewerBrowserTest::assertOnlySecondTracked);
  }

  private static JsonObject trackSecond(String view, Path camera) {
    return new JsonObject()
        .put("url", view)
        .put("camera", camera.toString())
        .put("mode", "track")
        .put("foundTimeoutMs", FOUND_TIMEOUT_MS)
        .put("observeMs", OBSERVE_MS);
  }

  private static void assertOnlySecondTracked(JsonObject result) {
    assertNotNull(result.getValue("foundMs"), "targetFound within 30 s");
    assertTracked(result, 1);
    JsonObject viewer = result.getJsonObject("viewer");
    assertFalse(
        viewer.getJsonArray("foundEver").getValue(0) == Boolean.TRUE, "target 0 is never found");
    for (Object sample : result.getJsonArray("samples")) {
      assertFalse(((JsonArray) sample).getValue(0) == Boolean.TRUE, "target 0 is never tracked");
    }
    assertTrue(
        viewer.getJsonArray("videos").getJsonObject(0).getBoolean("paused"),
        "video 0 does not play");
    assertEquals("Found 1 of 2", viewer.getString("counter"));
  }

  /**
   * The old Node service's projects after adoption: their markers made by MindAR's own compiler
   * (the interop package), their videos as the old pipeline left them, our viewer around them.
   */
  @Test
  void projectsTheNodeServiceMadeAreFoundWithTheirOwnMarkersAfterAdoption(
      @TempDir Path dir, DatabaseUrl server) throws Exception {
    Path project = browser.project();
    Path interop = project.resolve("src/test/interop");
    if (!Files.exists(interop.resolve("node_modules/mind-ar/package.json"))) {
      HeadlessViewer.run(
          interop, "npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error");
    }
    Path photos = project.resolve("src/test/resources/photos");
    Path single = work.resolve("node-single.mind");
    Path album = work.resolve("node-album.mind");
    String landscape = photos.resolve("landscape-800x640.jpg").toString();
    String portrait = photos.resolve("portrait-640x800.jpg").toString();
    HeadlessViewer.run(
        interop, "node", "--no-warnings", "check.mjs", "compile", landscape, single.toString());
    HeadlessViewer.run(
        interop,
        "node",
        "--no-warnings",
        "check.mjs",
        "compile",
        portrait,
        landscape,
        album.toString());
    Path storage = dir.resolve("node-storage");
    DatabaseUrl old =
        NodeServiceDatabase.create(
            server, storage, Files.readAllBytes(single), Files.readAllBytes(album));
    service.close();
    service =
        new ServiceHarness(
            dir.resolve("node-service"),
            old,
            clock,
            Map.of(
                ConfigKeys.ADOPT_LEGACY_SCHEMA, true, ConfigKeys.STORAGE_PATH, storage.toString()));
    browse(
        "node-single",
        new JsonObject()
            .put("url", local(NodeServiceDatabase.READY))
            .put("camera", flatCamera.toString())
            .put("mode", "track")
            .put("foundTimeoutMs", FOUND_TIMEOUT_MS)
            .put("observeMs", OBSERVE_MS),
        result -> {
          assertNotNull(result.getValue("foundMs"), "targetFound within 30 s");
          assertTracked(result, 0);
        });
    browse(
        "node-album",
        trackSecond(local(NodeServiceDatabase.ALBUM), tiltedCamera),
        ViewerBrowserTest::assertOnlySecondTracked);
  }

  @Test
  void aDifferentPhotoIsNeverFound() throws Exception {
    String view = readyProject(List.of("landscape-800x640.jpg"), null);
    browse(
        "other-photo",
        new JsonObject()
            .put("url", view)
            .put("camera", otherPhotoCamera.toString())
            .put("mode", "track")
            .put("foundTimeoutMs", NOT_FOUND_WAIT_MS)
            .put("observeMs", 0),
        result -> {
          assertNull(result.getValue("failure"), result.getString("failure"));
          assertNull(result.getValue("foundMs"), "no targetFound in 20 s");
          JsonObject viewer = result.getJsonObject("viewer");
          assertEquals("ready", viewer.getString("phase"));
          assertTrue(viewer.getBoolean("scanningVisible"), "the scanning hint stays");
          assertTrue(viewer.getJsonArray("videos").getJsonObject(0).getBoolean("paused"));
        });
  }

  /**
   * The page's anonymous reports: a viewing that finds the print, plays the video and leaves, then
   * one whose camera is refused (the camera-problem screen in the reader's language), show in their
   * project's stats and in no other project's; with Global Privacy Control nothing is sent.
   */
  @Test
  void aViewingAndARefusedCameraAreCountedInTheirProjectsStatsOnlyTheRefusalInTheReadersLanguage()
      throws Exception {
    String view = readyProject(List.of("landscape-800x640.jpg"), null);
    String id = view.substring(view.lastIndexOf('/') + 1);
    String other = submit(List.of("portrait-640x800.jpg"), false, null).getString("projectId");
    browse(
        "counted",
        new JsonObject()
            .put("url", view)
            .put("camera", flatCamera.toString())
            .put("mode", "track")
            .put("leave", true)
            .put("foundTimeoutMs", FOUND_TIMEOUT_MS)
            .put("observeMs", OBSERVE_MS),
        result -> {
          assertNotNull(result.getValue("foundMs"), "targetFound within 30 s");
          JsonArray beacons = result.getJsonArray("beacons");
          assertFalse(beacons.isEmpty(), "reports sent: " + result.encode());
          long bytes = 0;
          for (Object b : beacons) {
            assertEquals(204, ((JsonObject) b).getInteger("status"), beacons.encode());
            bytes += ((JsonObject) b).getLong("bytes");
          }
          assertTrue(bytes < 1000, "a viewing's reports are small: " + beacons.encode());
        });
    JsonObject totals =
        Await.value(
            "the viewing is counted",
            Duration.ofSeconds(30),
            () -> stats(id),
            t -> t.getLong("pagesHidden") == 1);
    assertEquals(1, totals.getLong("scans"), totals.encode());
    assertEquals(1, totals.getLong("cameraAllowed"));
    assertEquals(1, totals.getLong("arReady"));
    assertEquals(1, totals.getLong("viewsFound"));
    assertEquals(1.0, totals.getDouble("foundRate"));
    assertNotNull(totals.getJsonObject("timeToFoundMs").getLong("median"));
    assertEquals(1, totals.getLong("videoStarts"));
    assertTrue(totals.getLong("watchSeconds") > 0, totals.encode());
    browse(
        "refused",
        new JsonObject()
            .put("url", view)
            .put("mode", "camera-error")
            .put("language", "ru-RU,ru;q=0.9")
            .put("leave", true),
        result -> {
          JsonObject viewer = result.getJsonObject("viewer");
          assertEquals("denied", viewer.getString("error"));
          assertTrue(viewer.getBoolean("screenVisible"));
          assertEquals("ru", viewer.getString("lang"));
          assertTrue(
              viewer.getString("screenText").contains("Камера недоступна"),
              viewer.getString("screenText"));
          assertEquals("Ваше фото оживает", result.getString("title"));
        });
    totals =
        Await.value(
            "the refused camera is counted",
            Duration.ofSeconds(30),
            () -> stats(id),
            t -> t.getLong("scans") == 2);
    assertEquals(1, totals.getLong("cameraDenied"), totals.encode());
    assertEquals(1, totals.getLong("cameraAllowed"));
    browse(
        "global-privacy-control",
        new JsonObject()
            .put("url", view)
            .put("mode", "camera-error")
            .put("gpc", true)
            .put("leave", true),
        result ->
            assertEquals(
                List.of(), result.getJsonArray("beacons").getList(), "a reader who opts out"));
    assertEquals(0, stats(other).getLong("scans"), "the other project is untouched");
  }

  private JsonObject stats(String id) throws Exception {
    return new JsonObject(service.get("/projects/" + id + "/stats").body()).getJsonObject("totals");
  }

  @Test
  void aProjectStillWaitingIsBeingPreparedOpensItsViewerWhenReadyAndAnExpiredDemoIsGone()
      throws Exception {
    JsonObject accepted = submit(List.of("landscape-800x640.jpg"), true, null);
    String id = accepted.getString("projectId");
    awaitRetryScheduled(id);
    // Once the page follows its stream, the clock moves and the retry compiles the project.
    Path signal = work.resolve(testName + ".following");
    Files.deleteIfExists(signal);
    Thread mover =
        new Thread(
            () -> {
              Await.until(
                  "the page follows its event stream", COMPILE_TIMEOUT, () -> Files.exists(signal));
              clock.advance(Duration.ofHours(2));
            });
    mover.start();
    browse(
        "preparing",
        new JsonObject()
            .put("url", local(id))
            .put("mode", "status")
            .put("signalFile", signal.toString())
            .put("awaitViewerMs", COMPILE_TIMEOUT.toMillis()),
        result -> {
          assertEquals(200, result.getInteger("status"));
          assertEquals("Being prepared", result.getString("title"));
          assertTrue(result.getString("text").contains("being prepared"), result.getString("text"));
          assertTrue(result.getBoolean("live"), "the page follows /status/:id/events");
          assertTrue(result.getBoolean("openedViewer"), "the viewer opened by itself");
          assertFalse(result.getString("titleAfter").equals("Being prepared"));
        });
    mover.join();
    assertEquals("ready", service.awaitFinished(id, COMPILE_TIMEOUT).getString("status"));
    clock.advance(Duration.ofHours(25));
    browse(
        "expired",
        new JsonObject().put("url", local(id)).put("mode", "status"),
        result -> {
          assertEquals(410, result.getInteger("status"));
          assertEquals("Expired", result.getString("title"));
        });
  }

  /**
   * Found at the end, tracked in most samples, its video playing and its plane visible on screen.
   */
  private static void assertTracked(JsonObject result, int index) {
    assertNull(result.getValue("failure"), result.getString("failure"));
    JsonObject viewer = result.getJsonObject("viewer");
    JsonArray samples = result.getJsonArray("samples");
    long tracked =
        samples.stream().filter(s -> ((JsonArray) s).getValue(index) == Boolean.TRUE).count();
    assertTrue(
        tracked >= samples.size() * 0.9, "target " + index + " stays tracked: " + samples.encode());
    JsonObject video = viewer.getJsonArray("videos").getJsonObject(index);
    assertFalse(video.getBoolean("paused"), "the video plays");
    assertTrue(video.getInteger("frames") > 5, "the video shows frames: " + video.encode());
    JsonObject plane = viewer.getJsonArray("planes").getJsonObject(index);
    assertTrue(plane.getBoolean("visible"), "the plane is visible");
    assertTrue(plane.getDouble("opacity") > 0.9, "the plane faded in: " + plane.encode());
    JsonArray ndc = plane.getJsonArray("ndc");
    assertTrue(
        Math.abs(ndc.getDouble(0)) < 1 && Math.abs(ndc.getDouble(1)) < 1,
        "the plane is on screen: " + ndc);
  }

  /**
   * The plane showed the poster the moment the print was found, then the video: one of the
   * project's renditions, chosen by the network's speed the page measured.
   */
  private static void assertPosterThenRendition(JsonObject result, int index) {
    JsonObject viewer = result.getJsonObject("viewer");
    assertEquals(
        "poster",
        viewer.getJsonArray("shownAtFound").getString(index),
        "the poster is on the plane at targetFound: " + viewer.encode());
    assertEquals("video", viewer.getJsonArray("planes").getJsonObject(index).getString("showing"));
    assertTrue(
        viewer
            .getJsonArray("renditions")
            .getString(index)
            .matches(".*/video-" + index + "(-720p|-360p)?\\.mp4"),
        "a rendition is chosen: " + viewer.getJsonArray("renditions"));
    assertNotNull(viewer.getValue("kbps"), "measured from the page's downloads");
  }

  /** The renditions the status lists for the project's first target, the sharpest first. */
  private JsonArray renditions(String view) throws Exception {
    JsonArray renditions = service.renditions(view.substring(view.lastIndexOf('/') + 1));
    assertTrue(renditions.size() >= 2, "renditions to choose from: " + renditions.encode());
    return renditions;
  }

  /**
   * The first target played the rendition at index (-1: the last, the lightest), as {@code chose}
   * (the viewer's state: renditions and the speed in kbit/s that chose them) says.
   */
  private static void assertRendition(
      JsonObject chose, JsonArray renditions, String which, int index) {
    String expected =
        renditions.getJsonObject(index < 0 ? renditions.size() + index : index).getString("url");
    assertEquals(
        expected,
        chose.getJsonArray("renditions").getString(0),
        which + " (" + chose.getValue("kbps") + " kbit/s measured): " + renditions.encode());
  }

  /**
   * How often the viewer loaded the first target's video anew as stuck: once after its connection
   * hung (the video's first bytes only arrived), never on a healthy link, however slow.
   */
  private static void assertRestarts(JsonObject viewer, int expected) {
    JsonArray restarts = viewer.getJsonArray("restarts");
    assertEquals(
        expected,
        restarts.isEmpty() || restarts.getValue(0) == null ? 0 : restarts.getInteger(0),
        "video restarts: " + viewer.encode());
  }

  /**
   * The page, the libraries, the viewer script and the target came compressed (brotli where the
   * browser offers it, which Chromium does over https only, else gzip); the video did not.
   */
  private static void assertCompressed(JsonObject result) {
    Map<String, String> encodings = new java.util.HashMap<>();
    for (Object o : result.getJsonArray("responses")) {
      JsonObject r = (JsonObject) o;
      encodings.putIfAbsent(
          r.getString("path").replaceFirst(".*/", ""), String.valueOf(r.getString("encoding")));
    }
    for (String file : List.of("viewer.bundle.js", "viewer-scene.bundle.js", "marker.mind")) {
      assertTrue(
          List.of("br", "gzip").contains(encodings.get(file)),
          file + " compressed: " + result.getJsonArray("responses").encode());
    }
    assertTrue(
        List.of("gzip", "br")
            .contains(
                encodings.entrySet().stream()
                    .filter(e -> e.getKey().matches("[0-9a-f-]{36}"))
                    .map(Map.Entry::getValue)
                    .findFirst()
                    .orElse("")),
        "the page compressed: " + encodings);
    assertFalse(List.of("br", "gzip").contains(encodings.get("video-0.mp4")), "video as stored");
  }

  private interface Check {
    void accept(JsonObject result);
  }

  /** Runs one browser scenario; keeps its screenshot only when the check fails. */
  private void browse(String scenario, JsonObject options, Check check) throws Exception {
    Path screenshot = work.resolve(testName + "-" + scenario + ".png");
    Path report = work.resolve(testName + "-" + scenario + ".json");
    JsonObject result = browser.view(options.put("screenshot", screenshot.toString()));
    try {
      assertEquals(
          List.of(), result.getJsonArray("csp").getList(), "the page's CSP blocked something");
      check.accept(result);
    } catch (AssertionError e) {
      Files.writeString(report, result.encodePrettily());
      throw new AssertionError(
          scenario + ": " + e.getMessage() + " (screenshot " + screenshot + ")", e);
    }
    Files.deleteIfExists(screenshot);
    Files.deleteIfExists(report);
  }

  private JsonObject submit(List<String> photos, boolean demo, String shape) throws Exception {
    JsonArray photoUrls = new JsonArray();
    JsonArray videoUrls = new JsonArray();
    for (int i = 0; i < photos.size(); i++) {
      photoUrls.add(service.uploadPhoto(photos.get(i), "photo-" + i + ".jpg"));
      // large enough for a lighter rendition beside the main file, for the viewer to choose
      videoUrls.add(service.uploadVideo("video-" + i + ".mp4", 800, 640));
    }
    return service.compile(
        new JsonObject()
            .put("userId", "viewer-test")
            .put("isDemo", demo)
            .put("photoUrls", photoUrls)
            .put("videoUrls", videoUrls)
            .put("shapeType", shape));
  }

  /**
   * Compiles a project, moving the clock to its retry when the attempt was the crashing one;
   * returns its local view URL.
   */
  private String readyProject(List<String> photos, String shape) throws Exception {
    String id = submit(photos, false, shape).getString("projectId");
    JsonObject status =
        Await.value(
            "project " + id + " is ready or in error",
            COMPILE_TIMEOUT,
            () -> {
              if (retryScheduled(id)) {
                clock.advance(Duration.ofHours(2));
              }
              return new JsonObject(service.get("/status/" + id).body());
            },
            s -> List.of("ready", "error").contains(s.getString("status")));
    assertEquals("ready", status.getString("status"), status.encode());
    return local(id);
  }

  private boolean retryScheduled(String id) {
    return service
            .app
            .pool()
            .preparedQuery(
                "SELECT 1 FROM ar_jobs WHERE state = 'retry' AND data->>'projectId' = $1")
            .execute(Tuple.of(id))
            .await()
            .size()
        > 0;
  }

  private void awaitRetryScheduled(String id) {
    Await.until(
        "the first attempt of " + id + " failed and its retry is scheduled",
        COMPILE_TIMEOUT,
        () -> retryScheduled(id));
  }

  private String local(String id) {
    return "http://localhost:" + service.app.port() + "/ar/view/" + id;
  }

  private Path camera(Path photo, String filter, String name) throws Exception {
    return HeadlessViewer.camera(work, photo, filter, name);
  }
}
