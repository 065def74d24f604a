package com.arservice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.arservice.testing.Await;
import com.arservice.testing.PostgresExtension;
import com.arservice.testing.Processes;
import com.arservice.testing.ServiceProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar when a resource really runs out: a disk that fills up (its storage folder a 40 MB tmpfs
 * mounted in a user and mount namespace of its own, {@code unshare -Urm}, no root needed, which the
 * test fills and empties through {@code /proc/<pid>/root}), and a heap too small for a photo.
 */
class ResourceExhaustionJarIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void
      aFullDiskIsReportedAsOutOfSpaceTurnsStorageDownLeavesNothingBehindAndTheProjectIsRetriedLater(
          @TempDir Path dir) throws Exception {
    Path storage = Files.createDirectories(dir.resolve("storage"));
    Path uploads = Files.createDirectories(dir.resolve("uploads"));
    try (InputStream in = getClass().getResourceAsStream("/photos/landscape-800x640.jpg")) {
      Files.copy(in, uploads.resolve("p.jpg"));
    }
    ServiceProcess.makeVideo(uploads.resolve("v.mp4"), 320, 240, 15, 2);
    int port = Processes.freePort();
    var db = PostgresExtension.url();
    Process service =
        ServiceProcess.start(
            List.of(
                "unshare",
                "-Urm",
                "sh",
                "-c",
                "mount -t tmpfs -o size=40m tmpfs \"$0\" && exec \"$@\"",
                storage.toString()),
            List.of(),
            Map.of(
                "PORT",
                Integer.toString(port),
                "AR_DATA_DIR",
                dir.resolve("data").toString(),
                "AR_DATABASE_URL",
                db.uri(),
                "AR_STORAGE_PATH",
                storage.toString(),
                "SHARED_UPLOADS_PATH",
                uploads.toString(),
                "AR_STORAGE_MIN_FREE_MB",
                "8",
                "AR_QUEUE_RETRY_DELAY",
                "PT2S",
                "AR_QUEUE_POLL_INTERVAL",
                "PT0.2S",
                "AR_COMPILE_WORKERS",
                "1"),
            dir.resolve("service.log"));
    try {
      ServiceProcess.awaitOk(port, "/health", service, TIMEOUT);
      // the service's own view of its storage folder: the tmpfs
      Path mounted =
          Path.of("/proc/" + service.pid() + "/root").resolve(storage.toString().substring(1));
      Path filler = mounted.resolve("filler");
      fill(filler);

      HttpResponse<String> health = get(port, "/health");
      assertEquals(503, health.statusCode());
      assertEquals(
          "DOWN",
          check(new JsonObject(health.body()), "storage").getString("status"),
          health.body());

      String id =
          new JsonObject(
                  post(
                          port,
                          "/compile",
                          new JsonObject()
                              .put("userId", "u")
                              .put("photoUrl", "/objects/uploads/p.jpg")
                              .put("videoUrl", "/objects/uploads/v.mp4"))
                      .body())
              .getString("projectId");
      Await.until("an attempt failed", () -> !failures(port, id).isEmpty());
      assertEquals("The server is out of disk space", failures(port, id).get(0).getString("error"));
      JsonObject waiting = status(port, id);
      assertEquals("processing", waiting.getString("status"), "to be retried: " + waiting.encode());
      try (Stream<Path> left = Files.list(mounted)) {
        assertEquals(
            List.of("filler"),
            left.map(p -> p.getFileName().toString())
                .filter(n -> !n.equals(".cache"))
                .flatMap(n -> n.equals(".work") ? workLeftovers(mounted) : Stream.of(n))
                .toList(),
            "no project folder and no work folder left behind");
      }

      Files.delete(filler);
      Await.until("storage is UP again", () -> get(port, "/health").statusCode() == 200);
      Await.until(
          "the retry made the project ready",
          () -> "ready".equals(status(port, id).getString("status")));
      assertTrue(status(port, id).getInteger("retryCount") >= 1);
    } finally {
      ServiceProcess.stop(service);
    }
  }

  @Test
  void aPhotoTooLargeForTheHeapFailsItsProjectAtOnceWithASentenceNotARetry(@TempDir Path dir)
      throws Exception {
    Path uploads = Files.createDirectories(dir.resolve("uploads"));
    // 16 megapixels of 16-bit RGBA: too few to skip rows and columns (the longer side is under
    // twice 2048), so it is decoded whole, in 128 MB, more than a 96 MB heap has
    ComponentColorModel rgba16 =
        new ComponentColorModel(
            ColorSpace.getInstance(ColorSpace.CS_sRGB),
            true,
            false,
            Transparency.TRANSLUCENT,
            DataBuffer.TYPE_USHORT);
    BufferedImage big =
        new BufferedImage(rgba16, rgba16.createCompatibleWritableRaster(4000, 4000), false, null);
    ImageIO.write(big, "png", uploads.resolve("big.png").toFile());
    big = null;
    int port = Processes.freePort();
    var db = PostgresExtension.url();
    Process service =
        ServiceProcess.start(
            List.of(),
            List.of("-Xmx96m"),
            Map.of(
                "PORT",
                Integer.toString(port),
                "AR_DATA_DIR",
                dir.resolve("data").toString(),
                "AR_DATABASE_URL",
                db.uri(),
                "SHARED_UPLOADS_PATH",
                uploads.toString(),
                "AR_QUEUE_RETRY_DELAY",
                "PT1S",
                "AR_QUEUE_POLL_INTERVAL",
                "PT0.2S",
                "AR_COMPILE_WORKERS",
                "1"),
            dir.resolve("service.log"));
    try {
      ServiceProcess.awaitOk(port, "/health/live", service, TIMEOUT);
      String id =
          new JsonObject(
                  post(
                          port,
                          "/compile",
                          new JsonObject()
                              .put("userId", "u")
                              .put("photoUrl", "/objects/uploads/big.png"))
                      .body())
              .getString("projectId");
      Await.until("the project failed", () -> "error".equals(status(port, id).getString("status")));
      JsonObject status = status(port, id);
      assertEquals(
          "The project's files are too large to process with the memory this server has; please upload a"
              + " smaller photo, mask or video",
          status.getString("errorMessage"));
      assertEquals(0, status.getInteger("retryCount"));
      assertEquals(200, get(port, "/health/live").statusCode(), "the service lives on");
    } finally {
      ServiceProcess.stop(service);
    }
  }

  /** Writes zeros until the file system refuses: the disk is full. */
  private static void fill(Path file) throws IOException {
    byte[] block = new byte[1 << 16];
    try (OutputStream out = Files.newOutputStream(file)) {
      while (true) {
        out.write(block);
      }
    } catch (IOException full) {
      if (!String.valueOf(full.getMessage()).contains("No space left on device")) {
        throw full;
      }
    }
  }

  private static Stream<String> workLeftovers(Path mounted) {
    try (Stream<Path> work = Files.list(mounted.resolve(".work"))) {
      return work.map(p -> ".work/" + p.getFileName()).toList().stream();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private List<JsonObject> failures(int port, String id) {
    JsonArray logs =
        new JsonObject(get(port, "/status/" + id + "/logs").body()).getJsonArray("logs");
    return logs.stream()
        .map(o -> (JsonObject) o)
        .filter(e -> "failed".equals(e.getString("status")))
        .toList();
  }

  private JsonObject status(int port, String id) {
    return new JsonObject(get(port, "/status/" + id).body());
  }

  private static JsonObject check(JsonObject health, String name) {
    return health.getJsonArray("checks").stream()
        .map(o -> (JsonObject) o)
        .filter(c -> name.equals(c.getString("id")))
        .findFirst()
        .orElseThrow();
  }

  private HttpResponse<String> get(int port, String path) {
    try {
      return http.send(
          HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private HttpResponse<String> post(int port, String path, JsonObject body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.encode()))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
