package com.arservice.pipeline;

import com.arservice.media.PhotoNormalizer;
import com.arservice.media.VideoProcessor;
import com.arservice.mind.MindTarget;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * What {@code GET /status} shows of a ready project: the artifacts' public URLs and each target's
 * sizes; the first target's photo and video are also shown at the top level, as the old service did.
 */
final class ReadyStatus {

  /**
   * What the steps made of one target.
   *
   * @param photo         the normalised photo
   * @param printedWidth  width of the image to print (the photo, or the photo in its border)
   * @param printedHeight height of the image to print
   * @param mask          whether a mask was written
   * @param video         the transcoded video, or {@code null} for a photo-only target
   * @param marker        the compiled marker target
   */
  record Target(PhotoNormalizer.Result photo, int printedWidth, int printedHeight, boolean mask,
                VideoProcessor.Result video, MindTarget marker) {
  }

  private ReadyStatus() {
  }

  /** The targets as the viewer page and the status show them; {@code base} is the project folder's URL. */
  static JsonArray targets(String base, List<Target> targets) {
    JsonArray out = new JsonArray();
    for (int i = 0; i < targets.size(); i++) {
      Target t = targets.get(i);
      JsonObject artifacts = new JsonObject().put("photo", base + CompilePipeline.photoFile(i));
      JsonObject target = new JsonObject().put("photoWidth", t.photo().width()).put("photoHeight", t.photo().height())
          .put("printedWidth", t.printedWidth()).put("printedHeight", t.printedHeight())
          .put("targetWidth", t.marker().width()).put("targetHeight", t.marker().height())
          .put("keyframes", t.marker().matchingData().size()).put("points", t.marker().matchingPointCount())
          .put("artifacts", artifacts);
      if (t.video() != null) {
        VideoProcessor.Result v = t.video();
        artifacts.put("video", base + CompilePipeline.videoFile(i));
        target.put("videoWidth", v.output().width()).put("videoHeight", v.output().height())
            .put("videoDurationMs", (int) v.output().durationMillis());
      }
      if (t.mask()) {
        artifacts.put("mask", base + CompilePipeline.maskFile(i));
      }
      out.add(target);
    }
    return out;
  }

  /** The whole result, for {@code targets} made by {@link #targets}, after {@code compileMs}. */
  static JsonObject of(int compileMs, String base, JsonArray targets) {
    JsonObject first = targets.getJsonObject(0);
    JsonObject result = new JsonObject()
        .put("compilationTimeMs", compileMs)
        .put("markerMindUrl", base + CompilePipeline.MARKER_FILE)
        .put("viewerHtmlUrl", base + CompilePipeline.VIEWER_FILE)
        .put("qrCodeUrl", base + CompilePipeline.QR_FILE)
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
}
