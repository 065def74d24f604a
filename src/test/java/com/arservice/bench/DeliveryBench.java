package com.arservice.bench;

import com.arservice.media.TestVideos;
import com.arservice.testing.Await;
import com.arservice.testing.HeadlessViewer;
import com.arservice.testing.Processes;
import com.arservice.testing.ServiceProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a phone on a slow or a fast network waits for: the real jar (the one in target/, or {@code
 * -Dar.jar=} another, e.g. an older build) compiles the landscape test photo ({@code
 * -Dbench.markerMode=} another AR_MARKER_MODE than the jar's default) with a 30 s 1080p clip with
 * sensor-like noise ({@code -Dbench.seconds=} another length), then {@code
 * src/test/browser/bench.mjs} opens its viewer on Slow 4G and on a fast profile, each with an empty
 * cache and again with a warm one, in each engine of {@code -Dbench.engines=} (default {@code
 * chromium,chromium-link,firefox,webkit}): Chromium throttled by DevTools, Chromium, Firefox ESR
 * and WebKitGTK throttled by the same relay. Prints bytes by resource before targetFound, time to
 * targetFound, what the plane showed then, time to the video playing, the rendition chosen and the
 * stalls in the first 20 s of playback with the times the viewer loaded a stuck video anew, and the
 * video step's encode time. WebKitGTK's warm visit is measured again with its disk cache ({@code
 * revisit.mjs}): WebDriver's sessions have none. Before the browser, the service serves the
 * viewer's files a few times, as a running service has ({@code -Dbench.coldService=true}: the
 * browser meets the service as it has just started). Needs chromium, node, ffmpeg, and for the
 * other engines xvfb-run, firefox-esr and WebKitGTK.
 */
public final class DeliveryBench {
  private DeliveryBench() {}

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("ar-delivery-bench");
    Path uploads = Files.createDirectories(dir.resolve("uploads"));
    try (InputStream in =
        DeliveryBench.class.getResourceAsStream("/photos/landscape-800x640.jpg")) {
      Files.copy(in, uploads.resolve("p.jpg"));
    }
    TestVideos.noisyPhoneClip(
        uploads.resolve("v.mp4"),
        Double.parseDouble(System.getProperty("bench.seconds", "30")),
        23);
    Path camera = dir.resolve("camera.mjpeg");
    HeadlessViewer.run(
        dir,
        "ffmpeg",
        "-loglevel",
        "error",
        "-loop",
        "1",
        "-i",
        uploads.resolve("p.jpg").toString(),
        "-vf",
        "scale=400:320,pad=640:480:(ow-iw)/2:(oh-ih)/2:color=0x808080,format=yuvj420p",
        "-r",
        "10",
        "-t",
        "2",
        "-q:v",
        "3",
        camera.toString());
    int port = Processes.freePort();
    Map<String, String> env =
        new java.util.HashMap<>(
            Map.of(
                "AR_DATA_DIR",
                dir.resolve("data").toString(),
                "SHARED_UPLOADS_PATH",
                uploads.toString(),
                "PORT",
                Integer.toString(port)));
    String markerMode = System.getProperty("bench.markerMode");
    if (markerMode != null) {
      env.put("AR_MARKER_MODE", markerMode);
    }
    Process service = ServiceProcess.start(env, dir.resolve("service.log"));
    HttpClient http = HttpClient.newHttpClient();
    String base = "http://localhost:" + port;
    try {
      ServiceProcess.awaitOk(port, "/health", service, Duration.ofSeconds(60));
      String body =
          new JsonObject()
              .put("userId", "bench")
              .put("photoUrl", "/objects/uploads/p.jpg")
              .put("videoUrl", "/objects/uploads/v.mp4")
              .encode();
      String id =
          new JsonObject(
                  http.send(
                          HttpRequest.newBuilder(URI.create(base + "/compile"))
                              .header("Content-Type", "application/json")
                              .POST(HttpRequest.BodyPublishers.ofString(body))
                              .build(),
                          HttpResponse.BodyHandlers.ofString())
                      .body())
              .getString("projectId");
      Await.until(
          "the bench project is ready",
          Duration.ofMinutes(15),
          () ->
              http.send(
                      HttpRequest.newBuilder(URI.create(base + "/status/" + id)).build(),
                      HttpResponse.BodyHandlers.ofString())
                  .body()
                  .contains("\"status\":\"ready\""));
      if (!Boolean.getBoolean("bench.coldService")) {
        warmUp(http, base, id);
      }
      for (String engine :
          System.getProperty("bench.engines", "chromium,chromium-link,firefox,webkit").split(",")) {
        JsonObject options =
            new JsonObject()
                .put("url", base + "/ar/view/" + id)
                .put("engine", engine.replace("-link", ""))
                .put("throttle", engine.endsWith("-link") ? "link" : "devtools")
                .put("camera", camera.toString())
                .put("photo", uploads.resolve("p.jpg").toString())
                .put("executable", System.getProperty("browser.chromium", "/usr/bin/chromium"));
        List<String> command = new ArrayList<>();
        if (!engine.startsWith("chromium")) {
          command.addAll(List.of("xvfb-run", "-a", "-s", "-screen 0 1280x1024x24"));
          options.remove("executable");
        }
        command.addAll(List.of("node", "bench.mjs", options.encode()));
        String out =
            HeadlessViewer.run(Path.of("src/test/browser"), command.toArray(String[]::new));
        JsonObject result = new JsonObject(out.lines().reduce((a, b) -> b).orElse("{}"));
        System.out.println(
            "== "
                + engine.replace("-link", "")
                + ", throttled by "
                + ("link".equals(result.getString("throttle"))
                    ? "the relay (throttle.mjs)"
                    : "DevTools"));
        print(result);
        if (engine.equals("webkit")) {
          printRevisit(
              HeadlessViewer.run(
                  Path.of("src/test/browser"),
                  "xvfb-run",
                  "-a",
                  "-s",
                  "-screen 0 1280x1024x24",
                  "node",
                  "revisit.mjs",
                  options.encode()));
        }
      }
      JsonObject video =
          new JsonObject(
                  http.send(
                          HttpRequest.newBuilder(URI.create(base + "/status/" + id + "/logs"))
                              .build(),
                          HttpResponse.BodyHandlers.ofString())
                      .body())
              .getJsonArray("logs").stream()
                  .map(o -> (JsonObject) o)
                  .filter(
                      e -> "video".equals(e.getString("step")) && e.getValue("durationMs") != null)
                  .findFirst()
                  .orElse(new JsonObject());
      System.out.println(
          "video step: " + video.getValue("durationMs") + " ms, " + video.getValue("details"));
    } finally {
      ServiceProcess.stop(service);
    }
  }

  /**
   * Serves the viewer's page and files as a running service has served them before: a JVM that has
   * just started takes a while on its first requests (class loading, JIT), which a phone meeting a
   * service in production does not wait for. The browser's cache stays empty.
   */
  private static void warmUp(HttpClient http, String base, String id) throws Exception {
    String marker =
        new JsonObject(
                http.send(
                        HttpRequest.newBuilder(URI.create(base + "/status/" + id)).build(),
                        HttpResponse.BodyHandlers.ofString())
                    .body())
            .getString("markerMindUrl");
    for (int i = 0; i < 30; i++) {
      for (String path :
          new String[] {
            "/ar/view/" + id,
            "/viewer/viewer.bundle.js",
            "/viewer/viewer-scene.bundle.js",
            "/viewer/analytics.js",
            marker
          }) {
        http.send(
            HttpRequest.newBuilder(URI.create(base + path))
                .header("Accept-Encoding", "br, gzip")
                .build(),
            HttpResponse.BodyHandlers.discarding());
      }
    }
  }

  /** WebKitGTK's two visits with its disk cache (revisit.mjs). */
  private static void printRevisit(String out) {
    JsonObject result = new JsonObject(out.lines().reduce((a, b) -> b).orElse("{}"));
    System.out.println(
        "== webkit with its disk cache, two runs of MiniBrowser, Slow 4G by the relay");
    for (JsonObject visit : visits(result)) {
      System.out.printf(
          "%s: %d KB on the wire (video and reports aside), targetFound %s ms after navigation"
              + " (the page's own report), video started: %s%n",
          visit.getString("visit"),
          Math.round(visit.getLong("wireBytes") / 1024.0),
          visit.getValue("foundMs"),
          visit.getBoolean("videoStarted"));
      printResources(visit.getJsonArray("resources"));
    }
  }

  /** The visits of a bench script's result; none, with its failure printed, when it failed. */
  private static List<JsonObject> visits(JsonObject result) {
    if (result.getValue("failure") != null) {
      System.out.println("failed: " + result.getString("failure"));
      return List.of();
    }
    return result.getJsonArray("visits").stream().map(o -> (JsonObject) o).toList();
  }

  private static void printResources(JsonArray resources) {
    for (Object r : resources) {
      JsonObject res = (JsonObject) r;
      System.out.printf(
          "    %8d B  %-6s %s%s%n",
          res.getLong("bytes"),
          res.getString("encoding") == null ? "-" : res.getString("encoding"),
          res.getString("path"),
          res.getBoolean("cached", false) ? " (cache)" : "");
    }
  }

  private static void print(JsonObject result) {
    for (JsonObject visit : visits(result)) {
      System.out.printf(
          "%s, %s: %d KB on the wire before targetFound, targetFound %.1f s after the request,"
              + " showing %s, video playing %.1f s after targetFound, rendition %s (%s kbit/s"
              + " measured)%n",
          visit.getString("profile"),
          visit.getString("visit"),
          Math.round(visit.getLong("wireBytes") / 1024.0),
          visit.getLong("foundMs") / 1000.0,
          visit.getString("shownAtFound"),
          visit.getLong("videoPlayingMs") / 1000.0,
          visit.getString("rendition"),
          visit.getValue("kbps"));
      if (visit.getValue("stalls") != null) {
        System.out.printf(
            "    playback: %.1f s played in %.1f s, %d stalls (%.1f s), %d KB of video, %d restarts%n",
            visit.getDouble("playedSeconds"),
            visit.getLong("watchedMs") / 1000.0,
            visit.getInteger("stalls"),
            visit.getLong("stalledMs") / 1000.0,
            Math.round(visit.getLong("videoBytes") / 1024.0),
            visit.getInteger("restarts", 0));
      }
      printResources(visit.getJsonArray("resources"));
    }
  }
}
