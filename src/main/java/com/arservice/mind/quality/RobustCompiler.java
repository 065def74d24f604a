package com.arservice.mind.quality;

import com.arservice.mind.HierarchicalClustering;
import com.arservice.mind.MarkerMode;
import com.arservice.mind.MatchingKeyframe;
import com.arservice.mind.MindCompiler;
import com.arservice.mind.MindFile;
import com.arservice.mind.MindTarget;
import com.arservice.mind.TrackingExtractor;
import com.arservice.mind.TrackingImage;
import com.arservice.mind.detect.FeaturePoint;
import com.arservice.mind.detect.GreyImage;
import com.arservice.mind.detect.ImageList;
import com.arservice.mind.runtime.CropDetector;
import com.arservice.mind.runtime.Homography;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The {@link MarkerMode#ROBUST} compiler: MindAR's keyframes and candidate points, but each
 * keyframe keeps only the points the runtime re-detects most often in simulated phone views of the
 * print ({@link ViewRenderer}, {@link ViewPlan}, the runtime's own crops and detector), with trees
 * built over the kept points as MindAR builds them; keyframes larger than any view shows are
 * dropped; the tracking keyframe the 1.2.5 runtime reads ({@code trackingData[1]}, 128 px) is
 * MindAR's, the one it never reads a valid 1x1 image; positions and angles are rounded to float32
 * and written compactly ({@link MindFile#writeCompact}).
 *
 * <p>A point earns a vote each time a runtime feature point of its kind, detected in a crop the
 * runtime would take, lies within the runtime's 3 px inlier distance of the point's true position
 * with a descriptor within {@link #NEAR_BITS} bits (the nearest such point gets it). Deterministic
 * (seeded views); stateless.
 */
public final class RobustCompiler {

  /** Simulated views each target is judged on. */
  static final int VIEWS = 32;

  /** The views' seed: not the quality report's, so its score judges other views. */
  static final long SEED = 20261202L;

  /** At most this share of a keyframe's candidates is kept. */
  static final double KEEP_SHARE = 0.7;

  /**
   * But never fewer than this many per keyframe (when it has them): a weak print's keyframes hold
   * few points, and pruning them by votes cost the text strip a third of its easy frames.
   */
  static final int MIN_KEEP = 150;

  /**
   * Keyframes whose longer side exceeds this many frame widths are dropped: a print never shows
   * larger than the frame in the views, and the runtime pays for every keyframe on every crop.
   */
  static final double MAX_SIDE = 1.1;

  /** A re-detected point counts when its descriptor is within this many of 666 bits. */
  static final int NEAR_BITS = 150;

  private static final double INLIER_DISTANCE = 3;
  private static final int WORDS = 21;
  private static final int MAX_CROPS_PER_VIEW = 3;

  private RobustCompiler() {}

  /** Compiles the images, one target each, in the given mode. */
  public static MindCompiler.Result compile(List<GreyImage> images, MarkerMode mode) {
    if (mode == MarkerMode.REFERENCE) {
      return MindCompiler.compile(images);
    }
    List<MindTarget> targets = new ArrayList<>(images.size());
    for (GreyImage image : images) {
      targets.add(compileTarget(image));
    }
    return new MindCompiler.Result(MindFile.writeCompact(targets), MindCompiler.stats(targets));
  }

  /** Compiles one target in the given mode. */
  public static MindTarget compileTarget(GreyImage image, MarkerMode mode) {
    return mode == MarkerMode.REFERENCE ? MindCompiler.compileTarget(image) : compileTarget(image);
  }

  /** The encoding of targets compiled in the given mode. */
  public static byte[] write(List<MindTarget> targets, MarkerMode mode) {
    return mode == MarkerMode.REFERENCE ? MindFile.write(targets) : MindFile.writeCompact(targets);
  }

  /** Compiles one image into a robust target. */
  public static MindTarget compileTarget(GreyImage image) {
    int w = image.width();
    int h = image.height();
    List<MatchingKeyframe> all = MindCompiler.matchingKeyframes(image);
    List<MatchingKeyframe> candidates = new ArrayList<>();
    for (MatchingKeyframe k : all) {
      if (Math.max(k.width(), k.height()) <= MAX_SIDE * ViewRenderer.WIDTH) {
        candidates.add(k);
      }
    }
    if (candidates.isEmpty()) {
      candidates.add(all.get(all.size() - 1));
    }
    int[][] votes = votes(image, candidates);
    List<MatchingKeyframe> matching = new ArrayList<>(candidates.size());
    for (int k = 0; k < candidates.size(); k++) {
      matching.add(select(candidates.get(k), votes[k]));
    }
    double[] scales = ImageList.trackingScales(w, h);
    GreyImage t = ImageList.resize(image.data(), w, h, scales[1]);
    TrackingImage read = TrackingExtractor.extract(t, scales[1]);
    // trackingData[0] is never read by the 1.2.5 tracker, but the decoder expects an image there
    TrackingImage unused = new TrackingImage(new byte[1], 1, 1, 1.0 / Math.max(w, h), List.of());
    return new MindTarget(w, h, List.of(unused, read), List.copyOf(matching));
  }

  /** Keeps the most voted points of a keyframe (ties: MindAR's order), positions as float32. */
  private static MatchingKeyframe select(MatchingKeyframe k, int[] votes) {
    List<FeaturePoint> all = new ArrayList<>(k.maximaPoints());
    all.addAll(k.minimaPoints());
    int n = all.size();
    int keep = Math.min(n, Math.max(MIN_KEEP, (int) Math.round(n * KEEP_SHARE)));
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> votes[b] != votes[a] ? votes[b] - votes[a] : a - b);
    boolean[] kept = new boolean[n];
    for (int i = 0; i < keep; i++) {
      kept[order[i]] = true;
    }
    List<FeaturePoint> maxima = new ArrayList<>();
    List<FeaturePoint> minima = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (kept[i]) {
        FeaturePoint p = all.get(i);
        FeaturePoint f =
            new FeaturePoint(
                p.maxima(),
                (float) p.x(),
                (float) p.y(),
                (float) p.scale(),
                (float) p.angle(),
                p.descriptors());
        (p.maxima() ? maxima : minima).add(f);
      }
    }
    return new MatchingKeyframe(
        k.width(),
        k.height(),
        k.scale(),
        maxima,
        minima,
        HierarchicalClustering.build(maxima),
        HierarchicalClustering.build(minima));
  }

  /**
   * Votes per keyframe and candidate (maxima first, then minima, as {@link #select} lists them).
   */
  private static int[][] votes(GreyImage image, List<MatchingKeyframe> keyframes) {
    int w = image.width();
    int h = image.height();
    Candidates[] cands = new Candidates[keyframes.size()];
    int[][] votes = new int[keyframes.size()][];
    for (int k = 0; k < cands.length; k++) {
      cands[k] = new Candidates(keyframes.get(k));
      votes[k] = new int[cands[k].size];
    }
    ViewRenderer renderer = new ViewRenderer(image.data(), w, h);
    CropDetector crops = new CropDetector(ViewRenderer.WIDTH, ViewRenderer.HEIGHT);
    float[] frame = new float[ViewRenderer.WIDTH * ViewRenderer.HEIGHT];
    Random random = new Random(SEED);
    for (View v : ViewPlan.views(VIEWS, SEED)) {
      double[] truth = renderer.homography(v);
      renderer.render(v, truth, random, frame);
      double[] inverse = Geometry.invert(truth);
      double[] corners = Homography.corners(truth, w, h);
      for (Candidates c : cands) {
        c.project(truth);
      }
      for (int position : positions(crops, corners)) {
        for (FeaturePoint q : crops.detect(frame, position)) {
          double px = Homography.mapX(inverse, q.x() + 0.5, q.y() + 0.5);
          double py = Homography.mapY(inverse, q.x() + 0.5, q.y() + 0.5);
          if (px < 0 || py < 0 || px >= w || py >= h) {
            continue; // the table: no candidate can be its true match
          }
          for (int k = 0; k < cands.length; k++) {
            int best = cands[k].nearMatch(q);
            if (best >= 0) {
              votes[k][best]++;
            }
          }
        }
      }
    }
    return votes;
  }

  /**
   * The crops the runtime would detect in while the print is in view: those whose centre the print
   * covers, nearest its centre first, else the one nearest it.
   */
  private static List<Integer> positions(CropDetector crops, double[] corners) {
    double cx = (corners[0] + corners[2] + corners[4] + corners[6]) / 4;
    double cy = (corners[1] + corners[3] + corners[5] + corners[7]) / 4;
    int half = crops.cropSize() / 2;
    List<Integer> inside = new ArrayList<>();
    double[] distance = new double[CropDetector.POSITIONS];
    int nearest = 0;
    for (int p = 0; p < CropDetector.POSITIONS; p++) {
      int[] o = crops.origin(p);
      distance[p] = Math.hypot(o[0] + half - cx, o[1] + half - cy);
      if (distance[p] < distance[nearest]) {
        nearest = p;
      }
      if (Geometry.inside(corners, o[0] + half, o[1] + half)) {
        inside.add(p);
      }
    }
    if (inside.isEmpty()) {
      return List.of(nearest);
    }
    inside.sort((a, b) -> Double.compare(distance[a], distance[b]));
    return inside.subList(0, Math.min(MAX_CROPS_PER_VIEW, inside.size()));
  }

  /** A keyframe's candidates as flat arrays, with their positions in the current view. */
  private static final class Candidates {
    final int size;
    final boolean[] maxima;
    final double[] x;
    final double[] y;
    final int[] descriptors;
    final double scale;
    final double[] fx;
    final double[] fy;

    Candidates(MatchingKeyframe k) {
      List<FeaturePoint> all = new ArrayList<>(k.maximaPoints());
      all.addAll(k.minimaPoints());
      size = all.size();
      maxima = new boolean[size];
      x = new double[size];
      y = new double[size];
      fx = new double[size];
      fy = new double[size];
      descriptors = new int[size * WORDS];
      scale = k.scale();
      for (int i = 0; i < size; i++) {
        FeaturePoint p = all.get(i);
        maxima[i] = p.maxima();
        x[i] = p.x();
        y[i] = p.y();
        System.arraycopy(p.descriptors(), 0, descriptors, i * WORDS, WORDS);
      }
    }

    /** Places the candidates in a view: frame pixel edges at integers, as the truth maps them. */
    void project(double[] truth) {
      for (int i = 0; i < size; i++) {
        double wx = (x[i] + 0.5) / scale;
        double wy = (y[i] + 0.5) / scale;
        fx[i] = Homography.mapX(truth, wx, wy);
        fy[i] = Homography.mapY(truth, wx, wy);
      }
    }

    /**
     * The candidate {@code q} re-detects, or -1: of {@code q}'s kind, true position within the
     * runtime's inlier distance, the nearest descriptor of those within {@link #NEAR_BITS}.
     */
    int nearMatch(FeaturePoint q) {
      double qx = q.x() + 0.5;
      double qy = q.y() + 0.5;
      double r2 = INLIER_DISTANCE * INLIER_DISTANCE;
      int[] qd = q.descriptors();
      int best = -1;
      int d1 = NEAR_BITS + 1;
      for (int i = 0; i < size; i++) {
        double dx = fx[i] - qx;
        double dy = fy[i] - qy;
        if (maxima[i] != q.maxima() || dx * dx + dy * dy > r2) {
          continue;
        }
        int o = i * WORDS;
        int d = 0;
        for (int j = 0; j < WORDS; j++) {
          d += Integer.bitCount(descriptors[o + j] ^ qd[j]);
        }
        if (d < d1) {
          d1 = d;
          best = i;
        }
      }
      return best;
    }
  }
}
