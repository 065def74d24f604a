package com.arservice.mind.runtime;

import com.arservice.mind.detect.FeaturePoint;
import java.util.List;

/** Feature points as parallel primitive arrays: position, scale, angle, 21-word descriptor. */
final class Points {
  final int size;
  final double[] x;
  final double[] y;
  final double[] scale;
  final double[] angle;
  final boolean[] maxima;

  /** Descriptors back to back, {@link #WORDS} per point. */
  final int[] descriptors;

  static final int WORDS = 21;

  Points(List<FeaturePoint> points) {
    size = points.size();
    x = new double[size];
    y = new double[size];
    scale = new double[size];
    angle = new double[size];
    maxima = new boolean[size];
    descriptors = new int[size * WORDS];
    for (int i = 0; i < size; i++) {
      FeaturePoint p = points.get(i);
      x[i] = p.x();
      y[i] = p.y();
      scale[i] = p.scale();
      angle[i] = p.angle();
      maxima[i] = p.maxima();
      System.arraycopy(p.descriptors(), 0, descriptors, i * WORDS, WORDS);
    }
  }

  /** Hamming distance between descriptor {@code i} of {@code a} and {@code j} of {@code b}. */
  static int hamming(Points a, int i, Points b, int j) {
    int[] da = a.descriptors;
    int[] db = b.descriptors;
    int oa = i * WORDS;
    int ob = j * WORDS;
    int d = 0;
    for (int w = 0; w < WORDS; w++) {
      d += Integer.bitCount(da[oa + w] ^ db[ob + w]);
    }
    return d;
  }
}
