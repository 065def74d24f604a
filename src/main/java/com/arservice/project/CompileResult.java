package com.arservice.project;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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
      Integer videoDurationMs) {

    /** The public URLs of its files, as stored with the item and shown in status. */
    public JsonObject artifacts() {
      JsonObject out = new JsonObject().put("photo", photoUrl);
      if (videoUrl != null) {
        out.put("video", videoUrl);
      }
      if (maskUrl != null) {
        out.put("mask", maskUrl);
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
