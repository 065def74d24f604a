package com.arservice.mind.quality;

import com.arservice.mind.MatchingKeyframe;
import com.arservice.mind.MindCompiler;
import com.arservice.mind.MindTarget;
import com.arservice.mind.TrackingImage;
import com.arservice.mind.detect.FeaturePoint;
import com.arservice.mind.detect.GreyImage;
import com.arservice.mind.runtime.CropDetector;
import com.arservice.mind.runtime.Homography;
import com.arservice.mind.runtime.RuntimeDetection;
import com.arservice.mind.runtime.RuntimeTarget;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Makes a {@link QualityReport}: compiles the photo (or takes its compiled target), renders
 * simulated phone views of the print ({@link ViewRenderer}, {@link ViewPlan}) and runs the port of
 * MindAR's runtime detection on each, as a still camera would over 9 video frames; a view counts as
 * found when the runtime finds the target and places its corners within 10 px of the truth. The
 * breakdown and advice come from the compiled target and the photo's pixels.
 *
 * <p>Deterministic: the same photo, view count and seed give the same report. Stateless; each call
 * uses its own buffers, so threads may share it.
 */
public final class QualityAnalyzer {

  /** Views a report simulates unless told otherwise. */
  public static final int DEFAULT_VIEWS = 48;

  /** The fewest views an analyzer accepts. */
  public static final int MIN_VIEWS = 8;

  /** The seed of the views unless told otherwise. */
  public static final long DEFAULT_SEED = 12;

  static final double MAX_CORNER_ERROR = 10;
  private static final int GRID = 10;
  private static final int REPEAT_BITS = 50;
  private static final double REPEAT_MIN_DISTANCE = 10;
  private static final int PATCH_RADIUS = 7;

  private final int viewCount;
  private final long seed;

  /** An analyzer with {@link #DEFAULT_VIEWS} views and {@link #DEFAULT_SEED}. */
  public QualityAnalyzer() {
    this(DEFAULT_VIEWS, DEFAULT_SEED);
  }

  /** An analyzer with its own view count and seed. */
  public QualityAnalyzer(int viewCount, long seed) {
    if (viewCount < MIN_VIEWS) {
      throw new IllegalArgumentException("at least " + MIN_VIEWS + " views, got " + viewCount);
    }
    this.viewCount = viewCount;
    this.seed = seed;
  }

  /** Compiles the photo and reports on it, with a heat-map when {@code heatmap} is true. */
  public QualityReport analyze(GreyImage photo, boolean heatmap) {
    return analyze(photo, MindCompiler.compileTarget(photo), heatmap);
  }

  /** Reports on a photo whose target is already compiled ({@code target} is {@code photo}'s). */
  public QualityReport analyze(GreyImage photo, MindTarget target, boolean heatmap) {
    int w = photo.width();
    int h = photo.height();
    RuntimeTarget runtimeTarget = new RuntimeTarget(target);
    ViewRenderer renderer = new ViewRenderer(photo.data(), w, h);
    RuntimeDetection detection = new RuntimeDetection(ViewRenderer.WIDTH, ViewRenderer.HEIGHT);
    float[] frame = new float[ViewRenderer.WIDTH * ViewRenderer.HEIGHT];
    Random random = new Random(seed);
    List<View> views = ViewPlan.views(viewCount, seed);
    int[] seen = new int[GRID * GRID];
    int[] failed = new int[GRID * GRID];
    int[][] counts =
        new int[7][2]; // all, near, far, straight, tilted, sharp, blurred: found, total
    for (View v : views) {
      double[] truth = renderer.homography(v);
      renderer.render(v, truth, random, frame);
      boolean found = found(detection, frame, runtimeTarget, Homography.corners(truth, w, h), w, h);
      tally(counts, 0, found);
      tally(counts, v.near() ? 1 : 2, found);
      tally(counts, v.tilted() ? 4 : 3, found);
      tally(counts, v.blurred() ? 6 : 5, found);
      for (int cy = 0; cy < GRID; cy++) {
        for (int cx = 0; cx < GRID; cx++) {
          double px = (cx + 0.5) * w / GRID;
          double py = (cy + 0.5) * h / GRID;
          double fx = Homography.mapX(truth, px, py);
          double fy = Homography.mapY(truth, px, py);
          if (fx >= 0 && fy >= 0 && fx < ViewRenderer.WIDTH && fy < ViewRenderer.HEIGHT) {
            seen[cy * GRID + cx]++;
            failed[cy * GRID + cx] += found ? 0 : 1;
          }
        }
      }
    }
    QualityReport.DetectionRate rate =
        new QualityReport.DetectionRate(
            rate(counts[0]),
            rate(counts[1]),
            rate(counts[2]),
            rate(counts[3]),
            rate(counts[4]),
            rate(counts[5]),
            rate(counts[6]));
    int score = (int) Math.round(100.0 * counts[0][0] / counts[0][1]);
    int stars = (int) Math.round(score / 20.0);
    QualityReport.Breakdown breakdown = breakdown(photo, target);
    List<QualityReport.Advice> advice =
        Advisor.advise(score, rate, breakdown, halves(target, w, h));
    byte[] png = heatmap ? Heatmap.render(photo, target, seen, failed, GRID) : null;
    return new QualityReport(score, stars, views.size(), rate, breakdown, advice, png);
  }

  /**
   * Whether the runtime finds the print: crops in the runtime's order from the centre, skipping
   * crops the print does not reach (nothing there could place it), until one finds a target.
   */
  private static boolean found(
      RuntimeDetection detection,
      float[] frame,
      RuntimeTarget target,
      double[] truth,
      int w,
      int h) {
    CropDetector crops = detection.crops();
    int size = crops.cropSize();
    double minX = Math.min(Math.min(truth[0], truth[2]), Math.min(truth[4], truth[6]));
    double maxX = Math.max(Math.max(truth[0], truth[2]), Math.max(truth[4], truth[6]));
    double minY = Math.min(Math.min(truth[1], truth[3]), Math.min(truth[5], truth[7]));
    double maxY = Math.max(Math.max(truth[1], truth[3]), Math.max(truth[5], truth[7]));
    for (int step = 0; step < CropDetector.POSITIONS; step++) {
      int position = (CropDetector.FIRST_POSITION + step) % CropDetector.POSITIONS;
      int[] o = crops.origin(position);
      if (maxX < o[0] || minX > o[0] + size || maxY < o[1] || minY > o[1] + size) {
        continue;
      }
      RuntimeDetection.Result r = detection.detect(frame, position, target);
      if (r.found()) {
        double[] corners = r.corners(w, h);
        return corners != null && Geometry.meanCornerDistance(corners, truth) <= MAX_CORNER_ERROR;
      }
    }
    return false;
  }

  private static void tally(int[][] counts, int kind, boolean found) {
    counts[kind][0] += found ? 1 : 0;
    counts[kind][1]++;
  }

  private static double rate(int[] c) {
    return c[1] == 0 ? 0 : (double) c[0] / c[1];
  }

  /** Feature points in the top, bottom, left and right half of the photo (all keyframes). */
  private static int[] halves(MindTarget target, int w, int h) {
    int[] n = new int[4];
    for (MatchingKeyframe k : target.matchingData()) {
      for (FeaturePoint p : points(k)) {
        double x = (p.x() + 0.5) / k.scale();
        double y = (p.y() + 0.5) / k.scale();
        n[y < h / 2.0 ? 0 : 1]++;
        n[x < w / 2.0 ? 2 : 3]++;
      }
    }
    return n;
  }

  static List<FeaturePoint> points(MatchingKeyframe k) {
    List<FeaturePoint> all = new ArrayList<>(k.maximaPoints());
    all.addAll(k.minimaPoints());
    return all;
  }

  private static QualityReport.Breakdown breakdown(GreyImage photo, MindTarget target) {
    int w = photo.width();
    int h = photo.height();
    List<QualityReport.Keyframe> keyframes = new ArrayList<>();
    boolean[] covered = new boolean[GRID * GRID];
    for (MatchingKeyframe k : target.matchingData()) {
      keyframes.add(new QualityReport.Keyframe(k.scale(), k.width(), k.height(), k.pointCount()));
      for (FeaturePoint p : points(k)) {
        int cx = (int) Math.min(GRID - 1, Math.max(0, (p.x() + 0.5) / k.scale() * GRID / w));
        int cy = (int) Math.min(GRID - 1, Math.max(0, (p.y() + 0.5) / k.scale() * GRID / h));
        covered[cy * GRID + cx] = true;
      }
    }
    int cells = 0;
    for (boolean c : covered) {
      cells += c ? 1 : 0;
    }
    MatchingKeyframe full = target.matchingData().get(0);
    double distinct = distinctiveness(full.maximaPoints()) * full.maximaPoints().size();
    distinct += distinctiveness(full.minimaPoints()) * full.minimaPoints().size();
    int n = full.pointCount();
    byte[] g = photo.data();
    double sum = 0;
    double sum2 = 0;
    for (byte b : g) {
      int v = b & 0xff;
      sum += v;
      sum2 += (double) v * v;
    }
    double mean = sum / g.length;
    double std = Math.sqrt(Math.max(0, sum2 / g.length - mean * mean));
    double[] patch = new double[n];
    List<FeaturePoint> pts = points(full);
    for (int i = 0; i < n; i++) {
      patch[i] =
          patchStd(g, w, h, (int) Math.round(pts.get(i).x()), (int) Math.round(pts.get(i).y()));
    }
    Arrays.sort(patch);
    int tracking = 0;
    for (TrackingImage t : target.trackingData()) {
      tracking += t.points().size();
    }
    return new QualityReport.Breakdown(
        List.copyOf(keyframes),
        cells / (double) (GRID * GRID),
        n == 0 ? 0 : distinct / n,
        n == 0 ? 0 : patch[n / 2],
        mean,
        std,
        tracking);
  }

  /**
   * Share of points with no look-alike: none of the other points more than 10 px away is within 50
   * of 666 descriptor bits, where unrelated patches differ in about half the bits. Repeated
   * patterns fail this, and they are what makes the runtime's ratio test drop a match.
   */
  static double distinctiveness(List<FeaturePoint> points) {
    int n = points.size();
    if (n == 0) {
      return 0;
    }
    int unique = 0;
    for (int i = 0; i < n; i++) {
      FeaturePoint p = points.get(i);
      boolean alike = false;
      for (int j = 0; j < n && !alike; j++) {
        FeaturePoint q = points.get(j);
        if (j == i || Math.hypot(p.x() - q.x(), p.y() - q.y()) <= REPEAT_MIN_DISTANCE) {
          continue;
        }
        int d = 0;
        for (int k = 0; k < p.descriptors().length; k++) {
          d += Integer.bitCount(p.descriptors()[k] ^ q.descriptors()[k]);
        }
        alike = d <= REPEAT_BITS;
      }
      unique += alike ? 0 : 1;
    }
    return unique / (double) n;
  }

  private static double patchStd(byte[] g, int w, int h, int cx, int cy) {
    double sum = 0;
    double sum2 = 0;
    int n = 0;
    for (int y = Math.max(0, cy - PATCH_RADIUS); y <= Math.min(h - 1, cy + PATCH_RADIUS); y++) {
      for (int x = Math.max(0, cx - PATCH_RADIUS); x <= Math.min(w - 1, cx + PATCH_RADIUS); x++) {
        int v = g[y * w + x] & 0xff;
        sum += v;
        sum2 += (double) v * v;
        n++;
      }
    }
    double mean = sum / n;
    return Math.sqrt(Math.max(0, sum2 / n - mean * mean));
  }
}
