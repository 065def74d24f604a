package com.arservice.mind;

import com.arservice.mind.detect.Detector;
import com.arservice.mind.detect.FeaturePoint;
import com.arservice.mind.detect.GreyImage;
import com.arservice.mind.detect.ImageList;
import java.util.ArrayList;
import java.util.List;

/**
 * Compiles photos into a MindAR 1.2.5 {@code .mind} file, as MindAR's own compiler does: for each
 * target, matching keyframes at every scale of {@link ImageList#matchingScales} (feature points
 * split into maxima and minima, each set clustered) and tracking keyframes at the two {@link
 * ImageList#trackingScales}. Targets keep the input order; output is deterministic.
 *
 * <p>Stateless: every call works on its own buffers, so any number of threads may compile at once.
 */
public final class MindCompiler {

  /**
   * What this compiler produces: the MindAR release it reproduces and our revision of it. Caches of
   * compiled files are keyed by it, so change it with any change to the output.
   */
  public static final String VERSION = "mind-ar-1.2.5/ar-service-1";

  /**
   * Summary of one compiled target.
   *
   * @param width photo width in pixels
   * @param height photo height in pixels
   * @param keyframes number of matching keyframes
   * @param points matching feature points over all keyframes
   * @param trackingPoints tracking template points over both tracking keyframes
   */
  public record TargetStats(int width, int height, int keyframes, int points, int trackingPoints) {}

  /**
   * A compiled file and what it holds.
   *
   * @param mind the {@code .mind} bytes
   * @param targets one summary per input image, in input order
   */
  public record Result(byte[] mind, List<TargetStats> targets) {}

  private MindCompiler() {}

  /** Compiles the images, one target each, into {@code .mind} bytes. */
  public static Result compile(List<GreyImage> images) {
    List<MindTarget> targets = new ArrayList<>(images.size());
    for (GreyImage image : images) {
      targets.add(compileTarget(image));
    }
    return new Result(MindFile.write(targets), stats(targets));
  }

  /** One summary per target, in order. */
  public static List<TargetStats> stats(List<MindTarget> targets) {
    List<TargetStats> stats = new ArrayList<>(targets.size());
    for (MindTarget t : targets) {
      int tracking = 0;
      for (TrackingImage ti : t.trackingData()) {
        tracking += ti.points().size();
      }
      stats.add(
          new TargetStats(
              t.width(), t.height(), t.matchingData().size(), t.matchingPointCount(), tracking));
    }
    return List.copyOf(stats);
  }

  /** Compiles one image into the target model (what {@link MindFile#write} encodes). */
  public static MindTarget compileTarget(GreyImage image) {
    int w = image.width();
    int h = image.height();
    List<MatchingKeyframe> matching = matchingKeyframes(image);
    List<TrackingImage> tracking = new ArrayList<>();
    for (double scale : ImageList.trackingScales(w, h)) {
      GreyImage t = ImageList.resize(image.data(), w, h, scale);
      tracking.add(TrackingExtractor.extract(t, scale));
    }
    return new MindTarget(w, h, List.copyOf(tracking), List.copyOf(matching));
  }

  /** MindAR's matching keyframes of one image, largest (scale 1) first. */
  public static List<MatchingKeyframe> matchingKeyframes(GreyImage image) {
    int w = image.width();
    int h = image.height();
    List<MatchingKeyframe> matching = new ArrayList<>();
    for (double scale : ImageList.matchingScales(w, h)) {
      GreyImage k = ImageList.resize(image.data(), w, h, scale);
      List<FeaturePoint> points = new Detector(k.width(), k.height()).detect(k.data());
      List<FeaturePoint> maxima = new ArrayList<>();
      List<FeaturePoint> minima = new ArrayList<>();
      for (FeaturePoint p : points) {
        (p.maxima() ? maxima : minima).add(p);
      }
      matching.add(
          new MatchingKeyframe(
              k.width(),
              k.height(),
              scale,
              maxima,
              minima,
              HierarchicalClustering.build(maxima),
              HierarchicalClustering.build(minima)));
    }
    return matching;
  }
}
