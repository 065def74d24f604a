package com.arservice.project;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * What a finished compilation made, as {@code GET /status} shows it: the artifacts' public URLs and
 * each target's sizes. The first target's photo and video are the project's own (the old service
 * showed one photo). It belongs to the project, which stores it, not to the pipeline.
 *
 * @param markerMode how the marker was compiled: {@code reference} or {@code robust}
 * @param targets one per photo, at least one
 */
public record CompileResult(
    int compilationTimeMs,
    String markerMode,
    String markerMindUrl,
    String viewerHtmlUrl,
    String qrCodeUrl,
    List<Target> targets) {

  public CompileResult {
    targets = List.copyOf(targets);
  }

  /**
   * One target: the normalised photo, the image to print (the photo, or the photo in its border),
   * the compiled marker target, its public artifacts and, when it has one, its video.
   *
   * @param videoUrl null for a photo-only target, and so are the video's sizes
   * @param maskUrl null when the target has no mask
   * @param quality its quality report; null where none was made (adopted from the old service)
   * @param playback the video's poster and renditions; null without a video and for projects
   *     compiled before renditions (their viewer plays {@code videoUrl})
   */
  public record Target(
      int photoWidth,
      int photoHeight,
      int printedWidth,
      int printedHeight,
      int targetWidth,
      int targetHeight,
      int keyframes,
      int points,
      String photoUrl,
      String videoUrl,
      String maskUrl,
      Integer videoWidth,
      Integer videoHeight,
      Integer videoDurationMs,
      Quality quality,
      Playback playback) {

    /** The public URLs of its files, as stored with the item and shown in status. */
    public JsonObject artifacts() {
      JsonObject out = new JsonObject().put("photo", photoUrl);
      if (videoUrl != null) {
        out.put("video", videoUrl);
      }
      if (maskUrl != null) {
        out.put("mask", maskUrl);
      }
      if (playback != null) {
        JsonArray renditions = new JsonArray();
        playback
            .renditions()
            .forEach(
                r ->
                    renditions.add(
                        new JsonObject()
                            .put("url", r.url())
                            .put("width", r.width())
                            .put("height", r.height())
                            .put("kbps", r.kbps())));
        out.put("poster", playback.posterUrl()).put("renditions", renditions);
      }
      return out;
    }

    /** The target as the viewer page reads it. */
    public JsonObject toJson() {
      JsonObject out =
          new JsonObject()
              .put("photoWidth", photoWidth)
              .put("photoHeight", photoHeight)
              .put("printedWidth", printedWidth)
              .put("printedHeight", printedHeight)
              .put("targetWidth", targetWidth)
              .put("targetHeight", targetHeight)
              .put("keyframes", keyframes)
              .put("points", points)
              .put("artifacts", artifacts());
      if (videoUrl != null) {
        out.put("videoWidth", videoWidth)
            .put("videoHeight", videoHeight)
            .put("videoDurationMs", videoDurationMs);
      }
      return out;
    }

    /** Targets as the viewer page reads them. */
    public static JsonArray toJson(List<Target> targets) {
      JsonArray out = new JsonArray();
      targets.forEach(t -> out.add(t.toJson()));
      return out;
    }
  }

  /**
   * What phones get of a target's video: a poster shown the moment the print is found, and the
   * renditions the viewer picks from by the network's speed.
   *
   * @param posterUrl the first frame as a small JPEG
   * @param renditions sharpest first; the first is the target's {@code videoUrl}
   */
  public record Playback(String posterUrl, List<Rendition> renditions) {
    public Playback {
      renditions = List.copyOf(renditions);
    }
  }

  /**
   * One encoded size of a video.
   *
   * @param kbps its mean bit rate, video and sound, in kbit/s
   */
  public record Rendition(String url, int width, int height, int kbps) {}

  /**
   * What the compile job's quality step found of one target: its quality report as the API shows
   * it, the heat-map's public URL and, for a target that will often not be found, a warning.
   *
   * @param detectionRate the report's {@code detectionRate} object
   * @param breakdown the report's {@code breakdown} object
   * @param advice the report's {@code advice}: {@code {code, en, ru}} objects, most important first
   * @param warning a sentence for the shop owner when the score is poor, else null
   */
  public record Quality(
      int score,
      int stars,
      int views,
      JsonObject detectionRate,
      JsonObject breakdown,
      JsonArray advice,
      String heatmapUrl,
      String warning) {

    /** As stored with the item and shown in status as {@code targets[i].quality}. */
    public JsonObject toJson() {
      JsonObject out =
          new JsonObject()
              .put("score", score)
              .put("stars", stars)
              .put("views", views)
              .put("detectionRate", detectionRate)
              .put("breakdown", breakdown)
              .put("advice", advice)
              .put("heatmapUrl", heatmapUrl);
      return warning == null ? out : out.put("warning", warning);
    }
  }

  /**
   * The {@code quality} of {@code ar.compilation.complete}: the weakest target's {@code score},
   * {@code stars} and {@code advice} (for one photo, its own), every target's as {@code targets},
   * and, when a target scores poorly, {@code warning} (the poor targets' sentences); null when no
   * target has a report.
   */
  public JsonObject qualityEvent() {
    JsonArray each = new JsonArray();
    Quality weakest = null;
    List<String> warnings = new ArrayList<>();
    for (int i = 0; i < targets.size(); i++) {
      Quality q = targets.get(i).quality();
      if (q == null) {
        continue;
      }
      each.add(
          new JsonObject()
              .put("index", i)
              .put("score", q.score())
              .put("stars", q.stars())
              .put("advice", q.advice()));
      if (weakest == null || q.score() < weakest.score()) {
        weakest = q;
      }
      if (q.warning() != null) {
        warnings.add(q.warning());
      }
    }
    if (weakest == null) {
      return null;
    }
    JsonObject out =
        new JsonObject()
            .put("score", weakest.score())
            .put("stars", weakest.stars())
            .put("advice", weakest.advice())
            .put("targets", each);
    return warnings.isEmpty() ? out : out.put("warning", String.join(" ", warnings));
  }

  /** The project's photo: the first target's. */
  public Target first() {
    return targets.get(0);
  }

  public double photoAspectRatio() {
    return first().photoWidth() / (double) first().photoHeight();
  }

  /** Null for a photo-only project. */
  public Double videoAspectRatio() {
    return first().videoUrl() == null
        ? null
        : first().videoWidth() / (double) first().videoHeight();
  }
}
