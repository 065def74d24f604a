package com.arservice.mind;

import com.arservice.mind.detect.GreyImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Test oracle: the straightforward transcription of MindAR's tracker/extract.js that {@link
 * TrackingExtractor} replaced with faster kernels; both must choose the same points.
 */
final class ReferenceTrackingExtractor {

  private static final int SEARCH_SIZE1 = 10;
  private static final int SEARCH_SIZE2 = 2;
  private static final int TEMPLATE_SIZE = 6;
  private static final int TEMPLATE_WIDTH = 2 * TEMPLATE_SIZE + 1;
  private static final int TEMPLATE_PIXELS = TEMPLATE_WIDTH * TEMPLATE_WIDTH;
  private static final double TEMPLATE_SD_THRESH = 5.0;
  private static final double MAX_SIM_THRESH = 0.95;
  private static final double MAX_THRESH = 0.9;
  private static final double MIN_THRESH = 0.2;
  private static final double SD_THRESH = 8.0;

  private ReferenceTrackingExtractor() {}

  /** Template centres in the order MindAR picks them. */
  static List<TrackingImage.Point> extractPoints(GreyImage image) {
    return new Extraction(image).run();
  }

  /** Per-call working state over one image. */
  private static final class Extraction {
    private final int width;
    private final int height;
    private final int[] pix;

    /**
     * Summed-area tables with one leading zero row and column: sum of pixels / squares in [0,x) x
     * [0,y).
     */
    private final long[] sum;

    private final long[] sqSum;

    Extraction(GreyImage image) {
      width = image.width();
      height = image.height();
      byte[] data = image.data();
      pix = new int[data.length];
      for (int i = 0; i < data.length; i++) {
        pix[i] = data[i] & 0xff;
      }
      int w1 = width + 1;
      sum = new long[w1 * (height + 1)];
      sqSum = new long[w1 * (height + 1)];
      for (int y = 0; y < height; y++) {
        long rowSum = 0;
        long rowSq = 0;
        for (int x = 0; x < width; x++) {
          int v = pix[y * width + x];
          rowSum += v;
          rowSq += (long) v * v;
          sum[(y + 1) * w1 + x + 1] = sum[y * w1 + x + 1] + rowSum;
          sqSum[(y + 1) * w1 + x + 1] = sqSum[y * w1 + x + 1] + rowSq;
        }
      }
    }

    /**
     * Sum over the template square centred at (cx, cy); exact integers, as MindAR's double cumsum.
     */
    private double box(long[] table, int cx, int cy) {
      int w1 = width + 1;
      int x1 = cx - TEMPLATE_SIZE;
      int y1 = cy - TEMPLATE_SIZE;
      int x2 = cx + TEMPLATE_SIZE + 1;
      int y2 = cy + TEMPLATE_SIZE + 1;
      return table[y2 * w1 + x2] - table[y1 * w1 + x2] - table[y2 * w1 + x1] + table[y1 * w1 + x1];
    }

    List<TrackingImage.Point> run() {
      boolean[] selected = selectGradientPeaks();
      float[] featureMap = new float[width * height];
      for (int j = 0; j < height; j++) {
        for (int i = 0; i < width; i++) {
          int pos = j * width + i;
          featureMap[pos] = selected[pos] ? (float) maxNearbySimilarity(i, j) : 1.0f;
        }
      }
      return selectFeatures(featureMap);
    }

    private boolean[] selectGradientPeaks() {
      float[] dValue = new float[width * height];
      Arrays.fill(dValue, -1f);
      for (int j = 1; j < height - 1; j++) {
        for (int i = 1; i < width - 1; i++) {
          int pos = i + width * j;
          double dx = 0.0;
          double dy = 0.0;
          for (int k = -1; k <= 1; k++) {
            dx += pix[pos + width * k + 1] - pix[pos + width * k - 1];
            dy += pix[pos + width + k] - pix[pos - width + k];
          }
          dx /= 3 * 256;
          dy /= 3 * 256;
          dValue[pos] = (float) Math.sqrt((dx * dx + dy * dy) / 2);
        }
      }
      int[] hist = new int[1000];
      boolean[] selected = new boolean[width * height];
      for (int j = 1; j < height - 1; j++) {
        for (int i = 1; i < width - 1; i++) {
          int pos = i + width * j;
          float v = dValue[pos];
          if (v > dValue[pos - 1]
              && v > dValue[pos + 1]
              && v > dValue[pos - width]
              && v > dValue[pos + width]) {
            int k = (int) Math.floor(v * 1000.0);
            hist[Math.max(0, Math.min(999, k))]++;
            selected[pos] = true;
          }
        }
      }
      // lowest histogram bin kept so that about 2% of the pixels stay selected
      double maxPoints = 0.02 * width * height;
      int k = 999;
      long count = 0;
      while (k >= 0) {
        count += hist[k];
        if (count > maxPoints) {
          break;
        }
        k--;
      }
      for (int i = 0; i < selected.length; i++) {
        if (selected[i] && dValue[i] * 1000.0 < k) {
          selected[i] = false;
        }
      }
      return selected;
    }

    /**
     * Greatest patch similarity 3..10 px around (i, j), or 1 when the patch is too flat to track.
     */
    private double maxNearbySimilarity(int i, int j) {
      double vlen = templateVar(i, j, TEMPLATE_SD_THRESH);
      if (Double.isNaN(vlen)) {
        return 1.0;
      }
      double max = -1.0;
      outer:
      for (int jj = -SEARCH_SIZE1; jj <= SEARCH_SIZE1; jj++) {
        for (int ii = -SEARCH_SIZE1; ii <= SEARCH_SIZE1; ii++) {
          if (ii * ii + jj * jj <= SEARCH_SIZE2 * SEARCH_SIZE2) {
            continue;
          }
          double sim = similarity(i + ii, j + jj, vlen, i, j);
          if (!Double.isNaN(sim) && sim > max) {
            max = sim;
            if (max > MAX_SIM_THRESH) {
              break outer;
            }
          }
        }
      }
      return max;
    }

    private List<TrackingImage.Point> selectFeatures(float[] featureMap) {
      int occSize = Math.min(width, height) / 10;
      int divSize = TEMPLATE_WIDTH * 3;
      // under 10 px MindAR divides by zero: an unbounded count with no exclusion zone
      int maxFeatureNum =
          occSize == 0
              ? Integer.MAX_VALUE
              : (width / occSize) * (height / occSize) + (width / divSize) * (height / divSize);

      // MindAR rescans the whole map for its smallest value (first in row-major order on ties) each
      // round; values only ever rise to 1, so visiting candidates sorted by (value, index) and
      // skipping those raised meanwhile yields the same sequence.
      int n = 0;
      for (float v : featureMap) {
        if (v < MAX_THRESH) {
          n++;
        }
      }
      long[] keys = new long[n];
      n = 0;
      for (int i = 0; i < featureMap.length; i++) {
        float v = featureMap[i] + 0.0f; // -0 ties with +0 in MindAR's scan
        if (v < MAX_THRESH) {
          // order-preserving int image of the float in the high bits, pixel index in the low bits
          int bits = Float.floatToIntBits(v);
          long orderKey = bits < 0 ? ~bits & 0x7fffffffL : bits | 0x80000000L;
          keys[n++] = (orderKey << 32) | i;
        }
      }
      Arrays.sort(keys);

      float[] image2 = featureMap.clone();
      List<TrackingImage.Point> coords = new ArrayList<>();
      for (int c = 0; c < keys.length && coords.size() < maxFeatureNum; c++) {
        int pos = (int) keys[c];
        if (image2[pos] >= MAX_THRESH) {
          continue;
        }
        double minSim = image2[pos];
        int cx = pos % width;
        int cy = pos / width;

        double vlen = templateVar(cx, cy, 0);
        if (Double.isNaN(vlen) || vlen / TEMPLATE_WIDTH < SD_THRESH) {
          image2[pos] = 1.0f;
          continue;
        }
        if (hasTooSimilarOrTooDistinctNeighbour(cx, cy, vlen, minSim)) {
          image2[pos] = 1.0f;
          continue;
        }
        coords.add(new TrackingImage.Point(cx, cy));
        for (int j = Math.max(0, cy - occSize); j <= Math.min(height - 1, cy + occSize); j++) {
          for (int i = Math.max(0, cx - occSize); i <= Math.min(width - 1, cx + occSize); i++) {
            image2[j * width + i] = 1.0f;
          }
        }
      }
      return coords;
    }

    /** MindAR's rejection test over the 12 pixels within 2 px, with its early exits. */
    private boolean hasTooSimilarOrTooDistinctNeighbour(
        int cx, int cy, double vlen, double minSim) {
      double min = 1.0;
      double max = -1.0;
      for (int j = -SEARCH_SIZE2; j <= SEARCH_SIZE2; j++) {
        for (int i = -SEARCH_SIZE2; i <= SEARCH_SIZE2; i++) {
          if (i * i + j * j > SEARCH_SIZE2 * SEARCH_SIZE2 || (i == 0 && j == 0)) {
            continue;
          }
          double sim = similarity(cx + i, cy + j, vlen, cx, cy);
          if (Double.isNaN(sim)) {
            continue;
          }
          if (sim < min) {
            min = sim;
            if (min < MIN_THRESH && min < minSim) {
              break;
            }
          }
          if (sim > max) {
            max = sim;
            if (max > 0.99) {
              break;
            }
          }
        }
        if ((min < MIN_THRESH && min < minSim) || max > 0.99) {
          return true;
        }
      }
      return false;
    }

    /**
     * Square root of the patch's summed squared deviation, or NaN off the image / below sdThresh.
     */
    private double templateVar(int cx, int cy, double sdThresh) {
      if (cx - TEMPLATE_SIZE < 0
          || cx + TEMPLATE_SIZE >= width
          || cy - TEMPLATE_SIZE < 0
          || cy + TEMPLATE_SIZE >= height) {
        return Double.NaN;
      }
      double s = box(sum, cx, cy);
      double average = s / TEMPLATE_PIXELS;
      double vlen = box(sqSum, cx, cy);
      vlen -= 2 * average * s;
      vlen += TEMPLATE_PIXELS * average * average;
      if (vlen / TEMPLATE_PIXELS < sdThresh * sdThresh) {
        return Double.NaN;
      }
      return Math.sqrt(vlen);
    }

    /**
     * Normalised cross-correlation of the patch at (cx, cy) with the template at (tx, ty); NaN if
     * undefined.
     */
    private double similarity(int cx, int cy, double vlen, int tx, int ty) {
      if (cx - TEMPLATE_SIZE < 0
          || cx + TEMPLATE_SIZE >= width
          || cy - TEMPLATE_SIZE < 0
          || cy + TEMPLATE_SIZE >= height) {
        return Double.NaN;
      }
      double sx = box(sum, cx, cy);
      double sxx = box(sqSum, cx, cy);
      long sxyInt = 0;
      int p1 = (cy - TEMPLATE_SIZE) * width + (cx - TEMPLATE_SIZE);
      int p2 = (ty - TEMPLATE_SIZE) * width + (tx - TEMPLATE_SIZE);
      for (int j = 0; j < TEMPLATE_WIDTH; j++, p1 += width, p2 += width) {
        for (int i = 0; i < TEMPLATE_WIDTH; i++) {
          sxyInt += pix[p1 + i] * pix[p2 + i];
        }
      }
      double templateAverage = box(sum, tx, ty) / TEMPLATE_PIXELS;
      double sxy = sxyInt - templateAverage * sx;
      double vlen2 = sxx - sx * sx / TEMPLATE_PIXELS;
      if (vlen2 == 0) {
        return Double.NaN;
      }
      vlen2 = Math.sqrt(vlen2);
      return 1.0 * sxy / (vlen * vlen2);
    }
  }
}
