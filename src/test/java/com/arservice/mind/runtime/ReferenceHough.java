package com.arservice.mind.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * MindAR 1.2.5's Hough vote written as plainly as its {@code hough.js}: a dictionary of votes read
 * in ascending key order, bins from the mapped similarity of each match. The oracle for {@link
 * Hough}.
 */
final class ReferenceHough {

  private ReferenceHough() {}

  static List<Integer> select(Matches m, int kw, int kh, int qw, int qh) {
    int n = m.count;
    double maxX = qw * 1.2;
    double minX = -maxX;
    double maxY = qh * 1.2;
    double minY = -maxY;
    List<Double> dims = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      dims.add(m.queryScale[i] / m.keyScale[i] * Math.max(kw, kh));
    }
    dims.sort(null);
    int medianIndex = n / 2 - (n % 2 == 0 ? 1 : 0) - 1;
    if (medianIndex < 0) {
      return List.of();
    }
    double binSize = 0.25 * dims.get(medianIndex);
    double xBins = Math.max(5, Math.ceil((maxX - minX) / binSize));
    double yBins = Math.max(5, Math.ceil((maxY - minY) / binSize));
    double xyBins = xBins * yBins;
    double xyaBins = xyBins * 12;
    Map<Double, Integer> votes = new TreeMap<>();
    double[][] loc = new double[n][];
    for (int i = 0; i < n; i++) {
      double angle = m.queryAngle[i] - m.keyAngle[i];
      if (angle <= -Math.PI) {
        angle += 2 * Math.PI;
      } else if (angle > Math.PI) {
        angle -= 2 * Math.PI;
      }
      double scale = m.queryScale[i] / m.keyScale[i];
      double[] s = {
        scale * StrictMath.cos(angle),
        -(scale * StrictMath.sin(angle)),
        scale * StrictMath.sin(angle),
        scale * StrictMath.cos(angle)
      };
      double tx = m.queryX[i] - (s[0] * m.keyX[i] + s[1] * m.keyY[i]);
      double ty = m.queryY[i] - (s[2] * m.keyX[i] + s[3] * m.keyY[i]);
      double x = s[0] * Math.floor(kw / 2.0) + s[1] * Math.floor(kh / 2.0) + tx;
      double y = s[2] * Math.floor(kw / 2.0) + s[3] * Math.floor(kh / 2.0) + ty;
      double logScale = StrictMath.log(scale) * (1.0 / StrictMath.log(10.0));
      if (x < minX || x >= maxX || y < minY || y >= maxY || logScale < -1 || logScale >= 1) {
        continue;
      }
      double fx = xBins * (x - minX) / (maxX - minX);
      double fy = yBins * (y - minY) / (maxY - minY);
      double fa = 12 * (angle + Math.PI) / (2.0 * Math.PI);
      double fs = 10 * (logScale + 1) / 2;
      double bx = Math.floor(fx - 0.5);
      double by = Math.floor(fy - 0.5);
      double bs = Math.floor(fs - 0.5);
      double ba = (Math.floor(fa - 0.5) + 12) % 12;
      if (bx < 0 || bx + 1 >= xBins || by < 0 || by + 1 >= yBins || bs < 0 || bs + 1 >= 10) {
        continue;
      }
      loc[i] = new double[] {fx, fy, fa, fs};
      for (int dx = 0; dx < 2; dx++) {
        for (int dy = 0; dy < 2; dy++) {
          for (int da = 0; da < 2; da++) {
            for (int ds = 0; ds < 2; ds++) {
              double index =
                  (bx + dx) + (by + dy) * xBins + ((ba + da) % 12) * xyBins + (bs + ds) * xyaBins;
              votes.merge(index, 1, Integer::sum);
            }
          }
        }
      }
    }
    int max = 0;
    double best = -1;
    for (Map.Entry<Double, Integer> e : votes.entrySet()) {
      if (e.getValue() > max) {
        max = e.getValue();
        best = e.getKey();
      }
    }
    if (max < 3) {
      return List.of();
    }
    double binX = Math.floor(best % xyaBins % xyBins % xBins);
    double binY = Math.floor((best - binX) % xyaBins % xyBins / xBins);
    double binA = Math.floor((best - binX - binY * xBins) % xyaBins / xyBins);
    double binS = Math.floor((best - binX - binY * xBins - binA * xyBins) / xyaBins);
    List<Integer> kept = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double[] b = loc[i];
      if (b == null
          || Math.abs(b[0] - (binX + 0.5)) >= 1
          || Math.abs(b[1] - (binY + 0.5)) >= 1
          || Math.abs(b[3] - (binS + 0.5)) >= 1) {
        continue;
      }
      double t = Math.abs(b[2] - (binA + 0.5));
      if (Math.min(t, 12 - t) < 1) {
        kept.add(i);
      }
    }
    return kept;
  }
}
