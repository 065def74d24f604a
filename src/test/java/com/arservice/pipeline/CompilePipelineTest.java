package com.arservice.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.arservice.common.CompileStep;
import com.arservice.media.MaskGenerator;
import com.arservice.media.PhotoNormalizer;
import com.arservice.media.StopSignal;
import com.arservice.media.TestVideos;
import com.arservice.media.VideoProcessor;
import com.arservice.mind.MarkerMode;
import com.arservice.mind.MindFile;
import com.arservice.mind.MindTarget;
import com.arservice.mind.quality.QualityAnalyzer;
import com.arservice.mind.quality.QualityPhotos;
import com.arservice.mind.quality.QualityReport;
import com.arservice.project.CompileResult;
import com.arservice.project.ProjectSpec;
import com.arservice.project.StepEvent;
import com.arservice.viewer.ViewerPage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compile job run directly, as plain Java on this thread: real photos, a real ffmpeg, a real
 * cache folder.
 */
class CompilePipelineTest {
  private static final List<Integer> PROGRESS = List.of(5, 15, 20, 25, 60, 85, 88, 90, 95);

  @TempDir static Path media;
  private static Path video;

  @TempDir Path dir;

  private final List<StepEvent> events = new ArrayList<>();

  @BeforeAll
  static void makeVideo() throws Exception {
    video = TestVideos.make(media.resolve("v.mp4"), 320, 240, 1, true);
  }

  @Test
  void
      aPhotoAndVideoProjectWritesEveryArtifactIntoTheWorkFolderAndReportsEachStepStartedThenCompleted()
          throws Exception {
    UUID id = UUID.randomUUID();
    Path work = Files.createDirectories(dir.resolve("work"));

    CompileResult result =
        pipeline(videos())
            .run(
                spec(id, photo("landscape-800x640.jpg"), List.of(video)),
                work,
                events::add,
                StopSignal.NEVER);

    try (Stream<Path> files = Files.list(work)) {
      assertEquals(
          List.of(
              "index.html",
              "marker.mind",
              "marker.mind.br",
              "marker.mind.gz",
              "mask-0.png",
              "photo-0.jpg",
              "qr-code.png",
              "quality-0.png",
              "video-0-poster.jpg",
              "video-0.mp4",
              "viewer.json"),
          files.map(p -> p.getFileName().toString()).sorted().toList());
    }
    BufferedImage photo = ImageIO.read(work.resolve("photo-0.jpg").toFile());
    assertEquals(800, photo.getWidth());
    assertEquals(640, photo.getHeight());
    BufferedImage mask = ImageIO.read(work.resolve("mask-0.png").toFile());
    assertEquals(800, mask.getWidth());
    assertEquals(640, mask.getHeight());
    List<MindTarget> targets = MindFile.read(Files.readAllBytes(work.resolve("marker.mind")));
    assertEquals(1, targets.size());
    assertEquals(videos().probe(work.resolve("video-0.mp4")).width(), result.first().videoWidth());

    List<String> expected = new ArrayList<>();
    for (CompileStep step : CompileStep.values()) {
      expected.add(step.logName() + " started");
      expected.add(step.logName() + " completed");
    }
    assertEquals(
        expected, events.stream().map(e -> e.step().logName() + " " + e.status()).toList());
    List<StepEvent> completed =
        events.stream().filter(e -> "completed".equals(e.status())).toList();
    assertEquals(PROGRESS, completed.stream().map(StepEvent::progress).toList());
    assertTrue(
        completed.stream().allMatch(e -> e.durationMs() != null && e.error() == null),
        completed.toString());
    assertEquals(1, detailsOf("validate").getInteger("videos"));
    assertEquals("circle", detailsOf("masks").getString("shapeType"));
    assertEquals(
        true,
        detailsOf("video").getJsonArray("videos").getJsonObject(0).getBoolean("cropped"),
        "a 4:3 video is cropped to the 5:4 photo");
    assertEquals(false, detailsOf("marker").getBoolean("cacheHit"));
    assertEquals(true, detailsOf("marker").getBoolean("cacheStored"));
    assertEquals(Files.size(work.resolve("marker.mind")), detailsOf("marker").getLong("bytes"));
    assertEquals(
        Files.size(work.resolve("marker.mind.br")), detailsOf("marker").getLong("brotliBytes"));
    assertTrue(
        detailsOf("marker").getLong("brotliBytes") < detailsOf("marker").getLong("gzipBytes"),
        "brotli is smaller than gzip: " + detailsOf("marker"));

    String base = "/objects/ar-storage/" + id + "/";
    assertEquals(base + "marker.mind", result.markerMindUrl());
    assertEquals(base + "index.html", result.viewerHtmlUrl());
    assertEquals(base + "qr-code.png", result.qrCodeUrl());
    assertEquals(800, result.first().photoWidth());
    assertEquals(640, result.first().photoHeight());
    JsonObject artifacts = result.first().artifacts();
    // a 320x240 video is too small for lighter renditions: the main file is the only one
    JsonObject rendition =
        new JsonObject()
            .put("url", base + "video-0.mp4")
            .put("width", result.first().videoWidth())
            .put("height", result.first().videoHeight())
            .put("kbps", artifacts.getJsonArray("renditions").getJsonObject(0).getInteger("kbps"));
    assertEquals(
        new JsonObject()
            .put("photo", base + "photo-0.jpg")
            .put("video", base + "video-0.mp4")
            .put("mask", base + "mask-0.png")
            .put("poster", base + "video-0-poster.jpg")
            .put("renditions", new JsonArray().add(rendition)),
        artifacts);
    assertEquals(
        id.toString(),
        new JsonObject(Files.readString(work.resolve("viewer.json"))).getString("projectId"));

    CompileResult.Quality quality = result.first().quality();
    assertTrue(quality.score() >= QualityReport.GOOD, "a rich photo: " + quality.toJson());
    assertEquals(Math.round(quality.score() / 20.0), quality.stars());
    assertEquals(base + "quality-0.png", quality.heatmapUrl());
    assertNull(quality.warning());
    BufferedImage heatmap = ImageIO.read(work.resolve("quality-0.png").toFile());
    assertEquals(800, heatmap.getWidth(), "the heat-map is of the compiled photo");
    assertEquals(640, heatmap.getHeight());
    JsonObject details = detailsOf("quality");
    assertEquals(QualityAnalyzer.DEFAULT_VIEWS, details.getInteger("views"));
    assertEquals(
        new JsonObject()
            .put("score", quality.score())
            .put("stars", quality.stars())
            .put("heatmap", "quality-0.png"),
        details.getJsonArray("targets").getJsonObject(0));
    assertFalse(details.containsKey("warning"), "a good photo has no warning");
  }

  @Test
  void aHopelessPhotoStillCompilesWithAWarningInItsQualityStepAndResult() throws Exception {
    Path sky = QualityPhotos.writePng(QualityPhotos.gradient(), dir.resolve("sky.png"));

    CompileResult result = photoOnlyResult(sky, "sky");

    CompileResult.Quality quality = result.first().quality();
    assertTrue(quality.score() < QualityReport.POOR, quality.toJson().encode());
    assertEquals(
        "The photo scores "
            + quality.score()
            + " of 100 as an AR target: customers' phones will often fail to recognise the print;"
            + " see the quality advice.",
        quality.warning());
    assertEquals(quality.warning(), detailsOf("quality").getString("warning"));
    assertEquals(
        CompileStep.values().length * 2, events.size(), "every step ran after the warning");
    assertTrue(Files.size(dir.resolve("sky").resolve("quality-0.png")) > 0);
    assertFalse(quality.advice().isEmpty());
  }

  @Test
  void aFailingStepIsReportedAsFailedWithItsReasonAndNoLaterStepStarts() throws Exception {
    // An ffmpeg that refuses the file (ffprobe, the real one, accepted it): the file's fault, so
    // not retried.
    Path ffmpeg = dir.resolve("refusing-ffmpeg");
    Files.writeString(
        ffmpeg, "#!/bin/sh\necho 'Invalid data found when processing input' >&2\nexit 1\n");
    Files.setPosixFilePermissions(ffmpeg, PosixFilePermissions.fromString("rwxr-xr-x"));
    CompilePipeline pipeline =
        pipeline(
            new VideoProcessor(ffmpeg.toString(), "ffprobe", VideoProcessor.Limits.defaults()));

    PipelineException e =
        assertThrows(
            PipelineException.class,
            () ->
                pipeline.run(
                    spec(UUID.randomUUID(), photo("portrait-640x800.jpg"), List.of(video)),
                    Files.createDirectories(dir.resolve("work")),
                    events::add,
                    StopSignal.NEVER));

    String reason =
        "The video could not be converted: the file is damaged or uses a variant we cannot convert"
            + " (export it again as a standard MP4)";
    assertEquals(reason, e.getMessage());
    assertFalse(e.isTransient());
    assertEquals(
        List.of(
            "validate started",
            "validate completed",
            "photo started",
            "photo completed",
            "border started",
            "border completed",
            "masks started",
            "masks completed",
            "video started",
            "video failed"),
        events.stream().map(ev -> ev.step().logName() + " " + ev.status()).toList());
    StepEvent failed = events.get(events.size() - 1);
    assertEquals(reason, failed.error());
    assertNull(failed.details());
    assertNull(failed.progress(), "a failed step does not move the progress");
  }

  @Test
  void aPhotoThatIsNotAnImageFailsThePhotoStepForGood() throws Exception {
    Path notAPhoto = Files.writeString(dir.resolve("p.jpg"), "not an image");

    PipelineException e =
        assertThrows(
            PipelineException.class,
            () ->
                pipeline(videos())
                    .run(
                        spec(UUID.randomUUID(), notAPhoto, List.of()),
                        Files.createDirectories(dir.resolve("work")),
                        events::add,
                        StopSignal.NEVER));

    assertFalse(e.isTransient());
    assertEquals(
        List.of("validate started", "validate completed", "photo started", "photo failed"),
        events.stream().map(ev -> ev.step().logName() + " " + ev.status()).toList());
    assertEquals(e.getMessage(), events.get(3).error());
  }

  @Test
  void aStopRequestEndsTheAttemptBeforeTheNextStepAsTooSlowAndRetryable() throws Exception {
    AtomicInteger asked = new AtomicInteger();
    // asked once before each step: yes from the third step (border) on
    StopSignal stop = () -> asked.incrementAndGet() > 2;

    PipelineException e =
        assertThrows(
            PipelineException.class,
            () ->
                pipeline(videos())
                    .run(
                        spec(UUID.randomUUID(), photo("portrait-640x800.jpg"), List.of()),
                        Files.createDirectories(dir.resolve("work")),
                        events::add,
                        stop));

    assertEquals(CompilePipeline.TOO_SLOW, e.getMessage());
    assertTrue(e.isTransient());
    assertEquals(
        List.of("validate started", "validate completed", "photo started", "photo completed"),
        events.stream().map(ev -> ev.step().logName() + " " + ev.status()).toList());
  }

  @Test
  void aSecondRunWithTheSamePhotoIsACacheHitGivingTheSameMindFile() throws Exception {
    Path photo = photo("wide-1024x768.jpg");
    Path first = photoOnly(photo, "first");
    assertEquals(false, detailsOf("marker").getBoolean("cacheHit"));
    JsonObject compiledQuality = detailsOf("quality");

    Path second = photoOnly(photo, "second");

    JsonObject details = detailsOf("marker");
    assertEquals(true, details.getBoolean("cacheHit"));
    assertFalse(details.containsKey("cacheStored"), "a hit stores nothing");
    assertEquals(
        compiledQuality, detailsOf("quality"), "the cached target gives the same quality report");
    assertArrayEquals(
        Files.readAllBytes(first.resolve("marker.mind")),
        Files.readAllBytes(second.resolve("marker.mind")));
    assertEquals(List.of(cacheEntry()), cacheEntries(), "one entry, shared by both runs");
  }

  @Test
  void aRobustRecompileIsLoggedAndReportedAsRobustAndCachedApartFromTheReferenceFile()
      throws Exception {
    Path photo = photo("portrait-640x800.jpg");
    Path reference = photoOnly(photo, "reference");
    assertEquals("reference", detailsOf("marker").getString("mode"));
    events.clear();
    Path work = Files.createDirectories(dir.resolve("robust"));
    ProjectSpec base = spec(UUID.randomUUID(), photo, List.of());
    ProjectSpec robust =
        new ProjectSpec(
            base.id(),
            base.photos(),
            base.videos(),
            base.masks(),
            base.shapeType(),
            base.viewUrl(),
            base.config(),
            "robust");

    CompileResult result = pipeline(videos()).run(robust, work, events::add, StopSignal.NEVER);

    JsonObject details = detailsOf("marker");
    assertEquals("robust", details.getString("mode"));
    assertEquals(false, details.getBoolean("cacheHit"), "the reference entry is not used");
    assertEquals("robust", result.markerMode());
    assertEquals(2, cacheEntries().size());
    long robustBytes = Files.size(work.resolve("marker.mind"));
    assertTrue(robustBytes < Files.size(reference.resolve("marker.mind")) * 0.6, robustBytes + "");
    assertEquals(1, MindFile.read(Files.readAllBytes(work.resolve("marker.mind"))).size());
  }

  @Test
  void aDamagedCacheEntryIsAMissThatIsCompiledAgainAndReplaced() throws Exception {
    Path photo = photo("portrait-640x800.jpg");
    Path first = photoOnly(photo, "first");
    Path entry = cacheEntry();
    byte[] good = Files.readAllBytes(entry);
    byte[] damaged = good.clone();
    damaged[damaged.length / 2] ^= 0x40;
    Files.write(entry, damaged);

    Path second = photoOnly(photo, "second");

    JsonObject details = detailsOf("marker");
    assertEquals(false, details.getBoolean("cacheHit"), "the damaged entry is not used");
    assertEquals(true, details.getBoolean("cacheStored"));
    assertArrayEquals(
        Files.readAllBytes(first.resolve("marker.mind")),
        Files.readAllBytes(second.resolve("marker.mind")));
    assertArrayEquals(good, Files.readAllBytes(entry), "the entry is replaced by a sound one");
  }

  /**
   * Compiles a photo-only project into the work folder {@code name}, recording only this run's
   * events.
   */
  private Path photoOnly(Path photo, String name) throws Exception {
    photoOnlyResult(photo, name);
    return dir.resolve(name);
  }

  /** {@link #photoOnly}, answering what the run made. */
  private CompileResult photoOnlyResult(Path photo, String name) throws Exception {
    events.clear();
    Path work = Files.createDirectories(dir.resolve(name));
    return pipeline(videos())
        .run(spec(UUID.randomUUID(), photo, List.of()), work, events::add, StopSignal.NEVER);
  }

  private CompilePipeline pipeline(VideoProcessor videos) {
    return new CompilePipeline(
        new PhotoNormalizer(),
        null,
        new MaskGenerator(),
        videos,
        new MindCache(cacheDir()),
        ViewerPage.create(URI.create("https://cdn.example/npm")),
        "/objects/ar-storage",
        MarkerMode.REFERENCE);
  }

  private Path cacheDir() {
    return dir.resolve("cache");
  }

  private List<Path> cacheEntries() throws IOException {
    try (Stream<Path> entries = Files.list(cacheDir())) {
      return entries.toList();
    }
  }

  private Path cacheEntry() throws IOException {
    List<Path> entries = cacheEntries();
    assertEquals(1, entries.size(), entries.toString());
    return entries.get(0);
  }

  private JsonObject detailsOf(String step) {
    return events.stream()
        .filter(e -> step.equals(e.step().logName()) && "completed".equals(e.status()))
        .findFirst()
        .orElseThrow(() -> new AssertionError(step + " did not complete: " + events))
        .details();
  }

  private static VideoProcessor videos() {
    return new VideoProcessor("ffmpeg", "ffprobe", VideoProcessor.Limits.defaults());
  }

  private static ProjectSpec spec(UUID id, Path photo, List<Path> videos) {
    return new ProjectSpec(
        id,
        List.of(photo),
        videos,
        List.of(),
        "circle",
        "https://shop.example/ar/view/" + id,
        new JsonObject().put("fitMode", "cover").put("loop", true),
        null);
  }

  private Path photo(String name) throws IOException {
    Path out = dir.resolve(name);
    try (InputStream in = getClass().getResourceAsStream("/photos/" + name)) {
      Files.copy(in, out);
    }
    return out;
  }
}
