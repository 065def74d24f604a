package com.arservice.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aayushatharva.brotli4j.decoder.Decoder;
import com.arservice.config.ConfigKeys;
import com.arservice.config.DatabaseUrl;
import com.arservice.testing.Await;
import com.arservice.testing.BlockedThreadWatch;
import com.arservice.testing.PostgresExtension;
import com.arservice.testing.S3Server;
import com.arservice.testing.ServiceProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole service with its artifacts, uploads and cache in a bucket of a real S3 server
 * (s3proxy), nothing in the storage folder: uploads, compiling, serving with ranges and validators,
 * bad credentials, and the bucket going away during a compile.
 */
// a hung bucket request fails the test instead of the whole run
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@ExtendWith({PostgresExtension.class, BlockedThreadWatch.class})
class S3StorageTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  private final HttpClient http = HttpClient.newHttpClient();
  @TempDir Path dir;
  private S3Server s3;

  @BeforeEach
  void startBucket() throws Exception {
    s3 = S3Server.start(dir.resolve("s3"));
  }

  @AfterEach
  void stopBucket() throws Exception {
    s3.close();
  }

  private ServiceHarness service(DatabaseUrl db, Map<String, Object> extra) throws Exception {
    Map<String, Object> settings = new HashMap<>(s3.settings());
    settings.put(ConfigKeys.S3_PREFIX, "ar");
    settings.putAll(extra);
    return new ServiceHarness(dir.resolve("service"), db, Clock.systemUTC(), settings);
  }

  @Test
  void uploadsAndArtifactsLiveInTheBucketAndAreServedWithRangesValidatorsAndTheCache(DatabaseUrl db)
      throws Exception {
    try (ServiceHarness service = service(db, Map.of())) {
      String photo = upload(service, photoBytes(), "image/jpeg");
      Path video = dir.resolve("v.mp4");
      ServiceProcess.makeVideo(video, 320, 256, 15, 1);
      String videoUrl = upload(service, Files.readAllBytes(video), "video/mp4");
      String photoName = photo.substring("/objects/uploads/".length());
      assertEquals(List.of("ar/uploads/" + photoName), s3.keys("ar/uploads/" + photoName));
      assertFalse(Files.exists(service.uploads.resolve(photoName)), "not in the uploads folder");

      JsonObject status =
          finished(
              service,
              new JsonObject().put("userId", "u").put("photoUrl", photo).put("videoUrl", videoUrl));
      String id = status.getString("projectId");
      assertEquals("ready", status.getString("status"), status.encode());
      String prefix = "ar/ar-storage/" + id + "/";
      List<String> keys = s3.keys(prefix);
      for (String file :
          List.of(
              "marker.mind",
              "video-0.mp4",
              "photo-0.jpg",
              "qr-code.png",
              "quality-0.png",
              "index.html",
              "viewer.json")) {
        assertTrue(keys.contains(prefix + file), file + " in " + keys);
      }
      assertFalse(Files.exists(service.storage.resolve(id)), "no project folder on local disk");
      assertEquals(1, s3.keys("ar/cache/mind/").size(), "the compiled targets are cached");

      String url = "/objects/ar-storage/" + id + "/video-0.mp4";
      HttpResponse<byte[]> whole = service.getBytes(url);
      assertEquals(200, whole.statusCode());
      HttpResponse<byte[]> part = service.getBytes(url, "Range", "bytes=10-109");
      assertEquals(206, part.statusCode());
      assertEquals(100, part.body().length);
      assertEquals(
          "bytes 10-109/" + whole.body().length,
          part.headers().firstValue("Content-Range").orElse(""));
      assertEquals(whole.body()[10], part.body()[0]);
      String etag = whole.headers().firstValue("ETag").orElseThrow();
      assertTrue(whole.headers().firstValue("Cache-Control").orElse("").contains("max-age=3600"));
      assertEquals(304, service.getBytes(url, "If-None-Match", etag).statusCode());
      String target = "/objects/ar-storage/" + id + "/marker.mind";
      HttpResponse<byte[]> plain = service.getBytes(target);
      assertTrue(plain.headers().firstValue("Content-Encoding").isEmpty(), "as stored");
      HttpResponse<byte[]> packed = service.getBytes(target, "Accept-Encoding", "gzip");
      assertEquals("gzip", packed.headers().firstValue("Content-Encoding").orElse(""));
      assertTrue(packed.body().length < plain.body().length, "the target travels gzipped");
      assertArrayEquals(
          plain.body(),
          new GZIPInputStream(new ByteArrayInputStream(packed.body())).readAllBytes());
      HttpResponse<byte[]> brotli = service.getBytes(target, "Accept-Encoding", "gzip, br");
      assertEquals("br", brotli.headers().firstValue("Content-Encoding").orElse(""));
      assertArrayEquals(
          plain.body(), Decoder.decompress(brotli.body()).getDecompressedData(), "or brotli");
      HttpResponse<byte[]> head =
          service.getBytes(target, "Accept-Encoding", "gzip", "Range", "bytes=0-9");
      assertEquals(206, head.statusCode());
      assertArrayEquals(Arrays.copyOf(plain.body(), 10), head.body(), "a range as stored");
      assertEquals(404, service.get("/objects/ar-storage/" + id + "/none.txt").statusCode());
      assertEquals(404, service.get("/objects/ar-storage/" + id + "/..%2F..%2Fx").statusCode());

      HttpResponse<String> page = service.get("/ar/view/" + id);
      assertEquals(200, page.statusCode());
      assertTrue(page.body().contains("/objects/ar-storage/" + id + "/marker.mind"));

      // the same photo again: its targets come from the bucket's cache
      JsonObject second =
          finished(service, new JsonObject().put("userId", "u").put("photoUrl", photo));
      assertEquals("ready", second.getString("status"));
      String again = second.getString("projectId");
      JsonArray logs =
          new JsonObject(service.get("/status/" + again + "/logs").body()).getJsonArray("logs");
      assertTrue(
          logs.stream()
              .map(o -> (JsonObject) o)
              .anyMatch(
                  e ->
                      "marker".equals(e.getString("step"))
                          && "completed".equals(e.getString("status"))
                          && Boolean.TRUE.equals(
                              e.getJsonObject("details").getBoolean("cacheHit"))),
          logs.encode());
      JsonObject health = new JsonObject(service.get("/health").body());
      assertEquals("UP", health.getString("status"), health.encode());
    }
  }

  @Test
  void withAPublicBucketUrlTheStatusAndTheViewerPointReadersStraightAtTheBucket(DatabaseUrl db)
      throws Exception {
    try (ServiceHarness service =
        service(db, Map.of(ConfigKeys.S3_PUBLIC_URL, "https://cdn.shop.example/media/"))) {
      String photo = service.uploadPhoto("portrait-640x800.jpg", "p.jpg");
      JsonObject status =
          finished(service, new JsonObject().put("userId", "u").put("photoUrl", photo));
      String id = status.getString("projectId");
      String base = "https://cdn.shop.example/media/ar/ar-storage/" + id + "/";
      assertEquals(base + "marker.mind", status.getString("markerMindUrl"), status.encode());
      assertEquals(base + "qr-code.png", status.getString("qrCodeUrl"));
      assertEquals(base + "index.html", status.getString("viewerHtmlUrl"));
      HttpResponse<String> viewer = service.get("/ar/view/" + id);
      assertTrue(viewer.body().contains(base + "marker.mind"));
      // its policy lets the page read the bucket, and the static copy the service's scripts
      String policy = viewer.headers().firstValue("Content-Security-Policy").orElse("");
      for (String directive : List.of("connect-src", "media-src", "img-src")) {
        assertTrue(
            Pattern.compile(directive + " [^;]*https://cdn\\.shop\\.example(;|$)")
                .matcher(policy)
                .find(),
            directive + " in " + policy);
      }
      assertTrue(
          Pattern.compile("script-src [^;]*https://shop\\.example[ ;]").matcher(policy).find(),
          policy);
      String console =
          service.get("/admin/").headers().firstValue("Content-Security-Policy").orElse("");
      assertTrue(console.contains("img-src 'self' data: https://cdn.shop.example;"), console);
      assertTrue(
          s3.keys("ar/ar-storage/" + id + "/").contains("ar/ar-storage/" + id + "/index.html"));
      // the QR code and view URL name the page in the bucket, which works without the service's
      // paths: the libraries and the script come from the service's public address
      assertEquals(base + "index.html", status.getString("viewUrl"));
      assertEquals(base + "index.html", service.completedStep(id, "qr").getString("url"));
      String page = service.get("/objects/ar-storage/" + id + "/index.html").body();
      assertTrue(page.contains("src=\"https://shop.example/viewer/viewer.bundle.js?v="), page);
      // and its reports go to the service too, which its policy allows
      assertTrue(page.contains("content=\"https://shop.example/ar/view/" + id + "/events\""), page);
      assertTrue(
          Pattern.compile("connect-src [^;]*https://shop\\.example ").matcher(policy).find(),
          policy);
      assertTrue(page.contains(base + "marker.mind"), page);
    }
  }

  @Test
  void withWrongCredentialsHealthSaysWhyAndTheCompileIsRetriedWhileTheServiceLivesOn(DatabaseUrl db)
      throws Exception {
    try (ServiceHarness service =
        service(
            db,
            Map.of(
                ConfigKeys.S3_SECRET_ACCESS_KEY, "wrong",
                ConfigKeys.QUEUE_RETRY_DELAY, "PT0.5S",
                ConfigKeys.QUEUE_RETRY_LIMIT, 1))) {
      HttpResponse<String> health = service.get("/health/ready");
      assertEquals(503, health.statusCode());
      JsonObject storage = check(new JsonObject(health.body()), "storage");
      assertEquals("DOWN", storage.getString("status"));
      String error = storage.getJsonObject("data").getString("error");
      assertTrue(error.contains("403") && error.contains(ConfigKeys.S3_SECRET_ACCESS_KEY), error);

      // a file in the shared uploads folder still works; storing the result is what fails
      String photo = service.uploadPhoto("landscape-800x640.jpg", "p.jpg");
      JsonObject status =
          finished(service, new JsonObject().put("userId", "u").put("photoUrl", photo));
      String id = status.getString("projectId");
      assertEquals("error", status.getString("status"));
      assertEquals(
          "The project's files could not be stored; it will be tried again",
          status.getString("errorMessage"));
      Row job =
          service
              .app
              .pool()
              .query("SELECT state, retry_count FROM ar_jobs")
              .execute()
              .await()
              .iterator()
              .next();
      assertEquals("failed", job.getString("state"));
      assertEquals(1, job.getInteger("retry_count"), "tried again before it failed");
      assertEquals(200, service.get("/health/live").statusCode());
      assertEquals(List.of(), s3.keys("ar/ar-storage/"));
    }
  }

  @Test
  void whenTheBucketGoesAwayDuringACompileTheJobIsRetriedAndEndsReadyWithNothingLost(DatabaseUrl db)
      throws Exception {
    HeldFfmpeg ffmpeg = new HeldFfmpeg(dir);
    try (ServiceHarness service =
        service(
            db,
            Map.of(
                ConfigKeys.FFMPEG_PATH,
                ffmpeg.path.toString(),
                ConfigKeys.QUEUE_RETRY_DELAY,
                "PT1S",
                ConfigKeys.QUEUE_RETRY_LIMIT,
                10))) {
      String photo = upload(service, photoBytes(), "image/jpeg");
      String video = service.uploadVideo("v.mp4", 320, 256);
      String id =
          service
              .compile(
                  new JsonObject().put("userId", "u").put("photoUrl", photo).put("videoUrl", video))
              .getString("projectId");
      ffmpeg.awaitStarted();
      s3.stop();
      ffmpeg.release();
      Await.until(
          "the publish failed and the job waits for a retry",
          TIMEOUT,
          () ->
              service
                      .app
                      .pool()
                      .query("SELECT retry_count FROM ar_jobs")
                      .execute()
                      .await()
                      .iterator()
                      .next()
                      .getInteger("retry_count")
                  >= 1);
      HttpResponse<String> down = service.get("/health/ready");
      assertEquals(503, down.statusCode());
      assertTrue(
          check(new JsonObject(down.body()), "storage")
              .getJsonObject("data")
              .getString("error")
              .contains("could not be reached"),
          down.body());
      s3.start();
      JsonObject status = service.awaitFinished(id, TIMEOUT);
      assertEquals("ready", status.getString("status"), status.encode());
      List<String> keys = s3.keys("ar/ar-storage/" + id + "/");
      assertTrue(keys.contains("ar/ar-storage/" + id + "/video-0.mp4"), keys.toString());
      assertTrue(keys.contains("ar/ar-storage/" + id + "/index.html"), keys.toString());
      assertEquals(
          200, service.getBytes("/objects/ar-storage/" + id + "/video-0.mp4").statusCode());
      assertEquals(200, service.get("/health/ready").statusCode());
    }
  }

  /** Compiles a project and waits until it is ready or in error; its status. */
  private static JsonObject finished(ServiceHarness service, JsonObject request) throws Exception {
    return service.awaitFinished(service.compile(request).getString("projectId"), TIMEOUT);
  }

  private static JsonObject check(JsonObject health, String id) {
    return health.getJsonArray("checks").stream()
        .map(o -> (JsonObject) o)
        .filter(c -> id.equals(c.getString("id")))
        .findFirst()
        .orElseThrow();
  }

  private byte[] photoBytes() throws Exception {
    try (InputStream in = getClass().getResourceAsStream("/photos/landscape-800x640.jpg")) {
      return in.readAllBytes();
    }
  }

  /** {@code POST /uploads} with the file as the body; returns its URL. */
  private String upload(ServiceHarness service, byte[] body, String type) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://localhost:" + service.app.port() + "/uploads"))
                .header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(201, r.statusCode(), r.body());
    return new JsonObject(r.body()).getString("url");
  }
}
