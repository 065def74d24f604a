package com.arservice.bench;

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
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Latency under load: starts the real jar (embedded PostgreSQL), posts {@code N} compilations with
 * photos and videos, and while they run probes {@code GET /health} and {@code GET /status/:id};
 * prints p50/p99 per endpoint and the service's peak RSS. Loopback only, bounded in time.
 *
 * <pre>
 * mvn -q -DskipTests package && mvn -q test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:java \
 *   -Dexec.classpathScope=test -Dexec.mainClass=com.arservice.bench.ApiLoadBench [-Dexec.args=10]
 * </pre>
 */
public final class ApiLoadBench {
  private static final String[] PHOTOS = {
    "landscape-800x640.jpg", "portrait-640x800.jpg", "wide-1024x768.jpg"
  };
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private ApiLoadBench() {}

  public static void main(String[] args) throws Exception {
    int projects = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    Path dir = Files.createTempDirectory("ar-bench");
    Path uploads = dir.resolve("uploads");
    Files.createDirectories(uploads);
    for (int i = 0; i < projects; i++) {
      try (InputStream in =
          ApiLoadBench.class.getResourceAsStream("/photos/" + PHOTOS[i % PHOTOS.length])) {
        Files.copy(in, uploads.resolve("p" + i + ".jpg"));
      }
      ServiceProcess.makeVideo(uploads.resolve("v" + i + ".mp4"), 1280, 720, 30, 5);
    }
    int port = Processes.freePort();
    Process service =
        ServiceProcess.start(
            Map.of(
                "AR_DATA_DIR",
                dir.resolve("data").toString(),
                "SHARED_UPLOADS_PATH",
                uploads.toString(),
                "PORT",
                Integer.toString(port)),
            dir.resolve("service.log"));
    String base = "http://localhost:" + port;
    try {
      ServiceProcess.awaitOk(port, "/health", service, Duration.ofSeconds(60));
      // Warm-up outside the measurement: connections, JIT, prepared statements.
      for (int i = 0; i < 20; i++) {
        postCompile(base, new JsonObject().put("userId", "warm-up"));
        timeGet(base + "/health");
      }
      List<Long> post = new ArrayList<>();
      List<String> ids = new ArrayList<>();
      long start = System.nanoTime();
      for (int i = 0; i < projects; i++) {
        JsonObject body =
            new JsonObject()
                .put("userId", "bench")
                .put("photoUrl", "/objects/uploads/p" + i + ".jpg")
                .put("videoUrl", "/objects/uploads/v" + i + ".mp4");
        long t0 = System.nanoTime();
        HttpResponse<String> r = postCompile(base, body);
        post.add(System.nanoTime() - t0);
        ids.add(new JsonObject(r.body()).getString("projectId"));
      }
      List<Long> health = new ArrayList<>();
      List<Long> status = new ArrayList<>();
      long peakRss = 0;
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(15);
      int ready = 0;
      int extra = 0;
      while (ready < projects && System.nanoTime() < deadline) {
        health.add(timeGet(base + "/health"));
        if (extra < 3 * projects) {
          // More requests while the compilations run; photo-only ones, so the load stays as posted.
          long t0 = System.nanoTime();
          postCompile(
              base,
              new JsonObject()
                  .put("userId", "bench")
                  .put("photoUrl", "/objects/uploads/p" + (extra % projects) + ".jpg")
                  .put("isDemo", true));
          post.add(System.nanoTime() - t0);
          extra++;
        }
        ready = 0;
        for (String id : ids) {
          long t0 = System.nanoTime();
          String s =
              HTTP.send(
                      HttpRequest.newBuilder(URI.create(base + "/status/" + id)).build(),
                      HttpResponse.BodyHandlers.ofString())
                  .body();
          status.add(System.nanoTime() - t0);
          String state = new JsonObject(s).getString("status");
          if ("ready".equals(state) || "error".equals(state)) {
            ready++;
          }
        }
        peakRss = Math.max(peakRss, rssKb(service.pid()));
        Thread.sleep(50);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          "%d compilations (photo + 5 s 720p video) finished in %.1f s, %d photo-only ones posted "
              + "meanwhile%n",
          ready, seconds, extra);
      report("POST /compile", post);
      report("GET /health", health);
      report("GET /status/:id", status);
      System.out.printf(
          "service peak RSS %.0f MB (VmHWM %.0f MB)%n",
          peakRss / 1024.0, hwmKb(service.pid()) / 1024.0);
    } finally {
      ServiceProcess.stop(service);
    }
  }

  static HttpResponse<String> postCompile(String base, JsonObject body) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(base + "/compile"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.encode()))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static long timeGet(String url) throws Exception {
    long t0 = System.nanoTime();
    HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding());
    return System.nanoTime() - t0;
  }

  private static void report(String name, List<Long> nanos) {
    List<Long> sorted = new ArrayList<>(nanos);
    Collections.sort(sorted);
    System.out.printf(
        "%-16s n=%-5d p50 %6.1f ms  p99 %6.1f ms  max %6.1f ms%n",
        name,
        sorted.size(),
        pct(sorted, 0.50),
        pct(sorted, 0.99),
        sorted.get(sorted.size() - 1) / 1e6);
  }

  private static double pct(List<Long> sorted, double p) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1)) / 1e6;
  }

  static long rssKb(long pid) throws Exception {
    return procStatus(pid, "VmRSS:");
  }

  static long hwmKb(long pid) throws Exception {
    return procStatus(pid, "VmHWM:");
  }

  private static long procStatus(long pid, String key) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith(key)) {
        return Long.parseLong(line.replaceAll("\\D+", ""));
      }
    }
    return 0;
  }
}
