package com.arservice.mind.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * MindAR 1.2.5's RANSAC homography ({@code matching/ransacHomography.js}): up to 20 hypotheses from
 * random quadruples drawn with the runtime's fixed-seed LCG, kept when the four pairs turn the same
 * way and the keyframe's corners stay consistently oriented, then scored chunk by chunk with a
 * Cauchy reprojection cost, halving the field after each chunk; the best survivor whose inverse
 * keeps the keyframe a sizeable convex quadrilateral wins.
 */
final class Ransac {

  private static final double CAUCHY_SCALE = 0.01;
  private static final int CHUNK_SIZE = 10;
  private static final int HYPOTHESES = 20;
  private static final int SAMPLE = 4;

  private Ransac() {}

  /**
   * The runtime's random generator: {@code seed = (214013 seed + 2531011) mod 2^31}, starting at
   * 1234 for every call of {@link #homography}; draws are bits 16..30 of the seed.
   */
  static final class Lcg {
    private long seed = 1234;

    int next() {
      seed = (214013L * seed + 2531011L) % (1L << 31);
      return (int) (seed >> 16) & 0x7fff;
    }

    /** Swaps each of the first {@code sampleSize} entries with a random entry of the array. */
    void shuffle(int[] arr, int sampleSize) {
      for (int i = 0; i < sampleSize; i++) {
        int k = next() % arr.length;
        int t = arr[i];
        arr[i] = arr[k];
        arr[k] = t;
      }
    }
  }

  private static final class Hypothesis {
    final double[] h;
    double cost;

    Hypothesis(double[] h) {
      this.h = h;
    }
  }

  /**
   * The homography from keyframe points to frame points, or null.
   *
   * @param src keyframe points, interleaved
   * @param dst frame points, interleaved
   * @param n pairs
   * @param keyWidth keyframe width
   * @param keyHeight keyframe height
   */
  static double[] homography(double[] src, double[] dst, int n, int keyWidth, int keyHeight) {
    if (n < SAMPLE) {
      return null;
    }
    double[] corners = {0, 0, keyWidth, 0, keyWidth, keyHeight, 0, keyHeight};
    Lcg random = new Lcg();
    int[] perm = new int[n];
    for (int i = 0; i < n; i++) {
      perm[i] = i;
    }
    random.shuffle(perm, n);
    List<Hypothesis> hypotheses = new ArrayList<>();
    double[] s4 = new double[2 * SAMPLE];
    double[] d4 = new double[2 * SAMPLE];
    double[] mapped = new double[8];
    for (int trial = 0; trial < 2 * HYPOTHESES && hypotheses.size() < HYPOTHESES; trial++) {
      random.shuffle(perm, SAMPLE);
      for (int i = 0; i < SAMPLE; i++) {
        s4[2 * i] = src[2 * perm[i]];
        s4[2 * i + 1] = src[2 * perm[i] + 1];
        d4[2 * i] = dst[2 * perm[i]];
        d4[2 * i + 1] = dst[2 * perm[i] + 1];
      }
      if (!fourPointsConsistent(s4, d4)) {
        continue;
      }
      double[] h = Homography.solve(s4, d4, SAMPLE);
      if (h == null) {
        continue;
      }
      map(h, corners, mapped);
      if (!fourPointsConsistent(corners, mapped)) {
        continue; // the runtime's corner test is this one, on the four cyclic triples
      }
      hypotheses.add(new Hypothesis(h));
    }
    if (hypotheses.isEmpty()) {
      return null;
    }
    double oneOverScale2 = 1.0 / (CAUCHY_SCALE * CAUCHY_SCALE);
    int chunk = Math.min(CHUNK_SIZE, n);
    for (int i = 0, size = chunk; i < n && hypotheses.size() > 2; i += size) {
      size = Math.min(chunk, n - i);
      for (Hypothesis hy : hypotheses) {
        for (int k = i; k < i + size; k++) {
          double fx = Homography.mapX(hy.h, src[2 * k], src[2 * k + 1]) - dst[2 * k];
          double fy = Homography.mapY(hy.h, src[2 * k], src[2 * k + 1]) - dst[2 * k + 1];
          hy.cost += StrictMath.log(1 + (fx * fx + fy * fy) * oneOverScale2);
        }
      }
      // a stable sort, NaN differences counting as ties, as the runtime's comparator does
      hypotheses.sort(
          (a, b) -> {
            double d = a.cost - b.cost;
            return d < 0 ? -1 : (d > 0 ? 1 : 0);
          });
      int drop = (hypotheses.size() + 1) / 2;
      hypotheses.subList(hypotheses.size() - drop, hypotheses.size()).clear();
    }
    for (Hypothesis hy : hypotheses) {
      double[] h = normalize(hy.h);
      if (plausible(h, corners, keyWidth, keyHeight, mapped)) {
        return h;
      }
    }
    return null;
  }

  /** Both quadruples turn the same way on each cyclic triple (MindAR's 4-point test). */
  private static boolean fourPointsConsistent(double[] p, double[] q) {
    return Homography.sameTurn(p, 0, 1, 2, q, 0, 1, 2)
        && Homography.sameTurn(p, 1, 2, 3, q, 1, 2, 3)
        && Homography.sameTurn(p, 2, 3, 0, q, 2, 3, 0)
        && Homography.sameTurn(p, 3, 0, 1, q, 3, 0, 1);
  }

  private static void map(double[] h, double[] pts, double[] out) {
    for (int i = 0; i < pts.length / 2; i++) {
      out[2 * i] = Homography.mapX(h, pts[2 * i], pts[2 * i + 1]);
      out[2 * i + 1] = Homography.mapY(h, pts[2 * i], pts[2 * i + 1]);
    }
  }

  private static double[] normalize(double[] h) {
    double oneOver = 1.0 / h[8];
    double[] out = new double[9];
    for (int i = 0; i < 8; i++) {
      out[i] = h[i] * oneOver;
    }
    out[8] = 1.0;
    return out;
  }

  /** The keyframe's corners seen back through H^-1 make a convex, not too thin quadrilateral. */
  private static boolean plausible(double[] h, double[] corners, int w, int hgt, double[] mapped) {
    double[] inv = Homography.inverse(h, 0.00001);
    if (inv == null) {
      return false;
    }
    map(inv, corners, mapped);
    if (Homography.smallestTriangleArea(mapped) < w * hgt * 0.0001) {
      return false;
    }
    return Homography.convex(mapped);
  }
}
