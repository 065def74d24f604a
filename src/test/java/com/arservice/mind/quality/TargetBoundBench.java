package com.arservice.mind.quality;

import com.arservice.mind.ClusterNode;
import com.arservice.mind.MarkerMode;
import com.arservice.mind.MatchingKeyframe;
import com.arservice.mind.MindTarget;
import com.arservice.mind.detect.FeaturePoint;
import com.arservice.mind.detect.GreyImage;
import com.arservice.mind.runtime.CropDetector;
import com.arservice.mind.runtime.Homography;
import com.arservice.mind.runtime.RuntimeDetection;
import com.arservice.mind.runtime.RuntimeTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * How much better than MindAR's any {@code .mind} file could do for the unmodified runtime: on N
 * simulated views per photo (seed 99), each rendered twice with independent background, noise and
 * nothing else, the runtime port's finds (corners within 10 px) with the reference target, the
 * robust one, and a target made for that one view: a single keyframe of the points the runtime
 * detects on the print in the view's first rendering, at their true positions, scales and angles,
 * with their descriptors, matched against the second rendering crop by crop. A real file serves
 * every pose and cannot know this one; what even this target misses, camera noise decides.
 *
 * <pre>
 * java -cp CP com.arservice.mind.quality.TargetBoundBench [N]   # N views per photo, default 48
 * </pre>
 */
public final class TargetBoundBench {

  private static final int SIZE = ViewRenderer.WIDTH * ViewRenderer.HEIGHT;

  private TargetBoundBench() {}

  public static void main(String[] args) throws Exception {
    int n = args.length == 0 ? 48 : Integer.parseInt(args[0]);
    int[] total = new int[3];
    System.out.println("photo | reference | robust | made for the view | of");
    for (Map.Entry<String, GreyImage> e : RobustFramesBench.photos().entrySet()) {
      GreyImage photo = e.getValue();
      int w = photo.width();
      int h = photo.height();
      RuntimeTarget reference =
          new RuntimeTarget(RobustCompiler.compileTarget(photo, MarkerMode.REFERENCE));
      RuntimeTarget robust =
          new RuntimeTarget(RobustCompiler.compileTarget(photo, MarkerMode.ROBUST));
      ViewRenderer renderer = new ViewRenderer(photo.data(), w, h);
      RuntimeDetection detection = new RuntimeDetection(ViewRenderer.WIDTH, ViewRenderer.HEIGHT);
      CropDetector crops = detection.crops();
      float[] first = new float[SIZE];
      float[] second = new float[SIZE];
      int[] found = new int[3];
      int i = 0;
      for (View v : ViewPlan.views(n, 99)) {
        i++;
        double[] t = renderer.homography(v);
        renderer.render(v, t, new Random(1000 + i), first);
        renderer.render(v, t, new Random(5000 + i), second);
        found[0] += hit(detection.detectStill(second, reference), t, w, h);
        found[1] += hit(detection.detectStill(second, robust), t, w, h);
        int bound = 0;
        for (int p = 0; p < CropDetector.POSITIONS && bound == 0; p++) {
          RuntimeTarget made = madeFor(crops.detect(first, p), t, w, h);
          RuntimeDetection.Result r = detection.detect(second, p, made);
          bound = r.found() ? hit(new RuntimeDetection.Still(r, 0), t, w, h) : 0;
        }
        found[2] += bound;
      }
      for (int k = 0; k < 3; k++) {
        total[k] += found[k];
      }
      System.out.printf("%s | %d | %d | %d | %d%n", e.getKey(), found[0], found[1], found[2], n);
    }
    System.out.printf("all | %d | %d | %d |%n", total[0], total[1], total[2]);
  }

  private static int hit(RuntimeDetection.Still s, double[] truth, int w, int h) {
    double[] c = s.result().corners(w, h);
    if (s.step() < 0 || c == null) {
      return 0;
    }
    return Geometry.meanCornerDistance(c, Homography.corners(truth, w, h))
            <= QualityAnalyzer.MAX_CORNER_ERROR
        ? 1
        : 0;
  }

  /**
   * One keyframe (scale 1) of the frame points that lie on the print, placed where they truly are.
   */
  private static RuntimeTarget madeFor(List<FeaturePoint> points, double[] truth, int w, int h) {
    double[] inverse = Geometry.invert(truth);
    List<FeaturePoint> maxima = new ArrayList<>();
    List<FeaturePoint> minima = new ArrayList<>();
    for (FeaturePoint q : points) {
      double px = Homography.mapX(inverse, q.x() + 0.5, q.y() + 0.5);
      double py = Homography.mapY(inverse, q.x() + 0.5, q.y() + 0.5);
      if (px < 0 || py < 0 || px >= w || py >= h) {
        continue;
      }
      // the view's local scale and rotation at the point, so the Hough vote agrees
      double jx = Homography.mapX(truth, px + 0.5, py) - Homography.mapX(truth, px - 0.5, py);
      double jy = Homography.mapY(truth, px + 0.5, py) - Homography.mapY(truth, px - 0.5, py);
      double kx = Homography.mapX(truth, px, py + 0.5) - Homography.mapX(truth, px, py - 0.5);
      double ky = Homography.mapY(truth, px, py + 0.5) - Homography.mapY(truth, px, py - 0.5);
      double scale = Math.sqrt(Math.abs(jx * ky - jy * kx));
      double angle = Math.IEEEremainder(q.angle() - Math.atan2(jy, jx), 2 * Math.PI);
      (q.maxima() ? maxima : minima)
          .add(
              new FeaturePoint(
                  q.maxima(), px - 0.5, py - 0.5, q.scale() / scale, angle, q.descriptors()));
    }
    MatchingKeyframe k =
        new MatchingKeyframe(w, h, 1, maxima, minima, leaf(maxima.size()), leaf(minima.size()));
    return new RuntimeTarget(new MindTarget(w, h, List.of(), List.of(k)));
  }

  /** A tree that is one leaf: every point is a candidate, as a search over all of them. */
  private static ClusterNode leaf(int n) {
    int[] all = new int[n];
    for (int i = 0; i < n; i++) {
      all[i] = i;
    }
    return new ClusterNode(-1, true, all, List.of());
  }
}
