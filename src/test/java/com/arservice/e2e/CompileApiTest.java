package com.arservice.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.arservice.config.ConfigKeys;
import com.arservice.config.DatabaseUrl;
import com.arservice.mind.MindFile;
import com.arservice.mind.MindTarget;
import com.arservice.storage.LocalArtifactStore;
import com.arservice.testing.BlockedThreadWatch;
import com.arservice.testing.HostileFiles;
import com.arservice.testing.PostgresExtension;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /compile} to a ready project and its artifacts, through HTTP, with real ffmpeg. */
@ExtendWith({PostgresExtension.class, BlockedThreadWatch.class})
class CompileApiTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  private ServiceHarness service;
  private DatabaseUrl db;

  @BeforeEach
  void start(@TempDir Path dir, DatabaseUrl db) throws Exception {
    this.db = db;
    service = new ServiceHarness(dir, db, Clock.systemUTC(), Map.of());
  }

  @AfterEach
  void stop() {
    service.close();
  }

  @Test
  void aPhotoAndAVideoBecomeAReadyProjectWithEveryArtifact() throws Exception {
    // the target as the service compiles it by default
    service.close();
    service =
        new ServiceHarness(
            service.dataDir.resolve("robust"),
            db,
            Clock.systemUTC(),
            Map.of(ConfigKeys.MARKER_MODE, "robust"));
    String photo = service.uploadPhoto("landscape-800x640.jpg", "photo.jpg");
    String video = service.uploadVideo("clip.mp4", 640, 360);
    JsonObject accepted =
        service.compile(
            new JsonObject()
                .put("userId", "user-1")
                .put("orderId", "order-7")
                .put("photoUrl", photo)
                .put("videoUrl", video));
    String id = accepted.getString("projectId");
    assertEquals("pending", accepted.getString("status"));
    assertEquals(1, accepted.getInteger("markersCount"));
    assertEquals("/status/" + id, accepted.getString("statusUrl"));
    assertEquals("https://shop.example/ar/view/" + id, accepted.getString("viewUrl"));

    JsonObject status = service.awaitFinished(id, TIMEOUT);
    assertEquals("ready", status.getString("status"), status.encode());
    assertEquals(100, status.getInteger("progress"));
    assertTrue(status.getInteger("compilationTimeMs") > 0);
    assertEquals("/objects/ar-storage/" + id + "/marker.mind", status.getString("markerMindUrl"));
    assertEquals("robust", status.getString("markerMode"), status.encode());

    HttpResponse<byte[]> mind = service.getBytes(status.getString("markerMindUrl"));
    assertEquals(200, mind.statusCode());
    List<MindTarget> targets = MindFile.read(mind.body());
    assertEquals(1, targets.size());
    assertEquals(800, targets.get(0).width());

    HttpResponse<byte[]> qr = service.getBytes(status.getString("qrCodeUrl"));
    assertEquals("image/png", qr.headers().firstValue("Content-Type").orElse(""));
    assertEquals(accepted.getString("viewUrl"), decodeQr(qr.body()));

    JsonObject target = status.getJsonArray("targets").getJsonObject(0);
    JsonObject quality = target.getJsonObject("quality");
    int score = quality.getInteger("score");
    assertTrue(score >= 0 && score <= 100, quality.encode());
    assertEquals((int) Math.round(score / 20.0), quality.getInteger("stars"));
    assertTrue(quality.getJsonObject("detectionRate").containsKey("far"), quality.encode());
    assertTrue(quality.getJsonObject("breakdown").getDouble("coverage") > 0, quality.encode());
    assertFalse(quality.getJsonArray("advice").isEmpty());
    assertEquals("/objects/ar-storage/" + id + "/quality-0.png", quality.getString("heatmapUrl"));
    HttpResponse<byte[]> heatmap = service.getBytes(quality.getString("heatmapUrl"));
    assertEquals(200, heatmap.statusCode());
    assertEquals("image/png", heatmap.headers().firstValue("Content-Type").orElse(""));
    BufferedImage map = ImageIO.read(new ByteArrayInputStream(heatmap.body()));
    assertEquals(800, map.getWidth());
    assertEquals(640, map.getHeight());
    String videoUrl = target.getJsonObject("artifacts").getString("video");
    HttpResponse<byte[]> range = service.getBytes(videoUrl, "Range", "bytes=0-99");
    assertEquals(206, range.statusCode());
    assertEquals(100, range.body().length);
    String etag = range.headers().firstValue("ETag").orElseThrow();
    assertEquals(304, service.getBytes(videoUrl, "If-None-Match", etag).statusCode());
    assertTrue(range.headers().firstValue("Cache-Control").orElse("").contains("max-age"));
    assertEquals("video/mp4", range.headers().firstValue("Content-Type").orElse(""));
    JsonObject probe = ffprobe(service.storage.resolve(id).resolve("video-0.mp4"));
    assertEquals("h264", probe.getString("codec_name"));
    double aspect = probe.getInteger("width") / (double) probe.getInteger("height");
    assertEquals(800 / 640.0, aspect, 0.05, "the video has the photo's aspect");

    HttpResponse<String> logs = service.get("/status/" + id + "/logs");
    JsonArray entries = new JsonObject(logs.body()).getJsonArray("logs");
    List<String> completed =
        entries.stream()
            .map(o -> (JsonObject) o)
            .filter(e -> "completed".equals(e.getString("status")))
            .map(e -> e.getString("step"))
            .toList();
    assertEquals(
        List.of(
            "validate", "photo", "border", "masks", "video", "marker", "quality", "viewer", "qr"),
        completed);

    HttpResponse<String> viewer = service.get("/ar/view/" + id);
    assertEquals(200, viewer.statusCode());
    assertTrue(viewer.body().contains("/viewer/viewer.bundle.js"), "the ready page is the viewer");
    assertTrue(
        Files.readString(service.storage.resolve(id).resolve("index.html"))
            .contains(status.getString("markerMindUrl")),
        "the static copy of the page is in the project's folder");
  }

  @Test
  void anAlbumOfThreePhotosCompilesIntoOneFileWithTargetsInOrder() throws Exception {
    JsonArray photos =
        new JsonArray()
            .add(service.uploadPhoto("landscape-800x640.jpg", "a.jpg"))
            .add(service.uploadPhoto("portrait-640x800.jpg", "b.jpg"))
            .add(service.uploadPhoto("wide-1024x768.jpg", "c.jpg"));
    JsonArray videos =
        new JsonArray()
            .add(service.uploadVideo("a.mp4", 320, 240))
            .add(service.uploadVideo("b.mp4", 240, 320))
            .add(service.uploadVideo("c.mp4", 320, 180));
    String id =
        service
            .compile(
                new JsonObject()
                    .put("userId", "u")
                    .put("photoUrls", photos)
                    .put("videoUrls", videos))
            .getString("projectId");
    JsonObject status = service.awaitFinished(id, TIMEOUT);
    assertEquals("ready", status.getString("status"), status.encode());
    assertEquals(3, status.getInteger("markersCount"));
    List<MindTarget> targets =
        MindFile.read(Files.readAllBytes(service.storage.resolve(id).resolve("marker.mind")));
    assertEquals(List.of(800, 640, 1024), targets.stream().map(MindTarget::width).toList());
    for (int i = 0; i < 3; i++) {
      JsonObject probe = ffprobe(service.storage.resolve(id).resolve("video-" + i + ".mp4"));
      JsonObject t = status.getJsonArray("targets").getJsonObject(i);
      assertEquals(
          t.getInteger("photoWidth") / (double) t.getInteger("photoHeight"),
          probe.getInteger("width") / (double) probe.getInteger("height"),
          0.05);
    }
  }

  @Test
  void eachMaskShapeGivesAMaskWithAnOpaqueCentreAndTransparentCorners() throws Exception {
    for (String shape : List.of("circle", "oval", "square", "rect")) {
      String photo = service.uploadPhoto("portrait-640x800.jpg", shape + ".jpg");
      String id =
          service
              .compile(
                  new JsonObject()
                      .put("userId", "u")
                      .put("photoUrl", photo)
                      .put("shapeType", shape))
              .getString("projectId");
      JsonObject status = service.awaitFinished(id, TIMEOUT);
      assertEquals("ready", status.getString("status"), shape + ": " + status.encode());
      String maskUrl =
          status
              .getJsonArray("targets")
              .getJsonObject(0)
              .getJsonObject("artifacts")
              .getString("mask");
      BufferedImage mask = ImageIO.read(new ByteArrayInputStream(service.getBytes(maskUrl).body()));
      assertEquals(640, mask.getWidth(), shape);
      assertEquals(800, mask.getHeight(), shape);
      assertEquals(255, mask.getRGB(320, 400) >>> 24, shape + " centre");
      assertEquals(0, mask.getRGB(0, 0) >>> 24, shape + " corner");
    }
  }

  @Test
  void aPhotoWithoutVideoIsAValidPhotoOnlyTarget() throws Exception {
    String id =
        service
            .compile(
                new JsonObject()
                    .put("userId", "u")
                    .put("photoUrl", service.uploadPhoto("wide-1024x768.jpg", "p.jpg")))
            .getString("projectId");
    JsonObject status = service.awaitFinished(id, TIMEOUT);
    assertEquals("ready", status.getString("status"), status.encode());
    assertFalse(
        status
            .getJsonArray("targets")
            .getJsonObject(0)
            .getJsonObject("artifacts")
            .containsKey("video"));
    assertNull(status.getString("videoUrl"));
    assertFalse(
        Files.exists(
            service.storage.resolve(status.getString("projectId")).resolve("video-0.mp4")));
  }

  @Test
  void aHeicFromAPhoneBecomesTheSamePublishedPhotoAndTargetAsItsJpeg() throws Exception {
    String jpeg = service.uploadPhoto("landscape-800x640.jpg", "same.jpg");
    Path png = service.uploads.resolveSibling("same.png");
    ImageIO.write(ImageIO.read(service.uploads.resolve("same.jpg").toFile()), "png", png.toFile());
    Path heic = service.uploads.resolve("same.heic");
    Process enc =
        new ProcessBuilder("heif-enc", "-q", "95", png.toString(), "-o", heic.toString())
            .redirectErrorStream(true)
            .start();
    String encOut = new String(enc.getInputStream().readAllBytes());
    assertEquals(0, enc.waitFor(), encOut);

    JsonObject fromJpeg = compiledPhoto(jpeg);
    JsonObject fromHeic = compiledPhoto("/objects/uploads/same.heic");

    BufferedImage a = published(fromJpeg);
    BufferedImage b = published(fromHeic);
    assertEquals(800, b.getWidth());
    assertEquals(640, b.getHeight());
    assertTrue(meanError(a, b) < 4, "mean error " + meanError(a, b));
    List<MindTarget> ta = mind(fromJpeg);
    List<MindTarget> tb = mind(fromHeic);
    assertEquals(ta.get(0).width(), tb.get(0).width());
    assertEquals(ta.get(0).height(), tb.get(0).height());
  }

  private JsonObject compiledPhoto(String photoUrl) throws Exception {
    String id =
        service
            .compile(new JsonObject().put("userId", "u").put("photoUrl", photoUrl))
            .getString("projectId");
    JsonObject status = service.awaitFinished(id, TIMEOUT);
    assertEquals("ready", status.getString("status"), status.encode());
    return status;
  }

  private BufferedImage published(JsonObject status) throws Exception {
    String url =
        status
            .getJsonArray("targets")
            .getJsonObject(0)
            .getJsonObject("artifacts")
            .getString("photo");
    return ImageIO.read(new ByteArrayInputStream(service.getBytes(url).body()));
  }

  private List<MindTarget> mind(JsonObject status) throws Exception {
    return MindFile.read(service.getBytes(status.getString("markerMindUrl")).body());
  }

  private static double meanError(BufferedImage a, BufferedImage b) {
    long sum = 0;
    for (int y = 0; y < a.getHeight(); y++) {
      for (int x = 0; x < a.getWidth(); x++) {
        int p = a.getRGB(x, y);
        int q = b.getRGB(x, y);
        for (int shift = 0; shift < 24; shift += 8) {
          sum += Math.abs(((p >> shift) & 0xFF) - ((q >> shift) & 0xFF));
        }
      }
    }
    return sum / (3.0 * a.getWidth() * a.getHeight());
  }

  @Test
  void aDemoExpiresADayAfterItWasCreated() throws Exception {
    String id =
        service
            .compile(
                new JsonObject()
                    .put("userId", "u")
                    .put("isDemo", true)
                    .put("photoUrl", service.uploadPhoto("landscape-800x640.jpg", "d.jpg")))
            .getString("projectId");
    JsonObject status = service.awaitFinished(id, TIMEOUT);
    assertTrue(status.getBoolean("isDemo"));
    assertEquals(
        Instant.parse(status.getString("createdAt")).plus(Duration.ofHours(24)),
        Instant.parse(status.getString("expiresAt")));
  }

  @Test
  void aCorruptPhotoFailsAtOnceWithAReasonAndNoRetry() throws Exception {
    Files.writeString(service.uploads.resolve("fake.jpg"), "this is not a picture at all");
    String id =
        service
            .compile(
                new JsonObject().put("userId", "u").put("photoUrl", "/objects/uploads/fake.jpg"))
            .getString("projectId");
    JsonObject status = service.awaitFinished(id, TIMEOUT);
    assertEquals("error", status.getString("status"));
    assertTrue(
        status
            .getString("errorMessage")
            .toLowerCase()
            .contains("not an image in a supported format"),
        status.getString("errorMessage"));
    assertEquals(0, status.getInteger("retryCount"));
    JsonArray logs =
        new JsonObject(service.get("/status/" + id + "/logs").body()).getJsonArray("logs");
    assertEquals(
        1,
        logs.stream().filter(o -> "failed".equals(((JsonObject) o).getString("status"))).count());
    HttpResponse<String> page = service.get("/ar/view/" + id);
    assertTrue(page.body().contains("could not be created"), page.body());
  }

  @Test
  void hostileFilesFailTheirProjectAtOnceWithASentenceAndNoRetry() throws Exception {
    String photo = service.uploadPhoto("landscape-800x640.jpg", "p.jpg");
    HostileFiles.whitePng(400_000, 10, service.uploads.resolve("strip.png"));
    HostileFiles.lyingMp4(service.uploads.resolve("lying.mp4"), 200, 5);
    HostileFiles.pngWithExif(
        ImageIO.read(getClass().getResource("/photos/wide-1024x768.jpg")),
        6,
        200_000,
        service.uploads.resolve("fat-exif.png"));
    Map<JsonObject, String> projects =
        Map.of(
            new JsonObject()
                .put("userId", "u")
                .put("photoUrl", photo)
                .put("shapeType", "custom")
                .put("maskUrl", "/objects/uploads/strip.png"),
            "The mask does not fit the photo: it is 400000x10 pixels and the photo 800x640; use a mask with the photo's"
                + " proportions",
            new JsonObject()
                .put("userId", "u")
                .put("photoUrl", photo)
                .put("videoUrl", "/objects/uploads/lying.mp4"),
            "The video is too long: at most 120 seconds are allowed, and it plays for longer than the 5 seconds its file"
                + " header states",
            new JsonObject().put("userId", "u").put("photoUrl", "/objects/uploads/fat-exif.png"),
            "The photo's EXIF metadata is too large: more than 64 KB (save the photo again without it)");
    for (Map.Entry<JsonObject, String> project : projects.entrySet()) {
      JsonObject status =
          service.awaitFinished(service.compile(project.getKey()).getString("projectId"), TIMEOUT);
      assertEquals("error", status.getString("status"), status.encode());
      assertEquals(project.getValue(), status.getString("errorMessage"));
      assertEquals(0, status.getInteger("retryCount"));
    }
  }

  @Test
  void aPhotoWhoseTextChunkInflatesToGigabytesBecomesReady() throws Exception {
    HostileFiles.pngWithZtxtBomb(
        ImageIO.read(getClass().getResource("/photos/portrait-640x800.jpg")),
        1500,
        service.uploads.resolve("bomb.png"));
    JsonObject status =
        service.awaitFinished(
            service
                .compile(
                    new JsonObject()
                        .put("userId", "u")
                        .put("photoUrl", "/objects/uploads/bomb.png"))
                .getString("projectId"),
            TIMEOUT);
    assertEquals("ready", status.getString("status"), status.encode());
  }

  @Test
  void unknownProjectsAnswer404AsJsonAndAsAPage() throws Exception {
    HttpResponse<String> status = service.get("/status/7c9e6679-7425-40de-944b-e07fc1f90ae7");
    assertEquals(404, status.statusCode());
    assertEquals("Project not found", new JsonObject(status.body()).getString("error"));
    assertEquals(404, service.get("/status/not-a-uuid/logs").statusCode());
    HttpResponse<String> page =
        service.get("/ar/view/7c9e6679-7425-40de-944b-e07fc1f90ae7", "Accept-Language", "ru-RU");
    assertEquals(404, page.statusCode());
    assertTrue(page.body().contains("Не найдено"));
  }

  @Test
  void anArtifactAskedForBeforeItIsPublishedIsServedOnceItIsAndAReplacementAfterThat()
      throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      LocalArtifactStore store = new LocalArtifactStore(vertx, service.storage);
      UUID id = UUID.randomUUID();
      String url = "/objects/ar-storage/" + id + "/index.html";
      assertEquals(404, service.get(url).statusCode());
      assertEquals(
          404, service.get(url).statusCode(), "asked twice, so a remembered miss would show");

      Path first = store.newWorkFolder(id);
      Files.writeString(first.resolve("index.html"), "first");
      store.publish(id, first).await();
      HttpResponse<String> published = service.get(url);
      assertEquals(200, published.statusCode());
      assertEquals("first", published.body());
      assertTrue(
          published.headers().firstValue("Cache-Control").orElse("").contains("max-age=3600"));
      assertTrue(published.headers().firstValue("Last-Modified").isPresent());

      Path second = store.newWorkFolder(id);
      Files.writeString(second.resolve("index.html"), "the second, longer attempt");
      store.publish(id, second).await();
      assertEquals("the second, longer attempt", service.get(url).body());
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void aDamagedCacheEntryIsCompiledAgainAndReplacedSoTheNextProjectGetsTheRightTargets()
      throws Exception {
    String photo = service.uploadPhoto("portrait-640x800.jpg", "p.jpg");
    String first = readyPhotoProject(photo);
    assertEquals(false, markerDetails(first).getBoolean("cacheHit"));
    byte[] marker = Files.readAllBytes(service.storage.resolve(first).resolve("marker.mind"));
    Path entry;
    try (Stream<Path> entries = Files.list(service.storage.resolve(".cache").resolve("mind"))) {
      entry = entries.toList().get(0);
    }
    byte[] good = Files.readAllBytes(entry);
    byte[] damaged = good.clone();
    damaged[damaged.length / 2] ^= 0x40;
    Files.write(entry, damaged);

    String second = readyPhotoProject(photo);
    JsonObject details = markerDetails(second);
    assertEquals(false, details.getBoolean("cacheHit"), "the damaged entry is not used");
    assertEquals(true, details.getBoolean("cacheStored"));
    assertArrayEquals(
        marker, Files.readAllBytes(service.storage.resolve(second).resolve("marker.mind")));
    assertArrayEquals(good, Files.readAllBytes(entry), "the entry is replaced by a sound one");
    assertEquals(
        true, markerDetails(readyPhotoProject(photo)).getBoolean("cacheHit"), "and used again");
  }

  @Test
  void aCacheThatCannotBeWrittenStillGivesAReadyProject() throws Exception {
    // a file where the cache folder belongs: no entry can be stored, for root too
    Files.createDirectories(service.storage.resolve(".cache"));
    Files.writeString(service.storage.resolve(".cache").resolve("mind"), "not a folder");
    String id = readyPhotoProject(service.uploadPhoto("portrait-640x800.jpg", "p.jpg"));
    assertEquals(false, markerDetails(id).getBoolean("cacheStored"));
    HttpResponse<byte[]> mind = service.getBytes("/objects/ar-storage/" + id + "/marker.mind");
    assertEquals(200, mind.statusCode());
    assertEquals(1, MindFile.read(mind.body()).size());
  }

  private String readyPhotoProject(String photo) throws Exception {
    return compiledPhoto(photo).getString("projectId");
  }

  /** The details of the completed marker step in the project's log. */
  private JsonObject markerDetails(String id) throws Exception {
    return new JsonObject(service.get("/status/" + id + "/logs").body())
        .getJsonArray("logs").stream()
            .map(JsonObject.class::cast)
            .filter(
                e ->
                    "marker".equals(e.getString("step"))
                        && "completed".equals(e.getString("status")))
            .findFirst()
            .orElseThrow()
            .getJsonObject("details");
  }

  private static String decodeQr(byte[] png) throws Exception {
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    int[] pixels =
        image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    return new QRCodeReader()
        .decode(
            new BinaryBitmap(
                new HybridBinarizer(
                    new RGBLuminanceSource(image.getWidth(), image.getHeight(), pixels))),
            // zxing's finder search misses about 1 in 100 perfectly axis-aligned codes that zbar
            // and a camera's view read; the PNG is a pure code, so read it as one.
            Map.of(DecodeHintType.PURE_BARCODE, Boolean.TRUE))
        .getText();
  }

  static JsonObject ffprobe(Path video) throws Exception {
    Process p =
        new ProcessBuilder(
                "ffprobe",
                "-v",
                "error",
                "-select_streams",
                "v:0",
                "-show_entries",
                "stream=codec_name,width,height",
                "-of",
                "json",
                video.toString())
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor();
    return new JsonObject(out).getJsonArray("streams").getJsonObject(0);
  }
}
