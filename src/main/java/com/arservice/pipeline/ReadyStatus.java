package com.arservice.pipeline;

import com.arservice.media.PhotoNormalizer;
import com.arservice.media.VideoProcessor;
import com.arservice.mind.MarkerMode;
import com.arservice.mind.MindTarget;
import com.arservice.mind.quality.QualityReport;
import com.arservice.project.CompileResult;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns what the steps made into the {@link CompileResult}: public URLs and each target's sizes.
 */
final class ReadyStatus {

  /**
   * What the steps made of one target.
   *
   * @param photo the normalised photo
   * @param printedWidth width of the image to print (the photo, or the photo in its border)
   * @param printedHeight height of the image to print
   * @param mask whether a mask was written
   * @param video the transcoded video, or {@code null} for a photo-only target
   * @param marker the compiled marker target
   * @param quality its quality report
   */
  record Target(
      PhotoNormalizer.Result photo,
      int printedWidth,
      int printedHeight,
      boolean mask,
      VideoProcessor.Result video,
      MindTarget marker,
      QualityReport quality) {}

  private ReadyStatus() {}

  /**
   * The targets as the viewer page and the status show them; {@code base} is the project folder's
   * URL.
   */
  static List<CompileResult.Target> targets(String base, List<Target> targets) {
    List<CompileResult.Target> out = new ArrayList<>();
    for (int i = 0; i < targets.size(); i++) {
      Target t = targets.get(i);
      VideoProcessor.Result v = t.video();
      out.add(
          new CompileResult.Target(
              t.photo().width(),
              t.photo().height(),
              t.printedWidth(),
              t.printedHeight(),
              t.marker().width(),
              t.marker().height(),
              t.marker().matchingData().size(),
              t.marker().matchingPointCount(),
              base + CompilePipeline.photoFile(i),
              v == null ? null : base + CompilePipeline.videoFile(i),
              t.mask() ? base + CompilePipeline.maskFile(i) : null,
              v == null ? null : v.output().width(),
              v == null ? null : v.output().height(),
              v == null ? null : (int) v.output().durationMillis(),
              QualityStep.result(
                  t.quality(),
                  base + QualityStep.heatmapFile(i),
                  QualityStep.warning(i, targets.size(), t.quality().score())),
              v == null ? null : playback(base, v)));
    }
    return out;
  }

  private static CompileResult.Playback playback(String base, VideoProcessor.Result v) {
    return new CompileResult.Playback(
        base + v.poster().getFileName(),
        v.renditions().stream()
            .map(
                r ->
                    new CompileResult.Rendition(
                        base + r.file().getFileName(),
                        r.info().width(),
                        r.info().height(),
                        r.kbps()))
            .toList());
  }

  /**
   * The whole result, for {@code targets} made by {@link #targets} in {@code mode}, after {@code
   * compileMs}.
   */
  static CompileResult of(
      int compileMs, MarkerMode mode, String base, List<CompileResult.Target> targets) {
    return new CompileResult(
        compileMs,
        mode.id(),
        base + CompilePipeline.MARKER_FILE,
        base + CompilePipeline.VIEWER_FILE,
        base + CompilePipeline.QR_FILE,
        targets);
  }
}
