package com.arservice.pipeline;

import com.arservice.imageio.ImageInputException;
import com.arservice.mind.MindTarget;
import com.arservice.mind.detect.GreyImage;
import com.arservice.mind.io.ImageLoader;
import com.arservice.mind.quality.QualityAnalyzer;
import com.arservice.mind.quality.QualityReport;
import com.arservice.project.CompileResult;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The compile job's {@code quality} step: the quality report of each target, made from the image
 * the marker step compiled and its compiled target (nothing is compiled twice), with its heat-map
 * written into the work folder as {@code quality-<i>.png}, so it is published with the other
 * artifacts. A poor score does not stop the job: it becomes a warning for the shop owner.
 */
final class QualityStep {

  private final QualityAnalyzer analyzer = new QualityAnalyzer();

  /**
   * Reports on each target (at least one) in turn (one photo's buffers at a time); the reports keep
   * no heat-map bytes.
   *
   * @param images the images compiled into the marker, in target order
   * @param targets their compiled targets
   */
  List<QualityReport> run(
      Path work, List<Path> images, List<MindTarget> targets, JsonObject details)
      throws ImageInputException, IOException {
    ImageLoader loader = new ImageLoader();
    List<QualityReport> out = new ArrayList<>();
    JsonArray each = new JsonArray();
    List<String> warnings = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      GreyImage grey = loader.load(images.get(i));
      QualityReport r = analyzer.analyze(grey, targets.get(i), true);
      Files.write(work.resolve(heatmapFile(i)), r.heatmap());
      out.add(
          new QualityReport(
              r.score(), r.stars(), r.views(), r.detectionRate(), r.breakdown(), r.advice(), null));
      each.add(
          new JsonObject()
              .put("score", r.score())
              .put("stars", r.stars())
              .put("heatmap", heatmapFile(i)));
      String warning = warning(i, images.size(), r.score());
      if (warning != null) {
        warnings.add(warning);
      }
    }
    details.put("views", out.get(0).views()).put("targets", each);
    if (!warnings.isEmpty()) {
      details.put("warning", String.join(" ", warnings));
    }
    return out;
  }

  /**
   * The sentence for the shop owner when target {@code index} of {@code count} scores below {@link
   * QualityReport#POOR}, else null.
   */
  static String warning(int index, int count, int score) {
    if (score >= QualityReport.POOR) {
      return null;
    }
    String which = count == 1 ? "The photo" : "Photo " + (index + 1) + " of " + count;
    return which
        + " scores "
        + score
        + " of 100 as an AR target: customers' phones will often fail to recognise the print;"
        + " see the quality advice.";
  }

  /** The report as the project stores and shows it. */
  static CompileResult.Quality result(QualityReport r, String heatmapUrl, String warning) {
    JsonObject json = new JsonObject(r.toJson());
    return new CompileResult.Quality(
        r.score(),
        r.stars(),
        r.views(),
        json.getJsonObject("detectionRate"),
        json.getJsonObject("breakdown"),
        json.getJsonArray("advice"),
        heatmapUrl,
        warning);
  }

  static String heatmapFile(int i) {
    return "quality-" + i + ".png";
  }
}
