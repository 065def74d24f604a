package com.arservice.mind.runtime;

import java.util.Arrays;

/**
 * A growable list of tentative matches, one query (frame) point and one keyframe point each, held
 * as parallel primitive arrays so the Hough vote and RANSAC read them without boxing.
 */
final class Matches {
  int count;
  int[] query = new int[64];
  int[] key = new int[64];
  double[] queryX = new double[64];
  double[] queryY = new double[64];
  double[] queryScale = new double[64];
  double[] queryAngle = new double[64];
  double[] keyX = new double[64];
  double[] keyY = new double[64];
  double[] keyScale = new double[64];
  double[] keyAngle = new double[64];

  void clear() {
    count = 0;
  }

  void add(Points q, int qi, Points k, int ki) {
    put(
        qi,
        ki,
        q.x[qi],
        q.y[qi],
        q.scale[qi],
        q.angle[qi],
        k.x[ki],
        k.y[ki],
        k.scale[ki],
        k.angle[ki]);
  }

  /** Copies match {@code i} of {@code from} to the end of this list. */
  void addFrom(Matches from, int i) {
    put(
        from.query[i],
        from.key[i],
        from.queryX[i],
        from.queryY[i],
        from.queryScale[i],
        from.queryAngle[i],
        from.keyX[i],
        from.keyY[i],
        from.keyScale[i],
        from.keyAngle[i]);
  }

  private void put(
      int qi,
      int ki,
      double qx,
      double qy,
      double qs,
      double qa,
      double kx,
      double ky,
      double ks,
      double ka) {
    if (count == query.length) {
      grow();
    }
    query[count] = qi;
    key[count] = ki;
    queryX[count] = qx;
    queryY[count] = qy;
    queryScale[count] = qs;
    queryAngle[count] = qa;
    keyX[count] = kx;
    keyY[count] = ky;
    keyScale[count] = ks;
    keyAngle[count] = ka;
    count++;
  }

  private void grow() {
    int n = 2 * query.length;
    query = Arrays.copyOf(query, n);
    key = Arrays.copyOf(key, n);
    queryX = Arrays.copyOf(queryX, n);
    queryY = Arrays.copyOf(queryY, n);
    queryScale = Arrays.copyOf(queryScale, n);
    queryAngle = Arrays.copyOf(queryAngle, n);
    keyX = Arrays.copyOf(keyX, n);
    keyY = Arrays.copyOf(keyY, n);
    keyScale = Arrays.copyOf(keyScale, n);
    keyAngle = Arrays.copyOf(keyAngle, n);
  }
}
