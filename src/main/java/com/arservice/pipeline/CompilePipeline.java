package com.arservice.pipeline;

import com.arservice.imageio.ImageInputException;
import com.arservice.media.BorderEnhancer;
import com.arservice.media.MaskGenerator;
import com.arservice.media.MaskShape;
import com.arservice.media.MediaException;
import com.arservice.media.PhotoNormalizer;
import com.arservice.media.QrCodeWriter;
import com.arservice.media.StopSignal;
import com.arservice.media.VideoProcessor;
import com.arservice.mind.MindCompiler;
import com.arservice.mind.MindFile;
import com.arservice.mind.MindTarget;
import com.arservice.mind.detect.GreyImage;
import com.arservice.mind.io.ImageLoader;
import com.arservice.project.ProjectSpec;
import com.arservice.project.StepEvent;
import com.arservice.viewer.ViewerPage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The compile job of one project, step by step, writing every artifact into a work folder: photo
 * normalisation, optional border, masks, videos, the {@code .mind} targets, the viewer page and the
 * QR code. Blocking and CPU-heavy: run it on a worker thread. Each step is reported to the
 * listener as started, then completed (with details and progress) or failed.
 *
 * <p>Failures become {@link PipelineException}s with a sentence for the shop owner: bad input and a
 * customer file that exhausts the memory are permanent, a full disk ({@link MediaException#DISK_FULL})
 * and other I/O problems are transient. The stop signal is asked before every step and while ffmpeg
 * runs, so an attempt past its expiry ends with its tools killed.
 */
public final class CompilePipeline {
  /** The step names, in order, as they appear in the compilation log. */
  public static final List<String> STEPS =
      List.of("validate", "photo", "border", "masks", "video", "marker", "viewer", "qr");
  /** Why an attempt stopped at its expiry; it is retried. */
  public static final String TOO_SLOW = "The compilation did not finish in time";
  /** Why a project whose files exhaust the memory failed; a retry would exhaust it again. */
  public static final String TOO_BIG = "The project's files are too large to process with the memory this server"
      + " has; please upload a smaller photo, mask or video";

  private final PhotoNormalizer photos;
  private final BorderEnhancer border;
  private final MaskGenerator masks;
  private final VideoProcessor videos;
  private final MindCache cache;
  private final ViewerPage viewer;
  private final String storageUrlBase;

  /**
   * @param border         null when the border enhancer is off
   * @param storageUrlBase public path of the storage folder, e.g. {@code /objects/ar-storage}
   */
  public CompilePipeline(PhotoNormalizer photos, BorderEnhancer border, MaskGenerator masks, VideoProcessor videos,
                         MindCache cache, ViewerPage viewer, String storageUrlBase) {
    this.photos = photos;
    this.border = border;
    this.masks = masks;
    this.videos = videos;
    this.cache = cache;
    this.viewer = viewer;
    this.storageUrlBase = storageUrlBase;
  }

  /**
   * Runs every step into {@code work}; returns what {@code GET /status} shows of a ready project.
   *
   * @param stop asked before each step and while ffmpeg runs; true ends the attempt as {@link #TOO_SLOW}
   */
  public JsonObject run(ProjectSpec spec, Path work, StepListener listener, StopSignal stop) throws PipelineException {
    long start = System.nanoTime();
    Run run = new Run(spec, work, listener, stop);
    int n = spec.photos().size();
    run.step("validate", 5, details -> {
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
      details.put("photos", n).put("videos", spec.videos().size()).put("masks", spec.masks().size());
    });
    List<PhotoNormalizer.Result> normalized = new ArrayList<>();
    run.step("photo", 15, details -> {
      JsonArray sizes = new JsonArray();
      for (int i = 0; i < n; i++) {
        PhotoNormalizer.Result r = photos.normalize(spec.photos().get(i), work.resolve(photoFile(i)));
        normalized.add(r);
        sizes.add(new JsonObject().put("width", r.width()).put("height", r.height()).put("sha256", r.sha256()));
      }
      details.put("photos", sizes);
    });
    List<Path> compiled = new ArrayList<>();
    List<int[]> printed = new ArrayList<>();
    run.step("border", 20, details -> {
      details.put("enabled", border != null);
      for (int i = 0; i < n; i++) {
        Path photo = work.resolve(photoFile(i));
        if (border == null) {
          compiled.add(photo);
          printed.add(new int[] {normalized.get(i).width(), normalized.get(i).height()});
        } else {
          Path target = work.resolve("target-" + i + ".jpg");
          BorderEnhancer.Frame f = border.enhance(photo, spec.id().toString(), photo, target);
          compiled.add(target);
          printed.add(new int[] {f.printedWidth(), f.printedHeight()});
          details.put("margin", f.margin());
        }
      }
    });
    List<String> maskFiles = new ArrayList<>();
    run.step("masks", 25, details -> {
      for (int i = 0; i < n; i++) {
        PhotoNormalizer.Result r = normalized.get(i);
        Path out = work.resolve("mask-" + i + ".png");
        if (!spec.masks().isEmpty()) {
          masks.writeCustom(spec.masks().get(i), r.width(), r.height(), out);
        } else if (spec.shapeType() != null && !"custom".equals(spec.shapeType())) {
          masks.writeShape(MaskShape.parse(spec.shapeType()), r.width(), r.height(), out);
        } else {
          continue;
        }
        maskFiles.add(out.getFileName().toString());
      }
      details.put("masks", maskFiles.size()).put("shapeType", spec.shapeType());
    });
    List<VideoProcessor.Result> transcoded = new ArrayList<>();
    run.step("video", 60, details -> {
      JsonArray out = new JsonArray();
      for (int i = 0; i < spec.videos().size(); i++) {
        PhotoNormalizer.Result r = normalized.get(i);
        VideoProcessor.Result v = videos.transcode(spec.videos().get(i), r.width(), r.height(),
            work.resolve("video-" + i + ".mp4"), stop);
        transcoded.add(v);
        out.add(new JsonObject().put("width", v.output().width()).put("height", v.output().height())
            .put("durationMs", v.output().durationMillis()).put("cropped", v.cropped())
            .put("audio", v.output().hasAudio()));
      }
      details.put("videos", out);
    });
    List<MindTarget> mind = new ArrayList<>();
    run.step("marker", 85, details -> {
      List<GreyImage> greys = new ArrayList<>();
      ImageLoader loader = new ImageLoader();
      for (Path p : compiled) {
        greys.add(loader.load(p));
      }
      String key = MindCache.key(greys);
      long t0 = System.nanoTime();
      byte[] bytes = cache.get(key).orElse(null);
      boolean hit = bytes != null;
      if (hit) {
        mind.addAll(MindFile.read(bytes));
      } else {
        for (GreyImage g : greys) {
          mind.add(MindCompiler.compileTarget(g));
        }
        bytes = MindFile.write(mind);
        details.put("cacheStored", cache.put(key, bytes));
      }
      Files.write(work.resolve("marker.mind"), bytes);
      details.put("cacheHit", hit).put("compileMs", (System.nanoTime() - t0) / 1_000_000).put("bytes", bytes.length)
          .put("keyframes", new JsonArray(mind.stream().map(t -> t.matchingData().size()).toList()))
          .put("points", new JsonArray(mind.stream().map(MindTarget::matchingPointCount).toList()));
    });
    String base = storageUrlBase + "/" + spec.id() + "/";
    JsonArray targets = new JsonArray();
    for (int i = 0; i < n; i++) {
      PhotoNormalizer.Result r = normalized.get(i);
      MindTarget t = mind.get(i);
      JsonObject artifacts = new JsonObject().put("photo", base + photoFile(i));
      JsonObject target = new JsonObject().put("photoWidth", r.width()).put("photoHeight", r.height())
          .put("printedWidth", printed.get(i)[0]).put("printedHeight", printed.get(i)[1])
          .put("targetWidth", t.width()).put("targetHeight", t.height())
          .put("keyframes", t.matchingData().size()).put("points", t.matchingPointCount())
          .put("artifacts", artifacts);
      if (i < transcoded.size()) {
        VideoProcessor.Result v = transcoded.get(i);
        artifacts.put("video", base + "video-" + i + ".mp4");
        target.put("videoWidth", v.output().width()).put("videoHeight", v.output().height())
            .put("videoDurationMs", (int) v.output().durationMillis());
      }
      if (maskFiles.contains("mask-" + i + ".png")) {
        artifacts.put("mask", base + "mask-" + i + ".png");
      }
      targets.add(target);
    }
    run.step("viewer", 90, details -> {
      viewer.write(work, spec, base, targets);
      details.put("file", "index.html");
    });
    run.step("qr", 95, details -> {
      QrCodeWriter.write(spec.viewUrl(), work.resolve("qr-code.png"));
      details.put("url", spec.viewUrl());
    });
    JsonObject first = targets.getJsonObject(0);
    JsonObject result = new JsonObject()
        .put("compilationTimeMs", (int) ((System.nanoTime() - start) / 1_000_000))
        .put("markerMindUrl", base + "marker.mind")
        .put("viewerHtmlUrl", base + "index.html")
        .put("qrCodeUrl", base + "qr-code.png")
        .put("photoWidth", first.getInteger("photoWidth"))
        .put("photoHeight", first.getInteger("photoHeight"))
        .put("photoAspectRatio", first.getInteger("photoWidth") / (double) first.getInteger("photoHeight"))
        .put("targets", targets);
    if (first.containsKey("videoWidth")) {
      result.put("videoWidth", first.getInteger("videoWidth")).put("videoHeight", first.getInteger("videoHeight"))
          .put("videoDurationMs", first.getInteger("videoDurationMs"))
          .put("videoAspectRatio", first.getInteger("videoWidth") / (double) first.getInteger("videoHeight"));
    }
    return result;
  }

  private static String photoFile(int i) {
    return "photo-" + i + ".jpg";
  }

  private static void requireFile(Path p, String what) throws MediaException {
    if (!Files.isRegularFile(p)) {
      throw MediaException.badInput("The " + what + " file " + p.getFileName() + " no longer exists");
    }
  }

  /** One step's body; it may add details for the log. */
  private interface Step {
    void run(JsonObject details) throws MediaException, ImageInputException, IOException;
  }

  /** Reports steps of one run and turns their failures into {@link PipelineException}s. */
  private record Run(ProjectSpec spec, Path work, StepListener listener, StopSignal stop) {
    void step(String name, int progress, Step body) throws PipelineException {
      if (stop.stopRequested()) {
        throw new PipelineException(TOO_SLOW, true, null);
      }
      listener.onStep(new StepEvent(name, "started", null, null, null, null));
      long t0 = System.nanoTime();
      JsonObject details = new JsonObject();
      try {
        body.run(details);
      } catch (OutOfMemoryError e) {
        // the step's buffers are garbage once it has unwound; the same files would exhaust memory again
        throw failed(name, t0, TOO_BIG, false, e);
      } catch (MediaException | ImageInputException | IOException | RuntimeException e) {
        throw failed(name, t0, e);
      }
      listener.onStep(new StepEvent(name, "completed", ms(t0), details, null, progress));
    }

    private PipelineException failed(String name, long t0, Exception e) {
      if (MediaException.isDiskFull(e)) {
        return failed(name, t0, MediaException.DISK_FULL, true, e);
      }
      if (e instanceof MediaException m) {
        return failed(name, t0, m.reason(), m.isTransient(), e);
      }
      if (e instanceof ImageInputException) {
        return failed(name, t0, e.getMessage(), false, e);
      }
      if (e instanceof IOException) {
        return failed(name, t0, "The files of the project could not be written; it will be tried again", true, e);
      }
      return failed(name, t0, "An unexpected error stopped the " + name + " step", true, e);
    }

    private PipelineException failed(String name, long t0, String reason, boolean transientFailure, Throwable e) {
      listener.onStep(new StepEvent(name, "failed", ms(t0), null, reason, null));
      return new PipelineException(reason, transientFailure, e);
    }

    private static int ms(long t0) {
      return (int) ((System.nanoTime() - t0) / 1_000_000);
    }
  }
}
