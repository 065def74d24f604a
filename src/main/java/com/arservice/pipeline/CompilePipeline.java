package com.arservice.pipeline;

import static com.arservice.common.CompileStep.BORDER;
import static com.arservice.common.CompileStep.MARKER;
import static com.arservice.common.CompileStep.MASKS;
import static com.arservice.common.CompileStep.PHOTO;
import static com.arservice.common.CompileStep.QR;
import static com.arservice.common.CompileStep.QUALITY;
import static com.arservice.common.CompileStep.VALIDATE;
import static com.arservice.common.CompileStep.VIDEO;
import static com.arservice.common.CompileStep.VIEWER;

import com.arservice.files.Brotli;
import com.arservice.files.Gzip;
import com.arservice.imageio.ImageInputException;
import com.arservice.media.BorderEnhancer;
import com.arservice.media.MaskGenerator;
import com.arservice.media.MaskShape;
import com.arservice.media.MediaException;
import com.arservice.media.PhotoNormalizer;
import com.arservice.media.QrCodeWriter;
import com.arservice.media.StopSignal;
import com.arservice.media.VideoProcessor;
import com.arservice.mind.MarkerMode;
import com.arservice.mind.MindFile;
import com.arservice.mind.MindTarget;
import com.arservice.mind.detect.GreyImage;
import com.arservice.mind.io.ImageLoader;
import com.arservice.mind.quality.QualityReport;
import com.arservice.mind.quality.RobustCompiler;
import com.arservice.project.CompileResult;
import com.arservice.project.ProjectSpec;
import com.arservice.viewer.ViewerPage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The compile job of one project, step by step ({@link com.arservice.common.CompileStep}), writing
 * every artifact into a work folder: photo normalisation, optional border, masks, videos, the
 * {@code .mind} targets, each target's quality report and heat-map, the viewer page and the QR
 * code. Blocking and CPU-heavy: run it on a worker thread. Each step is reported to the listener as
 * started, then completed (with details and progress) or failed; each gets what it needs from the
 * steps before as their results.
 *
 * <p>Failures become {@link PipelineException}s with a sentence for the shop owner: bad input and a
 * customer file that exhausts the memory are permanent, a full disk ({@link
 * MediaException#DISK_FULL}) and other I/O problems are transient. The stop signal is asked before
 * every step and while ffmpeg runs, so an attempt past its expiry ends with its tools killed.
 */
public final class CompilePipeline {
  /** Why an attempt stopped at its expiry; it is retried. */
  public static final String TOO_SLOW = "The compilation did not finish in time";

  /** Why a project whose files exhaust the memory failed; a retry would exhaust it again. */
  public static final String TOO_BIG =
      "The project's files are too large to process with the memory this server"
          + " has; please upload a smaller photo, mask or video";

  static final String MARKER_FILE = "marker.mind";
  static final String VIEWER_FILE = "index.html";
  static final String QR_FILE = "qr-code.png";

  private final PhotoNormalizer photos;
  private final BorderEnhancer border;
  private final MaskGenerator masks;
  private final VideoProcessor videos;
  private final MindCache cache;
  private final ViewerPage viewer;
  private final String storageUrlBase;
  private final QualityStep quality = new QualityStep();
  private final MarkerMode defaultMode;

  /** The image compiled into the marker, and the size of the image to print. */
  private record MarkerImage(Path file, int printedWidth, int printedHeight) {}

  /**
   * @param border null when the border enhancer is off
   * @param storageUrlBase public path of the storage folder, e.g. {@code /objects/ar-storage}
   * @param defaultMode how markers are compiled when the project's spec does not say
   */
  public CompilePipeline(
      PhotoNormalizer photos,
      BorderEnhancer border,
      MaskGenerator masks,
      VideoProcessor videos,
      MindCache cache,
      ViewerPage viewer,
      String storageUrlBase,
      MarkerMode defaultMode) {
    this.photos = photos;
    this.border = border;
    this.masks = masks;
    this.videos = videos;
    this.cache = cache;
    this.viewer = viewer;
    this.storageUrlBase = storageUrlBase;
    this.defaultMode = defaultMode;
  }

  /**
   * Runs every step into {@code work}; returns what {@code GET /status} shows of a ready project.
   *
   * @param stop asked before each step and while ffmpeg runs; true ends the attempt as {@link
   *     #TOO_SLOW}
   */
  public CompileResult run(ProjectSpec spec, Path work, StepListener listener, StopSignal stop)
      throws PipelineException {
    long start = System.nanoTime();
    StepRunner steps = new StepRunner(listener, stop);
    steps.run(VALIDATE, details -> validate(spec, details));
    List<PhotoNormalizer.Result> normalized =
        steps.call(PHOTO, details -> normalize(spec, work, details));
    List<MarkerImage> images =
        steps.call(BORDER, details -> frame(spec, work, normalized, details));
    List<Boolean> masked =
        steps.call(MASKS, details -> writeMasks(spec, work, normalized, details));
    List<VideoProcessor.Result> clips =
        steps.call(VIDEO, details -> transcode(spec, work, normalized, stop, details));
    MarkerMode mode = spec.markerMode() == null ? defaultMode : MarkerMode.parse(spec.markerMode());
    List<MindTarget> marker =
        steps.call(MARKER, details -> compileMarker(work, images, mode, details));
    List<QualityReport> reports =
        steps.call(
            QUALITY,
            details ->
                quality.run(
                    work, images.stream().map(MarkerImage::file).toList(), marker, details));
    List<ReadyStatus.Target> made = new ArrayList<>();
    for (int i = 0; i < normalized.size(); i++) {
      made.add(
          new ReadyStatus.Target(
              normalized.get(i),
              images.get(i).printedWidth(),
              images.get(i).printedHeight(),
              masked.get(i),
              i < clips.size() ? clips.get(i) : null,
              marker.get(i),
              reports.get(i)));
    }
    String base = storageUrlBase + "/" + spec.id() + "/";
    List<CompileResult.Target> targets = ReadyStatus.targets(base, made);
    steps.run(
        VIEWER,
        details -> {
          viewer.write(work, spec, base, targets);
          details.put("file", VIEWER_FILE);
        });
    steps.run(
        QR,
        details -> {
          QrCodeWriter.write(spec.viewUrl(), work.resolve(QR_FILE));
          details.put("url", spec.viewUrl());
        });
    return ReadyStatus.of((int) ((System.nanoTime() - start) / 1_000_000), mode, base, targets);
  }

  /** The uploads still exist and the videos are ones ffprobe can read within the limits. */
  private void validate(ProjectSpec spec, JsonObject details) throws MediaException {
    for (Path p : spec.photos()) {
      requireFile(p, "photo");
    }
    for (Path v : spec.videos()) {
      requireFile(v, "video");
      videos.probe(v);
    }
    for (Path m : spec.masks()) {
      requireFile(m, "mask");
    }
    details
        .put("photos", spec.photos().size())
        .put("videos", spec.videos().size())
        .put("masks", spec.masks().size());
  }

  private List<PhotoNormalizer.Result> normalize(ProjectSpec spec, Path work, JsonObject details)
      throws MediaException, ImageInputException, IOException {
    List<PhotoNormalizer.Result> out = new ArrayList<>();
    JsonArray sizes = new JsonArray();
    for (int i = 0; i < spec.photos().size(); i++) {
      PhotoNormalizer.Result r = photos.normalize(spec.photos().get(i), work.resolve(photoFile(i)));
      out.add(r);
      sizes.add(
          new JsonObject()
              .put("width", r.width())
              .put("height", r.height())
              .put("sha256", r.sha256()));
    }
    details.put("photos", sizes);
    return out;
  }

  /**
   * The photos, or with the border enhancer each photo in its frame, as compiled into the marker.
   */
  private List<MarkerImage> frame(
      ProjectSpec spec, Path work, List<PhotoNormalizer.Result> normalized, JsonObject details)
      throws MediaException, IOException {
    details.put("enabled", border != null);
    List<MarkerImage> out = new ArrayList<>();
    for (int i = 0; i < normalized.size(); i++) {
      Path photo = work.resolve(photoFile(i));
      if (border == null) {
        out.add(new MarkerImage(photo, normalized.get(i).width(), normalized.get(i).height()));
      } else {
        Path target = work.resolve("target-" + i + ".jpg");
        BorderEnhancer.Frame f = border.enhance(photo, spec.id().toString(), photo, target);
        out.add(new MarkerImage(target, f.printedWidth(), f.printedHeight()));
        details.put("margin", f.margin());
      }
    }
    return out;
  }

  /** Writes each target's mask, custom or of the project's shape; whether each target has one. */
  private List<Boolean> writeMasks(
      ProjectSpec spec, Path work, List<PhotoNormalizer.Result> normalized, JsonObject details)
      throws MediaException, ImageInputException, IOException {
    List<Boolean> out = new ArrayList<>();
    for (int i = 0; i < normalized.size(); i++) {
      PhotoNormalizer.Result r = normalized.get(i);
      Path file = work.resolve(maskFile(i));
      boolean written = true;
      if (!spec.masks().isEmpty()) {
        masks.writeCustom(spec.masks().get(i), r.width(), r.height(), file);
      } else if (spec.shapeType() != null && !"custom".equals(spec.shapeType())) {
        masks.writeShape(MaskShape.parse(spec.shapeType()), r.width(), r.height(), file);
      } else {
        written = false;
      }
      out.add(written);
    }
    details.put("masks", Collections.frequency(out, true)).put("shapeType", spec.shapeType());
    return out;
  }

  /** Each video cut and encoded for its photo; empty for a photo-only project. */
  private List<VideoProcessor.Result> transcode(
      ProjectSpec spec,
      Path work,
      List<PhotoNormalizer.Result> normalized,
      StopSignal stop,
      JsonObject details)
      throws MediaException {
    List<VideoProcessor.Result> out = new ArrayList<>();
    JsonArray sizes = new JsonArray();
    for (int i = 0; i < spec.videos().size(); i++) {
      PhotoNormalizer.Result r = normalized.get(i);
      VideoProcessor.Result v =
          videos.transcode(
              spec.videos().get(i), r.width(), r.height(), work.resolve(videoFile(i)), stop);
      out.add(v);
      sizes.add(
          new JsonObject()
              .put("width", v.output().width())
              .put("height", v.output().height())
              .put("durationMs", v.output().durationMillis())
              .put("cropped", v.cropped())
              .put("audio", v.output().hasAudio())
              .put(
                  "renditions",
                  new JsonArray(
                      v.renditions().stream()
                          .map(x -> x.info().width() + "x" + x.info().height() + "@" + x.kbps())
                          .toList())));
    }
    details.put("videos", sizes);
    return out;
  }

  /**
   * All targets in one {@code .mind} file, from the cache when these pixels were compiled before.
   */
  private List<MindTarget> compileMarker(
      Path work, List<MarkerImage> images, MarkerMode mode, JsonObject details)
      throws ImageInputException, IOException {
    List<GreyImage> greys = new ArrayList<>();
    ImageLoader loader = new ImageLoader();
    for (MarkerImage image : images) {
      greys.add(loader.load(image.file()));
    }
    String key = MindCache.key(greys, mode);
    long t0 = System.nanoTime();
    byte[] bytes = cache.get(key).orElse(null);
    boolean hit = bytes != null;
    List<MindTarget> targets = new ArrayList<>();
    if (hit) {
      targets.addAll(MindFile.read(bytes));
    } else {
      for (GreyImage g : greys) {
        targets.add(RobustCompiler.compileTarget(g, mode));
      }
      bytes = RobustCompiler.write(targets, mode);
      details.put("cacheStored", cache.put(key, bytes));
    }
    Files.write(work.resolve(MARKER_FILE), bytes);
    // phones on mobile data fetch the target compressed (see http/ArtifactEncoding, nginx's
    // gzip_static): brotli where it is smaller, else gzip
    long gzipped = Files.size(Gzip.writeBeside(work.resolve(MARKER_FILE)));
    Optional<Path> brotli = Brotli.writeBeside(work.resolve(MARKER_FILE), gzipped);
    details
        .put("mode", mode.id())
        .put("gzipBytes", gzipped)
        .put("brotliBytes", brotli.isPresent() ? Files.size(brotli.get()) : null)
        .put("cacheHit", hit)
        .put("compileMs", (System.nanoTime() - t0) / 1_000_000)
        .put("bytes", bytes.length)
        .put(
            "keyframes", new JsonArray(targets.stream().map(t -> t.matchingData().size()).toList()))
        .put(
            "points", new JsonArray(targets.stream().map(MindTarget::matchingPointCount).toList()));
    return targets;
  }

  static String photoFile(int i) {
    return "photo-" + i + ".jpg";
  }

  static String maskFile(int i) {
    return "mask-" + i + ".png";
  }

  static String videoFile(int i) {
    return "video-" + i + ".mp4";
  }

  private static void requireFile(Path p, String what) throws MediaException {
    if (!Files.isRegularFile(p)) {
      throw MediaException.badInput(
          "The " + what + " file " + p.getFileName() + " no longer exists");
    }
  }
}
