package com.arservice.mind;

import com.arservice.mind.detect.GreyImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Chooses tracking template centres on a tracking image exactly as MindAR 1.2.5's {@code
 * tracker/extract.js} does, including its float32 intermediate maps, so the runtime tracker gets
 * the same points as from MindAR's own compiler.
 *
 * <p>Pixels that are local maxima of gradient strength (the strongest ~2% of the image) are scored
 * by how similar their 13x13 patch is to patches 3..10 px away; the least self-similar, textured
 * ones are then taken greedily with a square exclusion zone of a tenth of the short side around
 * each. Stateless and thread-safe.
 */
public final class TrackingExtractor {

  private static final int SEARCH_SIZE1 = 10;
  private static final int SEARCH_SIZE2 = 2;
  private static final int TEMPLATE_SIZE = 6;
  private static final int TEMPLATE_WIDTH = 2 * TEMPLATE_SIZE + 1;
  private static final int TEMPLATE_PIXELS = TEMPLATE_WIDTH * TEMPLATE_WIDTH;
  private static final int SEARCH_WIDTH = 2 * SEARCH_SIZE1 + 1;

  /** Side of the image square the search around one centre reads. */
  private static final int WINDOW = SEARCH_WIDTH + 2 * TEMPLATE_SIZE;

  /**
   * Row stride of the window buffers: at least WINDOW and a multiple of 16 floats, because HotSpot
   * (17) only vectorises the correlation loops when their load offsets are multiples of the vector
   * length.
   */
  private static final int STRIDE = 48;

  /** Distance from a template centre to the edge of its search window. */
  private static final int WINDOW_MARGIN = SEARCH_SIZE1 + TEMPLATE_SIZE;

  private static final double TEMPLATE_SD_THRESH = 5.0;
  private static final double MAX_THRESH = 0.9;
  private static final double MIN_THRESH = 0.2;
  private static final double SD_THRESH = 8.0;

  /**
   * {@code (d / 768.0)^2} for every |d| a 3-pixel gradient sum can reach: MindAR's exact double
   * value of its squared, normalised gradient component (the sum is an exact integer in its doubles
   * too).
   */
  private static final double[] GRADIENT_SQUARE = new double[3 * 255 + 1];

  static {
    for (int d = 0; d < GRADIENT_SQUARE.length; d++) {
      double v = d / (3.0 * 256);
      GRADIENT_SQUARE[d] = v * v;
    }
  }

  private TrackingExtractor() {}

  /** Builds the tracking keyframe for an image already resized to a tracking scale. */
  public static TrackingImage extract(GreyImage image, double scale) {
    return new TrackingImage(
        image.data(), image.width(), image.height(), scale, extractPoints(image));
  }

  /** Template centres in the order MindAR picks them. */
  public static List<TrackingImage.Point> extractPoints(GreyImage image) {
    return new Extraction(image).run();
  }

  /** Per-call working state over one image. */
  private static final class Extraction {
    private final int width;
    private final int height;
    private final int[] pix;

    /**
     * Per template centre (only where the 13x13 template fits): pixel sum, squared-pixel sum, and
     * {@code sqrt(sxx - sx^2 / 169)} (NaN where that is zero, so the similarity comes out NaN and
     * is skipped like MindAR's null). All are exact integers or computed by MindAR's double
     * expression.
     */
    private final int[] patchSum;

    private final int[] patchSqSum;
    private final double[] patchNorm;

    /**
     * The image as floats with a zero border of WINDOW_MARGIN pixels, row-major; null if no
     * template fits.
     */
    private final float[] padded;

    /**
     * The pixels around one template centre that its search can touch, WINDOW square, 0 off-image.
     */
    private final float[] window = new float[WINDOW * STRIDE];

    /**
     * {@link #window} shifted left by the template column being correlated (see {@link
     * #correlate}).
     */
    private final float[] shifted = new float[WINDOW * STRIDE];

    /** The template's pixels, row-major. */
    private final float[] template = new float[TEMPLATE_PIXELS];

    /**
     * Dot products of the template with the patch at offset (ii, jj) at index {@code (jj + 10) *
     * STRIDE + ii + 10}; the other slots of each row are by-products.
     */
    private final float[] dots = new float[SEARCH_WIDTH * STRIDE];

    Extraction(GreyImage image) {
      width = image.width();
      height = image.height();
      byte[] data = image.data();
      pix = new int[data.length];
      for (int i = 0; i < data.length; i++) {
        pix[i] = data[i] & 0xff;
      }
      patchSum = new int[pix.length];
      patchSqSum = new int[pix.length];
      patchNorm = new double[pix.length];
      if (width < TEMPLATE_WIDTH || height < TEMPLATE_WIDTH) {
        padded = null;
        return;
      }
      int paddedWidth = width + 2 * WINDOW_MARGIN;
      padded = new float[paddedWidth * (height + 2 * WINDOW_MARGIN)];
      for (int y = 0; y < height; y++) {
        int to = (y + WINDOW_MARGIN) * paddedWidth + WINDOW_MARGIN;
        for (int x = 0; x < width; x++) {
          padded[to + x] = pix[y * width + x];
        }
      }
      // vertical 13-row sums per column, then horizontal 13-column sums of those
      int[] colSum = new int[width];
      int[] colSq = new int[width];
      for (int y = 0; y < height; y++) {
        int row = y * width;
        for (int x = 0; x < width; x++) {
          int v = pix[row + x];
          colSum[x] += v;
          colSq[x] += v * v;
        }
        if (y >= TEMPLATE_WIDTH) {
          int out = (y - TEMPLATE_WIDTH) * width;
          for (int x = 0; x < width; x++) {
            int v = pix[out + x];
            colSum[x] -= v;
            colSq[x] -= v * v;
          }
        }
        if (y < TEMPLATE_WIDTH - 1) {
          continue;
        }
        int centre = (y - TEMPLATE_SIZE) * width;
        int s = 0;
        int sq = 0;
        for (int x = 0; x < width; x++) {
          s += colSum[x];
          sq += colSq[x];
          if (x >= TEMPLATE_WIDTH) {
            s -= colSum[x - TEMPLATE_WIDTH];
            sq -= colSq[x - TEMPLATE_WIDTH];
          }
          if (x >= TEMPLATE_WIDTH - 1) {
            int pos = centre + x - TEMPLATE_SIZE;
            patchSum[pos] = s;
            patchSqSum[pos] = sq;
            double sx = s;
            double norm = (double) sq - sx * sx / TEMPLATE_PIXELS;
            patchNorm[pos] = norm == 0 ? Double.NaN : Math.sqrt(norm);
          }
        }
      }
    }

    private boolean templateFits(int cx, int cy) {
      return cx - TEMPLATE_SIZE >= 0
          && cx + TEMPLATE_SIZE < width
          && cy - TEMPLATE_SIZE >= 0
          && cy + TEMPLATE_SIZE < height;
    }

    List<TrackingImage.Point> run() {
      boolean[] selected = selectGradientPeaks();
      float[] featureMap = new float[width * height];
      boolean[] lowerBound = new boolean[width * height];
      for (int j = 0; j < height; j++) {
        for (int i = 0; i < width; i++) {
          int pos = j * width + i;
          float v = 1.0f;
          if (selected[pos]) {
            double vlen = templateVar(i, j, TEMPLATE_SD_THRESH);
            if (!Double.isNaN(vlen)) {
              v = (float) nearRowsSimilarity(i, j, vlen);
              lowerBound[pos] = v < MAX_THRESH;
            }
          }
          featureMap[pos] = v;
        }
      }
      return selectFeatures(featureMap, lowerBound);
    }

    private boolean[] selectGradientPeaks() {
      float[] dValue = new float[width * height];
      Arrays.fill(dValue, -1f);
      for (int j = 1; j < height - 1; j++) {
        for (int i = 1; i < width - 1; i++) {
          int pos = i + width * j;
          int dx = 0;
          int dy = 0;
          for (int k = -1; k <= 1; k++) {
            dx += pix[pos + width * k + 1] - pix[pos + width * k - 1];
            dy += pix[pos + width + k] - pix[pos - width + k];
          }
          double sq = GRADIENT_SQUARE[Math.abs(dx)] + GRADIENT_SQUARE[Math.abs(dy)];
          dValue[pos] = (float) Math.sqrt(sq / 2);
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

    /*
     * MindAR's feature-map value of a selected pixel with a textured template is the greatest patch
     * similarity 3..10 px around it, scanned row by row and stopping at the first one above 0.95.
     * Only values below MAX_THRESH (as float) are ever used afterwards, and such a value means no
     * similarity exceeded 0.95, so it is the maximum over the whole search area in any visiting
     * order. A maximum over part of the area is thus a lower bound that, once at MAX_THRESH, makes
     * the pixel unusable exactly when MindAR's value does.
     */

    /** Greatest similarity of the patches in the three nearest search rows: a lower bound. */
    private double nearRowsSimilarity(int i, int j, double vlen) {
      loadWindow(i, j);
      double templateAverage = (double) patchSum[j * width + i] / TEMPLATE_PIXELS;
      correlate(SEARCH_SIZE1 - 1, SEARCH_SIZE1 + 1);
      return maxSimilarity(i, j, vlen, templateAverage, -1, 1, -1.0);
    }

    /**
     * Greatest similarity over the whole search area: MindAR's value wherever it is below
     * MAX_THRESH.
     */
    private double searchAreaSimilarity(int i, int j) {
      double vlen = templateVar(i, j, TEMPLATE_SD_THRESH);
      loadWindow(i, j);
      double templateAverage = (double) patchSum[j * width + i] / TEMPLATE_PIXELS;
      correlate(0, 2 * SEARCH_SIZE1);
      return maxSimilarity(i, j, vlen, templateAverage, -SEARCH_SIZE1, SEARCH_SIZE1, -1.0);
    }

    /** Copies the template at (i, j) and the search square around it into the float buffers. */
    private void loadWindow(int i, int j) {
      // padded has WINDOW_MARGIN extra pixels on each side, so the window's corner is (i, j) there
      int paddedWidth = width + 2 * WINDOW_MARGIN;
      for (int y = 0; y < WINDOW; y++) {
        System.arraycopy(padded, (j + y) * paddedWidth + i, window, y * STRIDE, WINDOW);
      }
      for (int r = 0; r < TEMPLATE_WIDTH; r++) {
        System.arraycopy(
            window,
            (SEARCH_SIZE1 + r) * STRIDE + SEARCH_SIZE1,
            template,
            r * TEMPLATE_WIDTH,
            TEMPLATE_WIDTH);
      }
    }

    /**
     * Fills {@link #dots} for search rows {@code rowFrom..rowTo} (0-based). For each template
     * column the window is shifted into {@link #shifted} so that the loop below reads it only at
     * constant offsets (multiples of {@link #STRIDE}) from the loop index, a form the JIT
     * vectorises. Float is exact here: every partial sum is an integer below 169 * 255^2 < 2^24,
     * whatever the order of additions.
     */
    private void correlate(int rowFrom, int rowTo) {
      float[] acc = dots;
      float[] w = shifted;
      float[] tp = template;
      int from = rowFrom * STRIDE;
      int to = rowTo * STRIDE + SEARCH_WIDTH;
      Arrays.fill(acc, from, to, 0f);
      int span =
          to - from + (TEMPLATE_WIDTH - 1) * STRIDE; // the part of the window these rows read
      for (int c = 0; c < TEMPLATE_WIDTH; c++) {
        System.arraycopy(window, from + c, w, from, span);
        float t0 = tp[c];
        float t1 = tp[13 + c];
        float t2 = tp[26 + c];
        float t3 = tp[39 + c];
        float t4 = tp[52 + c];
        float t5 = tp[65 + c];
        float t6 = tp[78 + c];
        float t7 = tp[91 + c];
        float t8 = tp[104 + c];
        float t9 = tp[117 + c];
        float t10 = tp[130 + c];
        float t11 = tp[143 + c];
        float t12 = tp[156 + c];
        // template rows in groups of 4, 4, 5: longer sums stop HotSpot from vectorising
        for (int k = from; k < to; k++) {
          acc[k] += t0 * w[k] + t1 * w[k + 48] + t2 * w[k + 96] + t3 * w[k + 144];
        }
        for (int k = from; k < to; k++) {
          acc[k] += t4 * w[k + 192] + t5 * w[k + 240] + t6 * w[k + 288] + t7 * w[k + 336];
        }
        for (int k = from; k < to; k++) {
          acc[k] +=
              t8 * w[k + 384]
                  + t9 * w[k + 432]
                  + t10 * w[k + 480]
                  + t11 * w[k + 528]
                  + t12 * w[k + 576];
        }
      }
    }

    /**
     * Running maximum of the similarities of patches at offsets jj in [jjFrom, jjTo] that fit the
     * image.
     */
    private double maxSimilarity(
        int i, int j, double vlen, double templateAverage, int jjFrom, int jjTo, double max) {
      int iiMin = Math.max(-SEARCH_SIZE1, TEMPLATE_SIZE - i);
      int iiMax = Math.min(SEARCH_SIZE1, width - 1 - TEMPLATE_SIZE - i);
      int jjMin = Math.max(jjFrom, TEMPLATE_SIZE - j);
      int jjMax = Math.min(jjTo, height - 1 - TEMPLATE_SIZE - j);
      for (int jj = jjMin; jj <= jjMax; jj++) {
        int row = (jj + SEARCH_SIZE1) * STRIDE + SEARCH_SIZE1;
        int cRow = (j + jj) * width + i;
        for (int ii = iiMin; ii <= iiMax; ii++) {
          if (ii * ii + jj * jj <= SEARCH_SIZE2 * SEARCH_SIZE2) {
            continue;
          }
          int cPos = cRow + ii;
          double sxy = dots[row + ii] - templateAverage * patchSum[cPos];
          double sim = 1.0 * sxy / (vlen * patchNorm[cPos]);
          if (sim > max) {
            max = sim;
          }
        }
      }
      return max;
    }

    /**
     * MindAR's greedy choice. {@code featureMap} holds final values, except where {@code
     * lowerBound} is set: there it holds a lower bound, made exact only if the pixel's turn comes.
     */
    private List<TrackingImage.Point> selectFeatures(float[] featureMap, boolean[] lowerBound) {
      int occSize = Math.min(width, height) / 10;
      int divSize = TEMPLATE_WIDTH * 3;
      // under 10 px MindAR divides by zero: an unbounded count with no exclusion zone
      int maxFeatureNum =
          occSize == 0
              ? Integer.MAX_VALUE
              : (width / occSize) * (height / occSize) + (width / divSize) * (height / divSize);

      // MindAR rescans the whole map for its smallest value (first in row-major order on ties) each
      // round; values only ever rise to 1, so visiting candidates in (value, index) order and
      // skipping those raised meanwhile yields the same sequence. A candidate known by a lower
      // bound
      // is made exact when it comes first and queued again: nothing before it can change, and most
      // candidates fall in an exclusion zone before their turn, so their search is never finished.
      int n = 0;
      for (float v : featureMap) {
        if (v < MAX_THRESH) {
          n++;
        }
      }
      long[] keys = new long[n];
      n = 0;
      for (int i = 0; i < featureMap.length; i++) {
        if (featureMap[i] < MAX_THRESH) {
          keys[n++] = candidateKey(featureMap[i], i);
        }
      }
      Arrays.sort(keys); // a sorted array is a valid min-heap
      LongHeap queue = new LongHeap(keys);

      float[] image2 = featureMap.clone();
      List<TrackingImage.Point> coords = new ArrayList<>();
      while (!queue.isEmpty() && coords.size() < maxFeatureNum) {
        int pos = (int) queue.pop();
        if (image2[pos] >= MAX_THRESH) {
          continue;
        }
        int cx = pos % width;
        int cy = pos / width;
        if (lowerBound[pos]) {
          lowerBound[pos] = false;
          float v = (float) searchAreaSimilarity(cx, cy);
          image2[pos] = v;
          if (v < MAX_THRESH) {
            queue.push(candidateKey(v, pos));
          }
          continue;
        }
        double minSim = image2[pos];

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

    /** Sort key ordering candidates by value, then pixel index. */
    private static long candidateKey(float value, int pos) {
      int bits = Float.floatToIntBits(value + 0.0f); // -0 ties with +0 in MindAR's scan
      // order-preserving int image of the float in the high bits, pixel index in the low bits
      long orderKey = bits < 0 ? ~bits & 0x7fffffffL : bits | 0x80000000L;
      return (orderKey << 32) | pos;
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
      if (!templateFits(cx, cy)) {
        return Double.NaN;
      }
      int pos = cy * width + cx;
      double s = patchSum[pos];
      double average = s / TEMPLATE_PIXELS;
      double vlen = patchSqSum[pos];
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
      if (!templateFits(cx, cy)) {
        return Double.NaN;
      }
      int sxyInt = 0;
      int p1 = (cy - TEMPLATE_SIZE) * width + (cx - TEMPLATE_SIZE);
      int p2 = (ty - TEMPLATE_SIZE) * width + (tx - TEMPLATE_SIZE);
      for (int j = 0; j < TEMPLATE_WIDTH; j++, p1 += width, p2 += width) {
        for (int i = 0; i < TEMPLATE_WIDTH; i++) {
          sxyInt += pix[p1 + i] * pix[p2 + i];
        }
      }
      int cPos = cy * width + cx;
      double templateAverage = (double) patchSum[ty * width + tx] / TEMPLATE_PIXELS;
      double sxy = sxyInt - templateAverage * patchSum[cPos];
      return 1.0 * sxy / (vlen * patchNorm[cPos]);
    }
  }

  /** Binary min-heap of longs over an array that starts out as a valid heap. */
  private static final class LongHeap {
    private long[] heap;
    private int size;

    LongHeap(long[] initial) {
      heap = initial;
      size = initial.length;
    }

    boolean isEmpty() {
      return size == 0;
    }

    void push(long key) {
      if (size == heap.length) {
        heap = Arrays.copyOf(heap, Math.max(16, 2 * size));
      }
      int i = size++;
      while (i > 0 && heap[(i - 1) >> 1] > key) {
        heap[i] = heap[(i - 1) >> 1];
        i = (i - 1) >> 1;
      }
      heap[i] = key;
    }

    long pop() {
      long top = heap[0];
      long last = heap[--size];
      int i = 0;
      while (true) {
        int child = 2 * i + 1;
        if (child >= size) {
          break;
        }
        if (child + 1 < size && heap[child + 1] < heap[child]) {
          child++;
        }
        if (heap[child] >= last) {
          break;
        }
        heap[i] = heap[child];
        i = child;
      }
      heap[i] = last;
      return top;
    }
  }
}
