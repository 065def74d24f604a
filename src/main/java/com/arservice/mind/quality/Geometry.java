package com.arservice.mind.quality;

import com.arservice.mind.runtime.Homography;

/** Small plane geometry of quadrilaterals given as interleaved corner arrays. */
final class Geometry {

  private Geometry() {}

  /** Signed area of a polygon (shoelace). */
  static double area(double[] q) {
    double a = 0;
    int n = q.length / 2;
    for (int i = 0; i < n; i++) {
      int j = (i + 1) % n;
      a += q[2 * i] * q[2 * j + 1] - q[2 * j] * q[2 * i + 1];
    }
    return a / 2;
  }

  /** Whether a point lies inside a convex polygon (either orientation). */
  static boolean inside(double[] q, double x, double y) {
    int n = q.length / 2;
    int sign = 0;
    for (int i = 0; i < n; i++) {
      int j = (i + 1) % n;
      double cross =
          (q[2 * j] - q[2 * i]) * (y - q[2 * i + 1])
              - (q[2 * j + 1] - q[2 * i + 1]) * (x - q[2 * i]);
      int s = cross > 0 ? 1 : (cross < 0 ? -1 : 0);
      if (s != 0) {
        if (sign != 0 && s != sign) {
          return false;
        }
        sign = s;
      }
    }
    return true;
  }

  /** Inverse of a homography. */
  static double[] invert(double[] h) {
    double[] inv = Homography.inverse(h, 0);
    if (inv == null) {
      throw new IllegalArgumentException("singular homography");
    }
    return inv;
  }

  /** Mean distance between corresponding corners of two quadrilaterals. */
  static double meanCornerDistance(double[] a, double[] b) {
    double sum = 0;
    for (int i = 0; i < 4; i++) {
      sum += Math.hypot(a[2 * i] - b[2 * i], a[2 * i + 1] - b[2 * i + 1]);
    }
    return sum / 4;
  }
}
