package com.arservice.mind.quality;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The simulated views of a quality report: a low-discrepancy (Halton) spread over the conditions a
 * phone meets, shifted by the seed (a Cranley-Patterson rotation), so that few views cover the
 * space evenly and the same seed always gives the same views.
 *
 * <p>Ranges: print size from the whole frame width (near) to a fifth of it (far), log-uniform; tilt
 * 0..45 degrees about any axis; any in-plane rotation; defocus sigma up to 2.5 px on half the
 * views, motion blur up to 8 px on a quarter; noise sigma 1..7; exposure 0.35..1.1 with light
 * falling off by up to 40 % across the frame; JPEG quality 50..90.
 */
final class ViewPlan {

  private static final int[] PRIMES = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37};

  private ViewPlan() {}

  static List<View> views(int count, long seed) {
    Random random = new Random(seed);
    double[] shift = new double[PRIMES.length];
    for (int d = 0; d < shift.length; d++) {
      shift[d] = random.nextDouble();
    }
    List<View> views = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      double[] u = new double[PRIMES.length];
      for (int d = 0; d < u.length; d++) {
        u[d] = (halton(i + 1, PRIMES[d]) + shift[d]) % 1.0;
      }
      double size = 0.2 * Math.pow(5, u[0]);
      double tilt = 45 * Math.sqrt(u[1]); // leaning views are the common case when held by hand
      double blurKind = u[6];
      double defocus = blurKind < 0.5 ? 2.5 * u[7] : 0;
      double motion = blurKind >= 0.75 ? 8 * u[7] : 0;
      views.add(
          new View(
              size,
              tilt,
              2 * Math.PI * u[2],
              360 * u[3] - 180,
              (u[4] - 0.5) * 0.2 * (1.2 - size),
              (u[5] - 0.5) * 0.2 * (1.2 - size),
              defocus,
              motion,
              u[8] < 0.5,
              1 + 6 * u[9],
              0.35 + 0.75 * u[10],
              0.4 * (2 * u[11] - 1),
              50 + (int) Math.round(40 * ((u[8] * 7) % 1.0))));
    }
    return views;
  }

  /** The radical inverse of {@code i} in base {@code b}. */
  static double halton(int i, int b) {
    double f = 1;
    double r = 0;
    while (i > 0) {
      f /= b;
      r += f * (i % b);
      i /= b;
    }
    return r;
  }
}
