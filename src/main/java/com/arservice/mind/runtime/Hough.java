package com.arservice.mind.runtime;

import java.util.Arrays;

/**
 * MindAR 1.2.5's Hough vote over matches ({@code matching/hough.js}): every match predicts where
 * the keyframe's centre lands in the frame, at which rotation and log scale; each votes into the
 * 2x2x2x2 neighbourhood of its bin, and the matches close to the busiest bin (within one bin width
 * on every axis) survive. Bin size follows the median projected keyframe size, by the runtime's own
 * (off-by-one) median rule, and ties between bins go to the lowest bin index as the runtime's
 * object-key order does.
 *
 * <p>Votes are collected as bin indexes in a caller-supplied array and counted after sorting, in
 * place of the runtime's dictionary.
 */
final class Hough {

  private static final int ANGLE_BINS = 12;
  private static final int SCALE_BINS = 10;
  private static final double MIN_SCALE = -1;
  private static final double MAX_SCALE = 1;
  private static final double ONE_OVER_LOG_K = 1.0 / StrictMath.log(10.0);
  private static final double BIN_DELTA = 1;

  private Hough() {}

  /**
   * Selects the matches that agree with the strongest pose.
   *
   * @param m the matches, {@code m.count} of them
   * @param keyWidth keyframe width
   * @param keyHeight keyframe height
   * @param queryWidth frame width
   * @param queryHeight frame height
   * @param votes scratch of at least {@code 16 * m.count} longs
   * @param bins scratch of at least {@code 4 * m.count} doubles
   * @param keep receives the indexes of the surviving matches, in match order
   * @return how many survive
   */
  static int select(
      Matches m,
      int keyWidth,
      int keyHeight,
      int queryWidth,
      int queryHeight,
      long[] votes,
      double[] bins,
      int[] keep) {
    int n = m.count;
    double maxX = queryWidth * 1.2;
    double minX = -maxX;
    double maxY = queryHeight * 1.2;
    double minY = -maxY;
    int maxDim = Math.max(keyWidth, keyHeight);
    int keyCenterX = keyWidth / 2;
    int keyCenterY = keyHeight / 2;
    double[] dims = new double[n];
    for (int i = 0; i < n; i++) {
      dims[i] = m.queryScale[i] / m.keyScale[i] * maxDim;
    }
    Arrays.sort(dims);
    int median = n / 2 - (n % 2 == 0 ? 1 : 0) - 1;
    if (median < 0) {
      // the runtime's bins turn NaN here; fewer than 3 matches give no homography either way
      return 0;
    }
    double binSize = 0.25 * dims[median];
    long xBins = Math.max(5, (long) Math.ceil((maxX - minX) / binSize));
    long yBins = Math.max(5, (long) Math.ceil((maxY - minY) / binSize));
    long xyBins = xBins * yBins;
    long xyAngleBins = xyBins * ANGLE_BINS;
    int voteCount = 0;
    for (int i = 0; i < n; i++) {
      bins[4 * i] = Double.NaN; // not valid
      double angle = m.queryAngle[i] - m.keyAngle[i];
      if (angle <= -Math.PI) {
        angle += 2 * Math.PI;
      } else if (angle > Math.PI) {
        angle -= 2 * Math.PI;
      }
      double scale = m.queryScale[i] / m.keyScale[i];
      double cos = scale * StrictMath.cos(angle);
      double sin = scale * StrictMath.sin(angle);
      double kx = m.keyX[i];
      double ky = m.keyY[i];
      double tx = m.queryX[i] - (cos * kx + -sin * ky);
      double ty = m.queryY[i] - (sin * kx + cos * ky);
      double x = cos * keyCenterX + -sin * keyCenterY + tx;
      double y = sin * keyCenterX + cos * keyCenterY + ty;
      double logScale = StrictMath.log(scale) * ONE_OVER_LOG_K;
      if (x < minX
          || x >= maxX
          || y < minY
          || y >= maxY
          || angle <= -Math.PI
          || angle > Math.PI
          || logScale < MIN_SCALE
          || logScale >= MAX_SCALE) {
        continue;
      }
      double fx = xBins * (x - minX) / (maxX - minX);
      double fy = yBins * (y - minY) / (maxY - minY);
      double fa = ANGLE_BINS * (angle + Math.PI) / (2.0 * Math.PI);
      double fs = SCALE_BINS * (logScale - MIN_SCALE) / (MAX_SCALE - MIN_SCALE);
      long bx = (long) Math.floor(fx - 0.5);
      long by = (long) Math.floor(fy - 0.5);
      long bs = (long) Math.floor(fs - 0.5);
      long ba = ((long) Math.floor(fa - 0.5) + ANGLE_BINS) % ANGLE_BINS;
      if (bx < 0
          || bx + 1 >= xBins
          || by < 0
          || by + 1 >= yBins
          || bs < 0
          || bs + 1 >= SCALE_BINS) {
        continue;
      }
      bins[4 * i] = fx;
      bins[4 * i + 1] = fy;
      bins[4 * i + 2] = fa;
      bins[4 * i + 3] = fs;
      for (int dx = 0; dx < 2; dx++) {
        for (int dy = 0; dy < 2; dy++) {
          for (int da = 0; da < 2; da++) {
            for (int ds = 0; ds < 2; ds++) {
              votes[voteCount++] =
                  (bx + dx)
                      + (by + dy) * xBins
                      + ((ba + da) % ANGLE_BINS) * xyBins
                      + (bs + ds) * xyAngleBins;
            }
          }
        }
      }
    }
    Arrays.sort(votes, 0, voteCount);
    int maxVotes = 0;
    long best = -1;
    for (int i = 0; i < voteCount; ) {
      int j = i;
      while (j < voteCount && votes[j] == votes[i]) {
        j++;
      }
      if (j - i > maxVotes) {
        maxVotes = j - i;
        best = votes[i];
      }
      i = j;
    }
    if (maxVotes < 3) {
      return 0;
    }
    long binX = best % xyAngleBins % xyBins % xBins;
    long binY = (best - binX) % xyAngleBins % xyBins / xBins;
    long binAngle = (best - binX - binY * xBins) % xyAngleBins / xyBins;
    long binScale = (best - binX - binY * xBins - binAngle * xyBins) / xyAngleBins;
    int kept = 0;
    for (int i = 0; i < n; i++) {
      if (Double.isNaN(bins[4 * i])) {
        continue;
      }
      if (Math.abs(bins[4 * i] - (binX + 0.5)) >= BIN_DELTA
          || Math.abs(bins[4 * i + 1] - (binY + 0.5)) >= BIN_DELTA
          || Math.abs(bins[4 * i + 3] - (binScale + 0.5)) >= BIN_DELTA) {
        continue;
      }
      double t = Math.abs(bins[4 * i + 2] - (binAngle + 0.5));
      if (Math.min(t, ANGLE_BINS - t) >= BIN_DELTA) {
        continue;
      }
      keep[kept++] = i;
    }
    return kept;
  }
}
