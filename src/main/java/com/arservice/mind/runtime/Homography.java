package com.arservice.mind.runtime;

/**
 * The 3x3 homography arithmetic of MindAR 1.2.5's runtime ({@code utils/homography.js}, {@code
 * utils/geometry.js}): a least-squares fit from point pairs and the small geometric tests RANSAC
 * uses. Matrices are row-major {@code double[9]}; points are interleaved {@code x, y} arrays.
 *
 * <p>Expressions are evaluated in MindAR's order, and the fit solves its normal equations with the
 * LU decomposition its matrix library ({@code ml-matrix}) uses, so results agree with the runtime
 * to the last bit wherever the inputs do.
 */
public final class Homography {

  private static final int UNKNOWNS = 8;

  private Homography() {}

  /**
   * The homography that maps {@code src} onto {@code dst} best in the least-squares sense, after
   * normalising both point sets (centroid at the origin, mean distance sqrt 2); {@code H[8] = 1}.
   *
   * @param src source points, {@code x0, y0, x1, y1, ...}
   * @param dst destination points, same layout
   * @param n number of pairs to use (the first {@code n})
   * @return the homography, or null when the normal equations are singular
   */
  public static double[] solve(double[] src, double[] dst, int n) {
    double[] srcNorm = new double[2 * n];
    double[] dstNorm = new double[2 * n];
    double[] srcParam = normalize(src, n, srcNorm);
    double[] dstParam = normalize(dst, n, dstNorm);
    // the normal equations A^T A c = A^T b, rows of A two per pair, accumulated as ml-matrix's
    // mmul does: over the rows of A in order, starting from zero
    double[] ata = new double[UNKNOWNS * UNKNOWNS];
    double[] atb = new double[UNKNOWNS];
    double[] row1 = new double[UNKNOWNS];
    double[] row2 = new double[UNKNOWNS];
    for (int i = 0; i < UNKNOWNS; i++) {
      for (int j = 0; j < UNKNOWNS; j++) {
        double s = 0;
        for (int p = 0; p < n; p++) {
          rows(srcNorm, dstNorm, p, row1, row2);
          s += row1[i] * row1[j];
          s += row2[i] * row2[j];
        }
        ata[i * UNKNOWNS + j] = s;
      }
      double s = 0;
      for (int p = 0; p < n; p++) {
        rows(srcNorm, dstNorm, p, row1, row2);
        s += row1[i] * dstNorm[2 * p];
        s += row2[i] * dstNorm[2 * p + 1];
      }
      atb[i] = s;
    }
    double[] inverse = luInverse(ata, UNKNOWNS);
    if (inverse == null) {
      return null;
    }
    double[] c = new double[UNKNOWNS];
    for (int i = 0; i < UNKNOWNS; i++) {
      double s = 0;
      for (int k = 0; k < UNKNOWNS; k++) {
        s += inverse[i * UNKNOWNS + k] * atb[k];
      }
      c[i] = s;
    }
    return denormalize(c, srcParam, dstParam);
  }

  private static void rows(double[] src, double[] dst, int p, double[] row1, double[] row2) {
    double x = src[2 * p];
    double y = src[2 * p + 1];
    double u = dst[2 * p];
    double v = dst[2 * p + 1];
    row1[0] = x;
    row1[1] = y;
    row1[2] = 1;
    row1[3] = 0;
    row1[4] = 0;
    row1[5] = 0;
    row1[6] = -(x * u);
    row1[7] = -(y * u);
    row2[0] = 0;
    row2[1] = 0;
    row2[2] = 0;
    row2[3] = x;
    row2[4] = y;
    row2[5] = 1;
    row2[6] = -(x * v);
    row2[7] = -(y * v);
  }

  /** Writes the normalised points; returns {@code {meanX, meanY, s}}. */
  private static double[] normalize(double[] pts, int n, double[] out) {
    double sumX = 0;
    double sumY = 0;
    for (int i = 0; i < n; i++) {
      sumX += pts[2 * i];
      sumY += pts[2 * i + 1];
    }
    double meanX = sumX / n;
    double meanY = sumY / n;
    double sumDiff = 0;
    for (int i = 0; i < n; i++) {
      double dx = pts[2 * i] - meanX;
      double dy = pts[2 * i + 1] - meanY;
      sumDiff += Math.sqrt(dx * dx + dy * dy);
    }
    double s = Math.sqrt(2) * n / sumDiff;
    for (int i = 0; i < n; i++) {
      out[2 * i] = (pts[2 * i] - meanX) * s;
      out[2 * i + 1] = (pts[2 * i + 1] - meanY) * s;
    }
    return new double[] {meanX, meanY, s};
  }

  private static double[] denormalize(double[] nh, double[] src, double[] dst) {
    double sMeanX = dst[2] * dst[0];
    double sMeanY = dst[2] * dst[1];
    double srcMeanX = src[0];
    double srcMeanY = src[1];
    double srcS = src[2];
    double[] h = {
      nh[0] + sMeanX * nh[6],
      nh[1] + sMeanX * nh[7],
      (nh[0] + sMeanX * nh[6]) * -srcMeanX
          + (nh[1] + sMeanX * nh[7]) * -srcMeanY
          + (nh[2] + sMeanX) / srcS,
      nh[3] + sMeanY * nh[6],
      nh[4] + sMeanY * nh[7],
      (nh[3] + sMeanY * nh[6]) * -srcMeanX
          + (nh[4] + sMeanY * nh[7]) * -srcMeanY
          + (nh[5] + sMeanY) / srcS,
      dst[2] * nh[6],
      dst[2] * nh[7],
      dst[2] * nh[6] * -srcMeanX + dst[2] * nh[7] * -srcMeanY + dst[2] / srcS,
    };
    double last = h[8];
    for (int i = 0; i < 9; i++) {
      h[i] = h[i] / last;
    }
    return h;
  }

  /**
   * Inverse of a square matrix by LU decomposition with partial pivoting, solved against the
   * identity, as ml-matrix's {@code inverse} does (a Jama port); null when a pivot is exactly 0.
   */
  static double[] luInverse(double[] a, int n) {
    double[] lu = a.clone();
    int[] pivot = new int[n];
    for (int i = 0; i < n; i++) {
      pivot[i] = i;
    }
    double[] col = new double[n];
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < n; i++) {
        col[i] = lu[i * n + j];
      }
      for (int i = 0; i < n; i++) {
        int kmax = Math.min(i, j);
        double s = 0;
        for (int k = 0; k < kmax; k++) {
          s += lu[i * n + k] * col[k];
        }
        col[i] -= s;
        lu[i * n + j] = col[i];
      }
      int p = j;
      for (int i = j + 1; i < n; i++) {
        if (Math.abs(col[i]) > Math.abs(col[p])) {
          p = i;
        }
      }
      if (p != j) {
        for (int k = 0; k < n; k++) {
          double t = lu[p * n + k];
          lu[p * n + k] = lu[j * n + k];
          lu[j * n + k] = t;
        }
        int v = pivot[p];
        pivot[p] = pivot[j];
        pivot[j] = v;
      }
      if (lu[j * n + j] != 0) {
        for (int i = j + 1; i < n; i++) {
          lu[i * n + j] = lu[i * n + j] / lu[j * n + j];
        }
      }
    }
    for (int j = 0; j < n; j++) {
      if (lu[j * n + j] == 0) {
        return null;
      }
    }
    double[] x = new double[n * n];
    for (int i = 0; i < n; i++) {
      x[i * n + pivot[i]] = 1;
    }
    for (int k = 0; k < n; k++) {
      for (int i = k + 1; i < n; i++) {
        for (int j = 0; j < n; j++) {
          x[i * n + j] = x[i * n + j] - x[k * n + j] * lu[i * n + k];
        }
      }
    }
    for (int k = n - 1; k >= 0; k--) {
      for (int j = 0; j < n; j++) {
        x[k * n + j] = x[k * n + j] / lu[k * n + k];
      }
      for (int i = 0; i < k; i++) {
        for (int j = 0; j < n; j++) {
          x[i * n + j] = x[i * n + j] - x[k * n + j] * lu[i * n + k];
        }
      }
    }
    return x;
  }

  /** The inverse of a 3x3 matrix by cofactors; null when |det| is at most {@code threshold}. */
  public static double[] inverse(double[] a, double threshold) {
    double det = determinant(a);
    if (Math.abs(det) <= threshold) {
      return null;
    }
    double oneOver = 1.0 / det;
    return new double[] {
      (a[4] * a[8] - a[5] * a[7]) * oneOver,
      (a[2] * a[7] - a[1] * a[8]) * oneOver,
      (a[1] * a[5] - a[2] * a[4]) * oneOver,
      (a[5] * a[6] - a[3] * a[8]) * oneOver,
      (a[0] * a[8] - a[2] * a[6]) * oneOver,
      (a[2] * a[3] - a[0] * a[5]) * oneOver,
      (a[3] * a[7] - a[4] * a[6]) * oneOver,
      (a[1] * a[6] - a[0] * a[7]) * oneOver,
      (a[0] * a[4] - a[1] * a[3]) * oneOver,
    };
  }

  private static double determinant(double[] a) {
    double c1 = a[4] * a[8] - a[5] * a[7];
    double c2 = a[3] * a[8] - a[5] * a[6];
    double c3 = a[3] * a[7] - a[4] * a[6];
    return a[0] * c1 - a[1] * c2 + a[2] * c3;
  }

  /**
   * The corners {@code (0,0), (w,0), (w,h), (0,h)} of a {@code w x h} image mapped by {@code h}.
   */
  public static double[] corners(double[] h, int width, int height) {
    double[] c = {0, 0, width, 0, width, height, 0, height};
    double[] out = new double[8];
    for (int i = 0; i < 4; i++) {
      out[2 * i] = mapX(h, c[2 * i], c[2 * i + 1]);
      out[2 * i + 1] = mapY(h, c[2 * i], c[2 * i + 1]);
    }
    return out;
  }

  /** x of {@code (x, y)} mapped by {@code h}, divided by the mapped w. */
  public static double mapX(double[] h, double x, double y) {
    return (h[0] * x + h[1] * y + h[2]) / (h[6] * x + h[7] * y + h[8]);
  }

  /** y of {@code (x, y)} mapped by {@code h}, divided by the mapped w. */
  public static double mapY(double[] h, double x, double y) {
    return (h[3] * x + h[4] * y + h[5]) / (h[6] * x + h[7] * y + h[8]);
  }

  /** Which side of the line A→B point C lies on (the sign of the cross product). */
  static double side(double ax, double ay, double bx, double by, double cx, double cy) {
    return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
  }

  /** Whether three points keep their orientation under the mapping {@code p -> q}. */
  static boolean sameTurn(double[] p, int a, int b, int c, double[] q, int qa, int qb, int qc) {
    return (side(p[2 * a], p[2 * a + 1], p[2 * b], p[2 * b + 1], p[2 * c], p[2 * c + 1]) > 0)
        == (side(q[2 * qa], q[2 * qa + 1], q[2 * qb], q[2 * qb + 1], q[2 * qc], q[2 * qc + 1]) > 0);
  }

  /** Whether the quadrilateral of four points (in order, interleaved) is convex. */
  static boolean convex(double[] q) {
    boolean first = side(q[0], q[1], q[2], q[3], q[4], q[5]) <= 0;
    return (side(q[2], q[3], q[4], q[5], q[6], q[7]) <= 0) == first
        && (side(q[4], q[5], q[6], q[7], q[0], q[1]) <= 0) == first
        && (side(q[6], q[7], q[0], q[1], q[2], q[3]) <= 0) == first;
  }

  /** The smallest of the four triangles MindAR measures on a quadrilateral (interleaved). */
  static double smallestTriangleArea(double[] q) {
    double v12x = q[2] - q[0];
    double v12y = q[3] - q[1];
    double v13x = q[4] - q[0];
    double v13y = q[5] - q[1];
    double v14x = q[6] - q[0];
    double v14y = q[7] - q[1];
    double v32x = q[2] - q[4];
    double v32y = q[3] - q[5];
    double v34x = q[6] - q[4];
    double v34y = q[7] - q[5];
    double a1 = area(v12x, v12y, v13x, v13y);
    double a2 = area(v13x, v13y, v14x, v14y);
    double a3 = area(v12x, v12y, v14x, v14y);
    double a4 = area(v32x, v32y, v34x, v34y);
    return Math.min(Math.min(Math.min(a1, a2), a3), a4);
  }

  private static double area(double ux, double uy, double vx, double vy) {
    return Math.abs(ux * vy - uy * vx) * 0.5;
  }
}
