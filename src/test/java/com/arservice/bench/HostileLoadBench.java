package com.arservice.bench;

import com.arservice.testing.HostileFiles;
import com.arservice.testing.Processes;
import com.arservice.testing.ServiceProcess;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

/**
 * Memory under hostile input: the real jar with {@code -Xmx512m} (embedded PostgreSQL) gets a PNG
 * whose zTXt chunk inflates to 1.5 GB, a 400000×10 custom mask, an MP4 whose header says 5 s but
 * holds 200 s, a 150 MB raw (non-multipart) {@code POST /uploads} body, and ten normal photo +
 * video projects at the same time; prints each outcome, whether the log shows an OutOfMemoryError,
 * and the service's peak RSS. Loopback only, bounded in time.
 *
 * <pre>
 * mvn -q -DskipTests package && mvn -q test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:java \
 *   -Dexec.classpathScope=test -Dexec.mainClass=com.arservice.bench.HostileLoadBench</pre>
 */
public final class HostileLoadBench {
  private static final String[] PHOTOS = {
    "landscape-800x640.jpg", "portrait-640x800.jpg", "wide-1024x768.jpg"
  };
  private static final int NORMAL = 10;
  private static final long RAW_UPLOAD_BYTES = 150L << 20;

  private HostileLoadBench() {}

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("ar-hostile");
    Path uploads = Files.createDirectories(dir.resolve("uploads"));
    for (int i = 0; i < NORMAL; i++) {
      try (InputStream in =
          HostileLoadBench.class.getResourceAsStream("/photos/" + PHOTOS[i % PHOTOS.length])) {
        Files.copy(in, uploads.resolve("p" + i + ".jpg"));
      }
      ServiceProcess.makeVideo(uploads.resolve("v" + i + ".mp4"), 640, 360, 30, 5);
    }
    HostileFiles.pngWithZtxtBomb(
        ImageIO.read(uploads.resolve("p0.jpg").toFile()), 1500, uploads.resolve("bomb.png"));
    HostileFiles.whitePng(400_000, 10, uploads.resolve("strip.png"));
    HostileFiles.lyingMp4(uploads.resolve("lying.mp4"), 200, 5);

    int port = Processes.freePort();
    Path log = dir.resolve("service.log");
    Process service =
        ServiceProcess.start(
            List.of(),
            List.of("-Xmx512m"),
            Map.of(
                "AR_DATA_DIR",
                dir.resolve("data").toString(),
                "SHARED_UPLOADS_PATH",
                uploads.toString(),
                "PORT",
                Integer.toString(port)),
            log);
    String base = "http://localhost:" + port;
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    try {
      ServiceProcess.awaitOk(port, "/health", service, Duration.ofSeconds(90));
      long start = System.nanoTime();
      CompletableFuture<HttpResponse<String>> raw =
          http.sendAsync(
              HttpRequest.newBuilder(URI.create(base + "/uploads"))
                  .header("Content-Type", "image/jpeg")
                  .timeout(Duration.ofMinutes(5))
                  .POST(
                      HttpRequest.BodyPublishers.fromPublisher(
                          HttpRequest.BodyPublishers.ofInputStream(HostileLoadBench::jpegLike),
                          RAW_UPLOAD_BYTES))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      Map<String, String> projects = new LinkedHashMap<>();
      projects.put(
          post(
              base,
              new JsonObject().put("userId", "bench").put("photoUrl", "/objects/uploads/bomb.png")),
          "photo with a 1.5 GB zTXt chunk");
      projects.put(
          post(
              base,
              new JsonObject()
                  .put("userId", "bench")
                  .put("photoUrl", "/objects/uploads/p1.jpg")
                  .put("shapeType", "custom")
                  .put("maskUrl", "/objects/uploads/strip.png")),
          "400000x10 mask");
      projects.put(
          post(
              base,
              new JsonObject()
                  .put("userId", "bench")
                  .put("photoUrl", "/objects/uploads/p2.jpg")
                  .put("videoUrl", "/objects/uploads/lying.mp4")),
          "video: header 5 s, holds 200 s");
      for (int i = 0; i < NORMAL; i++) {
        projects.put(
            post(
                base,
                new JsonObject()
                    .put("userId", "bench")
                    .put("photoUrl", "/objects/uploads/p" + i + ".jpg")
                    .put("videoUrl", "/objects/uploads/v" + i + ".mp4")),
            "normal " + i);
      }
      long peakRss = 0;
      Map<String, JsonObject> finished = new LinkedHashMap<>();
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(15);
      while ((finished.size() < projects.size() || !raw.isDone())
          && System.nanoTime() < deadline
          && service.isAlive()) {
        for (String id : projects.keySet()) {
          if (!finished.containsKey(id)) {
            JsonObject s =
                new JsonObject(
                    http.send(
                            HttpRequest.newBuilder(URI.create(base + "/status/" + id)).build(),
                            HttpResponse.BodyHandlers.ofString())
                        .body());
            if (List.of("ready", "error").contains(s.getString("status"))) {
              finished.put(id, s);
            }
          }
        }
        peakRss = Math.max(peakRss, ApiLoadBench.rssKb(service.pid()));
        Thread.sleep(50);
      }
      System.out.printf(
          "finished in %.1f s under -Xmx512m; service alive: %s%n",
          (System.nanoTime() - start) / 1e9, service.isAlive());
      String rawOutcome =
          raw.isDone() && !raw.isCompletedExceptionally()
              ? raw.get().statusCode() + " " + raw.get().body()
              : "no answer: " + raw.handle((r, e) -> String.valueOf(e)).get();
      System.out.printf("%-34s %s%n", "150 MB raw POST /uploads", rawOutcome);
      for (Map.Entry<String, String> p : projects.entrySet()) {
        JsonObject s = finished.get(p.getKey());
        System.out.printf(
            "%-34s %s%n",
            p.getValue(),
            s == null
                ? "not finished"
                : s.getString("status")
                    + " (retries "
                    + s.getInteger("retryCount")
                    + ")"
                    + (s.getString("errorMessage") == null
                        ? ""
                        : ": " + s.getString("errorMessage")));
      }
      List<String> oom =
          new ArrayList<>(
              Files.readAllLines(log).stream()
                  .filter(l -> l.contains("OutOfMemoryError"))
                  .toList());
      System.out.printf(
          "OutOfMemoryError lines in the service log: %d%s%n",
          oom.size(), oom.isEmpty() ? "" : " (first: " + oom.get(0) + ")");
      System.out.printf(
          "service peak RSS %.0f MB (VmHWM %.0f MB)%n",
          peakRss / 1024.0, ApiLoadBench.hwmKb(service.pid()) / 1024.0);
    } finally {
      ServiceProcess.stop(service);
    }
  }

  private static String post(String base, JsonObject body) throws Exception {
    HttpResponse<String> r = ApiLoadBench.postCompile(base, body);
    if (r.statusCode() != 202) {
      throw new IllegalStateException("POST /compile answered " + r.statusCode() + ": " + r.body());
    }
    return new JsonObject(r.body()).getString("projectId");
  }

  /** JPEG magic bytes, then zeros: a body that sniffs as a JPEG. */
  private static InputStream jpegLike() {
    return HostileFiles.paddedBody(
        new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF}, RAW_UPLOAD_BYTES);
  }
}
