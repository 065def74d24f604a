package com.arservice.mind.quality;

import java.util.List;
import java.util.Locale;

/**
 * How well MindAR 1.2.5's runtime will find a printed photo, measured by running the runtime's
 * detection on simulated phone views of it.
 *
 * @param score 0..100: the share of the simulated views (in percent) in which the runtime found the
 *     print and placed its corners within 10 px. Below 40 the print will often fail on customers'
 *     phones; 60 and above it is found in most everyday conditions
 * @param stars 0..5, {@code score / 20} rounded
 * @param views how many views were simulated
 * @param detectionRate share of views found (0..1) by difficulty
 * @param breakdown what the score comes from
 * @param advice what to change, most important first
 * @param heatmap the photo dimmed, its feature points and the areas where views failed, as PNG;
 *     null when not asked for
 */
public record QualityReport(
    int score,
    int stars,
    int views,
    DetectionRate detectionRate,
    Breakdown breakdown,
    List<Advice> advice,
    byte[] heatmap) {

  /** Below this score a photo is likely to fail in use. */
  public static final int POOR = 40;

  /** From this score on a photo works in most conditions. */
  public static final int GOOD = 60;

  /**
   * Detection rates (0..1) over views of one kind: near (print at least half the frame width) or
   * far, straight (tilt below 20 degrees) or tilted, sharp or blurred.
   */
  public record DetectionRate(
      double all,
      double near,
      double far,
      double straight,
      double tilted,
      double sharp,
      double blurred) {}

  /**
   * One matching keyframe's feature points.
   *
   * @param scale keyframe size over photo size
   * @param width keyframe width
   * @param height keyframe height
   * @param points feature points (maxima and minima)
   */
  public record Keyframe(double scale, int width, int height, int points) {}

  /**
   * What the score comes from.
   *
   * @param keyframes feature points per matching keyframe, largest first
   * @param coverage share of the photo's 10x10 grid cells holding a feature point (0..1)
   * @param distinctiveness share of feature points with no look-alike elsewhere in the photo (0..1;
   *     low = repeated patterns)
   * @param patchContrast median standard deviation of grey levels in the 15x15 patch around each
   *     full-size feature point
   * @param brightness mean grey level of the photo (0..255)
   * @param contrast standard deviation of the photo's grey levels
   * @param trackingPoints tracking template points over both tracking keyframes
   */
  public record Breakdown(
      List<Keyframe> keyframes,
      double coverage,
      double distinctiveness,
      double patchContrast,
      double brightness,
      double contrast,
      int trackingPoints) {}

  /**
   * One piece of advice.
   *
   * @param code stable identifier, e.g. {@code few-features-top}
   * @param en the sentence in English
   * @param ru the sentence in Russian
   */
  public record Advice(String code, String en, String ru) {}

  /**
   * The report as one JSON object: {@code score, stars, views, detectionRate, breakdown, advice}
   * (the heat-map is not included).
   */
  public String toJson() {
    StringBuilder b = new StringBuilder();
    b.append("{\"score\":").append(score).append(",\"stars\":").append(stars);
    b.append(",\"views\":").append(views);
    DetectionRate r = detectionRate;
    b.append(",\"detectionRate\":{\"all\":").append(num(r.all()));
    b.append(",\"near\":").append(num(r.near())).append(",\"far\":").append(num(r.far()));
    b.append(",\"straight\":").append(num(r.straight()));
    b.append(",\"tilted\":").append(num(r.tilted()));
    b.append(",\"sharp\":").append(num(r.sharp()));
    b.append(",\"blurred\":").append(num(r.blurred())).append('}');
    Breakdown d = breakdown;
    b.append(",\"breakdown\":{\"keyframes\":[");
    for (int i = 0; i < d.keyframes().size(); i++) {
      Keyframe k = d.keyframes().get(i);
      b.append(i > 0 ? "," : "").append("{\"scale\":").append(num(k.scale()));
      b.append(",\"width\":").append(k.width()).append(",\"height\":").append(k.height());
      b.append(",\"points\":").append(k.points()).append('}');
    }
    b.append("],\"coverage\":").append(num(d.coverage()));
    b.append(",\"distinctiveness\":").append(num(d.distinctiveness()));
    b.append(",\"patchContrast\":").append(num(d.patchContrast()));
    b.append(",\"brightness\":").append(num(d.brightness()));
    b.append(",\"contrast\":").append(num(d.contrast()));
    b.append(",\"trackingPoints\":").append(d.trackingPoints()).append('}');
    b.append(",\"advice\":[");
    for (int i = 0; i < advice.size(); i++) {
      Advice a = advice.get(i);
      b.append(i > 0 ? "," : "").append("{\"code\":").append(str(a.code()));
      b.append(",\"en\":").append(str(a.en())).append(",\"ru\":").append(str(a.ru())).append('}');
    }
    return b.append("]}").toString();
  }

  private static String num(double v) {
    return String.format(Locale.ROOT, "%.3f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
  }

  /** A JSON string literal (the texts are ours: quotes and backslashes are all that can occur). */
  private static String str(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
