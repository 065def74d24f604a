package com.arservice.mind.detect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * MindAR 1.2.5's keypoint detector (its {@code detector.js} with the CPU kernels), in plain Java: a
 * binomial Gaussian pyramid, difference-of-Gaussian extrema filtered by contrast and edge response,
 * the strongest 5 per cell of a 10x10 grid, sub-pixel localisation, a dominant orientation from a
 * smoothed 36-bin gradient histogram, and a 666-bit FREAK descriptor.
 *
 * <p>Arithmetic follows MindAR's: values that MindAR keeps in float32 tensors are rounded to {@code
 * float} at the same points, expressions MindAR evaluates in JavaScript doubles are evaluated in
 * {@code double} in the same order, and reads outside an image clamp to its border. The output is
 * therefore MindAR's, bit for bit (checked against MindAR itself on photos and synthetic textures
 * at every scale of the image list); the only conceivable source of a difference is the last bit of
 * the trigonometric functions, where {@link StrictMath} and V8 both use fdlibm's algorithms.
 *
 * <p>An instance owns the buffers for one image size and reuses them across calls; it is not
 * thread-safe. Create one per thread and size.
 */
public final class Detector {

  private static final int PYRAMID_MIN_SIZE = 8;
  private static final int PYRAMID_MAX_OCTAVE = 5;

  /**
   * MindAR drops DoG values with value^2 < 9; a float's square is exact in double, so that is
   * |value| < 3.
   */
  private static final float LAPLACIAN_THRESHOLD = 3.0f;

  private static final double EDGE_HESSIAN_THRESHOLD = (4.0 + 1) * (4.0 + 1) / 4.0;

  /** Extrema closer than this to the border are dropped so the FREAK pattern stays inside. */
  private static final int BORDER = 7;

  private static final int BUCKETS_PER_DIMENSION = 10;
  private static final int FEATURES_PER_BUCKET = 5;
  static final int MAX_FEATURES =
      BUCKETS_PER_DIMENSION * BUCKETS_PER_DIMENSION * FEATURES_PER_BUCKET;
  private static final int BINS = 36;
  private static final int SMOOTHING_ITERATIONS = 5;
  private static final double ONE_OVER_2PI = 0.159154943091895;
  private static final double FREAK_EXPANSION = 7.0;

  /**
   * Orientation sampling disc: offsets and Gaussian weights (float, as MindAR's tensor holds them).
   */
  private static final int[] RADIAL_DY;

  private static final int[] RADIAL_DX;
  private static final float[] RADIAL_W;

  static {
    double gaussianExpansion = 3.0;
    double gwScale = -1.0 / (2 * gaussianExpansion * gaussianExpansion);
    double radius = gaussianExpansion * 1.5;
    int radiusCeil = (int) Math.ceil(radius);
    int[] dy = new int[(2 * radiusCeil + 1) * (2 * radiusCeil + 1)];
    int[] dx = new int[dy.length];
    float[] w = new float[dy.length];
    int n = 0;
    for (int y = -radiusCeil; y <= radiusCeil; y++) {
      for (int x = -radiusCeil; x <= radiusCeil; x++) {
        int d2 = x * x + y * y;
        if (d2 <= radius * radius) {
          double t = d2 * gwScale;
          // MindAR's truncated Taylor series of exp(t), kept for identical weights
          double e =
              (720 + t * (720 + t * (360 + t * (120 + t * (30 + t * (6 + t)))))) * 0.0013888888;
          dy[n] = y;
          dx[n] = x;
          w[n] = (float) e;
          n++;
        }
      }
    }
    RADIAL_DY = Arrays.copyOf(dy, n);
    RADIAL_DX = Arrays.copyOf(dx, n);
    RADIAL_W = Arrays.copyOf(w, n);
  }

  private final int width;
  private final int height;
  private final int numOctaves;
  final int[] octaveWidth;
  final int[] octaveHeight;

  /** Per octave: the first and second Gaussian image, and their difference. */
  final float[][] gaussian1;

  final float[][] gaussian2;
  final float[][] dog;

  /** Extremum map per octave (only octaves 1 .. numOctaves-2 are filled): DoG value or 0. */
  final float[][] extremas;

  /**
   * Octave 0 in exact integers: a padded input row, its five shifted copies, two 5-row rings, row
   * buffers.
   */
  private final int[] padded;

  private final int[][] shifted;
  private final int[][] ring1;
  private final int[][] ring2;
  private final int[] rowInt;
  private final float[] rowFloatA;
  private final float[] rowFloatB;

  /**
   * Octaves 1+: one source row widened to double, and the horizontal pass (float values held in
   * doubles).
   */
  private final double[] rowWide;

  private final double[] rowPass;

  /** Octave 0 of fractional input: as {@link #rowWide} and {@link #rowPass}, made on first use. */
  private double[] firstRowWide;

  private double[] firstRowPass;

  /** The DoG of the octave above the one searched for extrema, widened to double. */
  private final double[] aboveWide;

  // pruned extrema, bucket-major: score, octave, integer y, x
  final double[] prunedScore = new double[MAX_FEATURES];
  final int[] prunedOctave = new int[MAX_FEATURES];
  final int[] prunedY = new int[MAX_FEATURES];
  final int[] prunedX = new int[MAX_FEATURES];
  private final double[] bucketAbsScore = new double[MAX_FEATURES];
  // localised extrema (float32, as MindAR's tensor) and their angles
  final float[] localScore = new float[MAX_FEATURES];
  final float[] localY = new float[MAX_FEATURES];
  final float[] localX = new float[MAX_FEATURES];
  final float[] angles = new float[MAX_FEATURES];

  private final double[] histogramSum = new double[BINS];
  private final double[] histogram = new double[BINS];
  private final double[] histogramNext = new double[BINS];
  private final float[] freakValues = new float[FreakPattern.POINT_COUNT];
  private final double[] freakShifted = new double[FreakPattern.POINT_COUNT];

  /**
   * Prepares a detector for images of one size.
   *
   * @param width image width in pixels
   * @param height image height in pixels
   */
  public Detector(int width, int height) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("image size " + width + "x" + height);
    }
    this.width = width;
    this.height = height;
    // halve until a side drops below 8 pixels, at most 5 octaves
    int octaves = 0;
    double w = width;
    double h = height;
    while (w >= PYRAMID_MIN_SIZE && h >= PYRAMID_MIN_SIZE) {
      w /= 2;
      h /= 2;
      octaves++;
      if (octaves == PYRAMID_MAX_OCTAVE) {
        break;
      }
    }
    numOctaves = octaves;
    octaveWidth = new int[octaves];
    octaveHeight = new int[octaves];
    gaussian1 = new float[octaves][];
    gaussian2 = new float[octaves][];
    dog = new float[octaves][];
    extremas = new float[octaves][];
    int ow = width;
    int oh = height;
    for (int o = 0; o < octaves; o++) {
      octaveWidth[o] = ow;
      octaveHeight[o] = oh;
      gaussian1[o] = new float[ow * oh];
      gaussian2[o] = new float[ow * oh];
      dog[o] = new float[ow * oh];
      if (o >= 1 && o < octaves - 1) {
        extremas[o] = new float[ow * oh];
      }
      ow /= 2;
      oh /= 2;
    }
    padded = new int[width + 4];
    shifted = new int[5][width];
    ring1 = new int[5][width];
    ring2 = new int[5][width];
    rowInt = new int[width];
    rowFloatA = new float[width];
    rowFloatB = new float[width];
    rowWide = new double[octaves > 1 ? octaveWidth[1] : 0];
    rowPass = new double[octaves > 1 ? octaveWidth[1] * octaveHeight[1] : 0];
    aboveWide = new double[octaves > 2 ? octaveWidth[2] * octaveHeight[2] : 0];
  }

  /** Image width this detector was made for. */
  public int width() {
    return width;
  }

  /** Image height this detector was made for. */
  public int height() {
    return height;
  }

  /** Number of pyramid octaves (at most 5); extrema are searched in octaves 1 .. n-2. */
  public int numOctaves() {
    return numOctaves;
  }

  /**
   * Detects the feature points of one grey image.
   *
   * @param grey {@code width * height} unsigned 8-bit intensities, row-major
   * @return the points in MindAR's order (grid cell by cell, strongest first within a cell); their
   *     coordinates are in the pixels of this image
   */
  public List<FeaturePoint> detect(byte[] grey) {
    checkLength(grey.length);
    if (numOctaves < 3) {
      return new ArrayList<>(); // extrema need an octave above and below
    }
    firstOctave(grey, octaveWidth[0], octaveHeight[0]);
    return detectFromFirstOctave();
  }

  /**
   * Detects the feature points of a grey image with fractional intensities, as MindAR's runtime
   * gets them from a camera frame (its luma, {@code 0.299 r + 0.587 g + 0.114 b} in float32).
   *
   * @param grey {@code width * height} intensities in 0..255, row-major
   * @return the points as {@link #detect(byte[])} returns them
   */
  public List<FeaturePoint> detect(float[] grey) {
    checkLength(grey.length);
    if (numOctaves < 3) {
      return new ArrayList<>();
    }
    // fractional input makes the integer shortcut of octave 0 inexact: the float kernel runs
    int w = octaveWidth[0];
    int h = octaveHeight[0];
    if (firstRowWide == null) {
      firstRowWide = new double[w];
      firstRowPass = new double[w * h];
    }
    binomialFilter(grey, gaussian1[0], firstRowWide, firstRowPass, w, h);
    binomialFilter(gaussian1[0], gaussian2[0], firstRowWide, firstRowPass, w, h);
    float[] a = gaussian1[0];
    float[] b = gaussian2[0];
    float[] d = dog[0];
    for (int i = 0; i < w * h; i++) {
      d[i] = a[i] - b[i];
    }
    return detectFromFirstOctave();
  }

  private void checkLength(int pixels) {
    if (pixels != width * height) {
      throw new IllegalArgumentException("expected " + width * height + " pixels, got " + pixels);
    }
  }

  private List<FeaturePoint> detectFromFirstOctave() {
    List<FeaturePoint> points = new ArrayList<>();
    buildUpperOctaves();
    Arrays.fill(prunedScore, 0);
    Arrays.fill(bucketAbsScore, 0);
    Arrays.fill(prunedOctave, 0);
    Arrays.fill(prunedY, 0);
    Arrays.fill(prunedX, 0);
    for (int o = 1; o < numOctaves - 1; o++) {
      findExtremas(o);
      prune(o);
    }
    localize();
    for (int i = 0; i < MAX_FEATURES; i++) {
      if (localScore[i] == 0) {
        continue;
      }
      angles[i] = orientation(i);
      int[] descriptor = describe(i);
      int octave = prunedOctave[i];
      double scale = Math.pow(2, octave);
      double half = Math.pow(2, octave - 1);
      points.add(
          new FeaturePoint(
              localScore[i] > 0,
              localX[i] * scale + half - 0.5,
              localY[i] * scale + half - 0.5,
              scale,
              angles[i],
              descriptor));
    }
    return points;
  }

  private void buildUpperOctaves() {
    for (int o = 1; o < numOctaves; o++) {
      int w = octaveWidth[o];
      int h = octaveHeight[o];
      downsample(gaussian2[o - 1], octaveWidth[o - 1], gaussian1[o], w, h);
      binomialFilter(gaussian1[o], gaussian2[o], rowWide, rowPass, w, h);
      float[] a = gaussian1[o];
      float[] b = gaussian2[o];
      float[] d = dog[o];
      for (int i = 0; i < w * h; i++) {
        d[i] = a[i] - b[i];
      }
    }
  }

  /**
   * Both filters of octave 0 in integers. From 8-bit input, the first filter's value is S1 / 256
   * and the second's S2 / 65536 with integers S1 < 2^16 and S2 < 2^24, so every double sum MindAR
   * forms is exact and every float32 rounding is a no-op: integer arithmetic gives identical
   * floats, faster. The passes are pipelined row by row through 5-row rings so the intermediates
   * stay in cache, and every inner loop indexes whole-row arrays at the same position so the JIT
   * can vectorise it.
   */
  private void firstOctave(byte[] grey, int w, int h) {
    float[] g1 = gaussian1[0];
    float[] g2 = gaussian2[0];
    float[] d = dog[0];
    int[] s1 = rowInt;
    float[] fa = rowFloatA;
    float[] fb = rowFloatB;
    for (int t = 0; t < h + 4; t++) {
      if (t < h) {
        int base = t * w;
        for (int x = 0; x < w; x++) {
          padded[x + 2] = grey[base + x] & 0xff;
        }
        rowFilter(ring1[t % 5], w);
      }
      int r = t - 2; // first filter's row r is complete once input row r + 2 is filtered
      if (r >= 0 && r < h) {
        int[] a0 = ring1[clamp(r - 2, h) % 5];
        int[] a1 = ring1[clamp(r - 1, h) % 5];
        int[] a2 = ring1[r % 5];
        int[] a3 = ring1[clamp(r + 1, h) % 5];
        int[] a4 = ring1[clamp(r + 2, h) % 5];
        // integer sums and float conversion in separate loops: only the former vectorises
        for (int x = 0; x < w; x++) {
          s1[x] = a0[x] + 4 * (a1[x] + a3[x]) + 6 * a2[x] + a4[x];
        }
        for (int x = 0; x < w; x++) {
          fa[x] = s1[x] * (1f / 256);
        }
        System.arraycopy(fa, 0, g1, r * w, w);
        System.arraycopy(s1, 0, padded, 2, w);
        rowFilter(ring2[r % 5], w);
      }
      int q = t - 4;
      if (q >= 0 && q < h) {
        int[] b0 = ring2[clamp(q - 2, h) % 5];
        int[] b1 = ring2[clamp(q - 1, h) % 5];
        int[] b2 = ring2[q % 5];
        int[] b3 = ring2[clamp(q + 1, h) % 5];
        int[] b4 = ring2[clamp(q + 2, h) % 5];
        int base = q * w;
        System.arraycopy(g1, base, fa, 0, w);
        for (int x = 0; x < w; x++) {
          s1[x] = b0[x] + 4 * (b1[x] + b3[x]) + 6 * b2[x] + b4[x];
        }
        for (int x = 0; x < w; x++) {
          float v = s1[x] * (1f / 65536);
          fb[x] = v;
          fa[x] = fa[x] - v;
        }
        System.arraycopy(fb, 0, g2, base, w);
        System.arraycopy(fa, 0, d, base, w);
      }
    }
  }

  /**
   * Unnormalised [1 4 6 4 1] filter of the row held in {@code padded[2 .. w + 1]}, ends clamped.
   * The row is first copied at the five tap offsets so the sum reads all five at the same index.
   */
  private void rowFilter(int[] dst, int w) {
    padded[0] = padded[1] = padded[2];
    padded[w + 2] = padded[w + 3] = padded[w + 1];
    for (int k = 0; k < 5; k++) {
      System.arraycopy(padded, k, shifted[k], 0, w);
    }
    int[] p0 = shifted[0];
    int[] p1 = shifted[1];
    int[] p2 = shifted[2];
    int[] p3 = shifted[3];
    int[] p4 = shifted[4];
    for (int x = 0; x < w; x++) {
      dst[x] = p0[x] + 4 * (p1[x] + p3[x]) + 6 * p2[x] + p4[x];
    }
  }

  /**
   * Separable [1 4 6 4 1]^2 / 256 filter with clamped borders ({@code w >= 4}; every octave of a
   * detector with extrema is at least 8 wide). Each pass sums in double and rounds to float, as
   * MindAR's two float32 kernels do. Rows are widened to double once and the intermediate pass is
   * kept in doubles (holding float values): converting inside the sums is several times slower.
   *
   * @param row at least {@code w} doubles of scratch
   * @param tmp at least {@code w * h} doubles of scratch
   */
  static void binomialFilter(float[] src, float[] dst, double[] row, double[] tmp, int w, int h) {
    for (int y = 0; y < h; y++) {
      int base = y * w;
      for (int x = 0; x < w; x++) {
        row[x] = src[base + x];
      }
      double first = row[0];
      double second = row[1];
      tmp[base] = (float) ((((first + first * 4.0) + first * 6.0) + second * 4.0) + row[2]);
      tmp[base + 1] = (float) ((((first + first * 4.0) + second * 6.0) + row[2] * 4.0) + row[3]);
      for (int x = 2; x < w - 2; x++) {
        tmp[base + x] =
            (float)
                ((((row[x - 2] + row[x - 1] * 4.0) + row[x] * 6.0) + row[x + 1] * 4.0)
                    + row[x + 2]);
      }
      double last = row[w - 1];
      double beforeLast = row[w - 2];
      tmp[base + w - 2] =
          (float) ((((row[w - 4] + row[w - 3] * 4.0) + beforeLast * 6.0) + last * 4.0) + last);
      tmp[base + w - 1] =
          (float) ((((row[w - 3] + beforeLast * 4.0) + last * 6.0) + last * 4.0) + last);
    }
    for (int y = 0; y < h; y++) {
      int r0 = clamp(y - 2, h) * w;
      int r1 = clamp(y - 1, h) * w;
      int r2 = y * w;
      int r3 = clamp(y + 1, h) * w;
      int r4 = clamp(y + 2, h) * w;
      for (int x = 0; x < w; x++) {
        dst[r2 + x] =
            (float)
                (((((tmp[r0 + x] + tmp[r1 + x] * 4.0) + tmp[r2 + x] * 6.0) + tmp[r3 + x] * 4.0)
                        + tmp[r4 + x])
                    / 256.0);
      }
    }
  }

  /** 2x2 box average to half size (floored), accumulated in float as MindAR's kernel does. */
  static void downsample(float[] src, int srcWidth, float[] dst, int w, int h) {
    for (int y = 0; y < h; y++) {
      int s = 2 * y * srcWidth;
      int d = y * w;
      for (int x = 0; x < w; x++) {
        int p = s + 2 * x;
        float sum = src[p] * 0.25f;
        sum += src[p + srcWidth] * 0.25f;
        sum += src[p + 1] * 0.25f;
        sum += src[p + srcWidth + 1] * 0.25f;
        dst[d + x] = sum;
      }
    }
  }

  private static int clamp(int i, int size) {
    return i < 0 ? 0 : (i >= size ? size - 1 : i);
  }

  /**
   * Marks DoG extrema of one octave against its neighbours above and below (resampled to its size).
   */
  private void findExtremas(int o) {
    int w = octaveWidth[o];
    int h = octaveHeight[o];
    float[] cur = dog[o];
    float[] below = dog[o - 1];
    int belowWidth = octaveWidth[o - 1];
    int aboveWidth = octaveWidth[o + 1];
    int aboveHeight = octaveHeight[o + 1];
    double[] above = aboveWide;
    float[] aboveDog = dog[o + 1];
    for (int i = 0; i < aboveWidth * aboveHeight; i++) {
      above[i] = aboveDog[i]; // widened once: float-to-double conversions inside the sums are slow
    }
    float[] out = extremas[o];
    Arrays.fill(out, 0);
    for (int y = BORDER; y <= h - 1 - BORDER; y++) {
      for (int x = BORDER; x <= w - 1 - BORDER; x++) {
        int p = y * w + x;
        float value = cur[p];
        if (value < LAPLACIAN_THRESHOLD && value > -LAPLACIAN_THRESHOLD) {
          continue;
        }
        // the left neighbour decides which kind is still possible, so usually one short test runs
        float left = cur[p - 1];
        boolean isMax = value >= left && notBelowNeighbours(cur, p, w, value);
        boolean isMin = value <= left && notAboveNeighbours(cur, p, w, value);
        if (!isMax && !isMin) {
          continue;
        }
        double c2 = 2.0 * value;
        double dxx = ((double) cur[p + 1] + cur[p - 1]) - c2;
        double dyy = ((double) cur[p + w] + cur[p - w]) - c2;
        double dxy =
            0.25 * ((((double) cur[p - w - 1] + cur[p + w + 1]) - cur[p - w + 1]) - cur[p + w - 1]);
        double det = dxx * dyy - dxy * dxy;
        if (Math.abs(det) < 0.0001) {
          continue;
        }
        double edgeScore = (dxx + dyy) * (dxx + dyy) / det;
        if (Math.abs(edgeScore) >= EDGE_HESSIAN_THRESHOLD) {
          continue;
        }
        if (isExtremumAcrossScales(
            value, isMax, isMin, below, belowWidth, above, aboveWidth, aboveHeight, y, x)) {
          out[p] = value;
        }
      }
    }
  }

  /**
   * Whether a same-octave extremum also bounds the 3x3 neighbourhoods resampled from the octaves
   * below and above; resamples lazily and stops at the first neighbour that rules both kinds out.
   */
  private static boolean isExtremumAcrossScales(
      float value,
      boolean isMax,
      boolean isMin,
      float[] below,
      int belowWidth,
      double[] above,
      int aboveWidth,
      int aboveHeight,
      int y,
      int x) {
    for (int dy = -1; dy <= 1; dy++) {
      for (int dx = -1; dx <= 1; dx++) {
        float v0 = downsampledAt(below, belowWidth, y + dy, x + dx);
        isMax &= value >= v0;
        isMin &= value <= v0;
        if (!isMax && !isMin) {
          return false;
        }
        float v2 = upsampledAt(above, aboveWidth, aboveHeight, y + dy, x + dx);
        isMax &= value >= v2;
        isMin &= value <= v2;
        if (!isMax && !isMin) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * {@code value >= } each of its 8 neighbours (MindAR's "no neighbour is larger"; DoG values are
   * never NaN).
   */
  private static boolean notBelowNeighbours(float[] img, int p, int w, float value) {
    return value >= img[p + 1]
        && value >= img[p - w]
        && value >= img[p + w]
        && value >= img[p - w - 1]
        && value >= img[p - w + 1]
        && value >= img[p + w - 1]
        && value >= img[p + w + 1]
        && value >= img[p - 1];
  }

  /** {@code value <= } each of its 8 neighbours. */
  private static boolean notAboveNeighbours(float[] img, int p, int w, float value) {
    return value <= img[p + 1]
        && value <= img[p - w]
        && value <= img[p + w]
        && value <= img[p - w - 1]
        && value <= img[p - w + 1]
        && value <= img[p + w - 1]
        && value <= img[p + w + 1]
        && value <= img[p - 1];
  }

  /** One pixel of the 2x2-averaged finer DoG, computed on demand exactly as {@link #downsample}. */
  private static float downsampledAt(float[] src, int srcWidth, int y, int x) {
    int p = 2 * y * srcWidth + 2 * x;
    float sum = src[p] * 0.25f;
    sum += src[p + srcWidth] * 0.25f;
    sum += src[p + 1] * 0.25f;
    sum += src[p + srcWidth + 1] * 0.25f;
    return sum;
  }

  /**
   * One pixel of the coarser DoG bilinearly upsampled (sample centre {@code 0.5 * i - 0.25}),
   * computed on demand; the weights are exact quarter products and the sum is in double as in
   * MindAR.
   */
  static float upsampledAt(double[] src, int srcWidth, int srcHeight, int y, int x) {
    int y0 = (y >> 1) - 1 + (y & 1);
    int x0 = (x >> 1) - 1 + (x & 1);
    double wy0 = (y & 1) == 0 ? 0.25 : 0.75; // weight of row y0
    double wx0 = (x & 1) == 0 ? 0.25 : 0.75;
    double wy1 = 1 - wy0;
    double wx1 = 1 - wx0;
    int r0 = clamp(y0, srcHeight) * srcWidth;
    int r1 = clamp(y0 + 1, srcHeight) * srcWidth;
    int c0 = clamp(x0, srcWidth);
    int c1 = clamp(x0 + 1, srcWidth);
    double sum = 0.0;
    sum += src[r0 + c0] * (wx0 * wy0);
    sum += src[r1 + c0] * (wx0 * wy1);
    sum += src[r0 + c1] * (wx1 * wy0);
    sum += src[r1 + c1] * (wx1 * wy1);
    return (float) sum;
  }

  /**
   * Reduces the octave's extremum map to 2x2 blocks (one extremum per block, the last of (0,0),
   * (1,0), (0,1), (1,1) that is set) and inserts each into its grid cell's top 5 by |DoG|.
   */
  private void prune(int o) {
    int w = octaveWidth[o];
    int reducedWidth = w / 2;
    int reducedHeight = octaveHeight[o] / 2;
    float[] map = extremas[o];
    double bucketWidth = reducedWidth * 2 / (double) BUCKETS_PER_DIMENSION;
    double bucketHeight = reducedHeight * 2 / (double) BUCKETS_PER_DIMENSION;
    for (int j = 0; j < reducedHeight; j++) {
      for (int i = 0; i < reducedWidth; i++) {
        int p = 2 * j * w + 2 * i;
        int location = 0;
        float value = map[p];
        if (map[p + w] != 0) {
          location = 1;
          value = map[p + w];
        } else if (map[p + 1] != 0) {
          location = 2;
          value = map[p + 1];
        } else if (map[p + w + 1] != 0) {
          location = 3;
          value = map[p + w + 1];
        }
        if (value == 0) {
          continue;
        }
        // MindAR packs location and value into one float32 and unpacks with % 1000
        float encoded =
            (float) (value < 0 ? location * -1000.0 + value : location * 1000.0 + value);
        double score = encoded % 1000;
        int x = i * 2 + (location == 2 || location == 3 ? 1 : 0);
        int y = j * 2 + (location == 1 || location == 3 ? 1 : 0);
        int bucket =
            (int) Math.floor(y / bucketHeight) * BUCKETS_PER_DIMENSION
                + (int) Math.floor(x / bucketWidth);
        insert(bucket * FEATURES_PER_BUCKET, Math.abs(score), score, o, y, x);
      }
    }
  }

  private void insert(int base, double absScore, double score, int octave, int y, int x) {
    int t = FEATURES_PER_BUCKET;
    while (t >= 1 && absScore > bucketAbsScore[base + t - 1]) {
      t--;
    }
    if (t >= FEATURES_PER_BUCKET) {
      return;
    }
    for (int k = FEATURES_PER_BUCKET - 1; k > t; k--) {
      bucketAbsScore[base + k] = bucketAbsScore[base + k - 1];
      prunedScore[base + k] = prunedScore[base + k - 1];
      prunedOctave[base + k] = prunedOctave[base + k - 1];
      prunedY[base + k] = prunedY[base + k - 1];
      prunedX[base + k] = prunedX[base + k - 1];
    }
    bucketAbsScore[base + t] = absScore;
    prunedScore[base + t] = score;
    prunedOctave[base + t] = octave;
    prunedY[base + t] = y;
    prunedX[base + t] = x;
  }

  /** One Newton step on the DoG's 2D quadratic fit; skipped when the Hessian is singular. */
  private void localize() {
    for (int i = 0; i < MAX_FEATURES; i++) {
      localScore[i] = (float) prunedScore[i];
      localY[i] = prunedY[i];
      localX[i] = prunedX[i];
      if (prunedScore[i] == 0) {
        continue;
      }
      int o = prunedOctave[i];
      int w = octaveWidth[o];
      int h = octaveHeight[o];
      float[] d = dog[o];
      int y = prunedY[i];
      int x = prunedX[i];
      int ym = clamp(y - 1, h) * w;
      int y0 = y * w;
      int yp = clamp(y + 1, h) * w;
      int xm = clamp(x - 1, w);
      int xp = clamp(x + 1, w);
      double dx = 0.5 * ((double) d[y0 + xp] - d[y0 + xm]);
      double dy = 0.5 * ((double) d[yp + x] - d[ym + x]);
      double dxx = ((double) d[y0 + xp] + d[y0 + xm]) - 2.0 * d[y0 + x];
      double dyy = ((double) d[yp + x] + d[ym + x]) - 2.0 * d[y0 + x];
      double dxy = 0.25 * ((((double) d[ym + xm] + d[yp + xp]) - d[ym + xp]) - d[yp + xm]);
      double det = dxx * dyy - dxy * dxy;
      if (Math.abs(det) < 0.0001) {
        continue;
      }
      double ux = (dyy * -dx + -dxy * -dy) / det;
      double uy = (-dxy * -dx + dxx * -dy) / det;
      localY[i] = (float) (y + uy);
      localX[i] = (float) (x + ux);
    }
  }

  /**
   * Dominant gradient orientation (radians, float32) around extremum {@code i} in its octave's
   * second Gaussian.
   */
  private float orientation(int i) {
    int o = prunedOctave[i];
    int w = octaveWidth[o];
    int h = octaveHeight[o];
    float[] g = gaussian2[o];
    int y = (int) localY[i];
    int x = (int) localX[i];
    Arrays.fill(histogramSum, 0);
    for (int r = 0; r < RADIAL_W.length; r++) {
      int xp = x + RADIAL_DX[r];
      int yp = y + RADIAL_DY[r];
      int row = clamp(yp, h) * w;
      int col = clamp(xp, w);
      double dy = (double) g[clamp(yp + 1, h) * w + col] - g[clamp(yp - 1, h) * w + col];
      double dx = (double) g[row + clamp(xp + 1, w)] - g[row + clamp(xp - 1, w)];
      float fbin = (float) ((StrictMath.atan2(dy, dx) + Math.PI) * BINS * ONE_OVER_2PI);
      float magnitude = (float) (RADIAL_W[r] * Math.sqrt(dx * dx + dy * dy));
      int bin = (int) Math.floor(fbin - 0.5); // fbin is in [0, 36], so bin is in [-1, 35]
      int b1 = bin < 0 ? bin + BINS : bin;
      int b2 = bin + 1 == BINS ? 0 : bin + 1;
      double w2 = (double) fbin - bin - 0.5;
      double w1 = w2 * -1.0 + 1.0;
      histogramSum[b1] += w1 * magnitude;
      histogramSum[b2] += w2 * magnitude;
    }
    // float values held in doubles: MindAR rounds every pass to float32 but sums in double
    double[] hist = histogram;
    double[] next = histogramNext;
    for (int b = 0; b < BINS; b++) {
      hist[b] = (float) histogramSum[b];
    }
    for (int it = 0; it < SMOOTHING_ITERATIONS; it++) {
      for (int b = 0; b < BINS; b++) {
        int prev = b == 0 ? BINS - 1 : b - 1;
        int nxt = b == BINS - 1 ? 0 : b + 1;
        next[b] =
            (float)
                (0.274068619061197 * hist[prev]
                    + 0.451862761877606 * hist[b]
                    + 0.274068619061197 * hist[nxt]);
      }
      double[] swap = hist;
      hist = next;
      next = swap;
    }
    int maxIndex = 0;
    for (int b = 1; b < BINS; b++) {
      if (hist[b] > hist[maxIndex]) {
        maxIndex = b;
      }
    }
    // parabola through the peak bin and its neighbours
    double p10 = maxIndex - 1;
    double p11 = hist[maxIndex == 0 ? BINS - 1 : maxIndex - 1];
    double p20 = maxIndex;
    double p21 = hist[maxIndex];
    double p30 = maxIndex + 1;
    double p31 = hist[maxIndex == BINS - 1 ? 0 : maxIndex + 1];
    double d1 = (p30 - p20) * (p30 - p10);
    double d2 = (p10 - p20) * (p30 - p10);
    double d3 = p10 - p20;
    double a = p10 * p10;
    double b = p20 * p20;
    double coefA = ((p31 - p21) / d1) - ((p11 - p21) / d2);
    if (Double.isNaN(coefA)) {
      coefA = 0;
    }
    double coefB = ((p11 - p21) + (coefA * (b - a))) / d3;
    double fbin = -coefB / (2.0 * coefA);
    if (Double.isNaN(fbin)) {
      fbin = 0;
    }
    return (float) (2.0 * Math.PI * (fbin + 0.5) / BINS - Math.PI);
  }

  /**
   * FREAK descriptor of extremum {@code i}: the 37 pattern points sampled bilinearly, rotated by
   * its angle, then compared.
   */
  private int[] describe(int i) {
    int o = prunedOctave[i];
    int w = octaveWidth[o];
    int h = octaveHeight[o];
    float[] g = gaussian2[o];
    double inputY = localY[i];
    double inputX = localX[i];
    double angle = angles[i];
    double cos = FREAK_EXPANSION * StrictMath.cos(angle);
    double sin = FREAK_EXPANSION * StrictMath.sin(angle);
    for (int k = 0; k < FreakPattern.POINT_COUNT; k++) {
      double fx = FreakPattern.X[k];
      double fy = FreakPattern.Y[k];
      double yp = inputY + fx * sin + fy * cos;
      double xp = inputX + fx * cos + fy * -sin;
      if (Double.isNaN(xp) || Double.isNaN(yp)) {
        freakValues[k] = 0; // MindAR's NaN output becomes 0
        continue;
      }
      int x0 = (int) Math.floor(xp);
      int y0 = (int) Math.floor(yp);
      int x1 = x0 + 1;
      int y1 = y0 + 1;
      int r0 = clamp(y0, h) * w;
      int r1 = clamp(y1, h) * w;
      float f1 = g[r0 + clamp(x0, w)];
      float f2 = g[r0 + clamp(x1, w)];
      float f3 = g[r1 + clamp(x0, w)];
      float f4 = g[r1 + clamp(x1, w)];
      double value =
          (x1 - xp) * (y1 - yp) * f1
              + (xp - x0) * (y1 - yp) * f2
              + (x1 - xp) * (yp - y0) * f3
              + (xp - x0) * (yp - y0) * f4;
      freakValues[k] = Double.isNaN(value) ? 0 : (float) value;
    }
    return freakDescriptor(freakValues, freakShifted);
  }

  /**
   * Packs the 666 comparisons {@code v[i] < v[j] + 0.01} (pairs {@code i < j} in order) of the
   * sampled intensities into 21 words, first comparison in the most significant bit: the same bits
   * as MindAR's 84 bytes (8 comparisons each, high bit first) joined big-endian four at a time.
   */
  static int[] freakDescriptor(float[] values, double[] shifted) {
    for (int j = 0; j < FreakPattern.POINT_COUNT; j++) {
      shifted[j] = values[j] + 0.01;
    }
    int[] words = new int[FreakPattern.WORD_COUNT];
    int word = 0;
    int bits = 0;
    int k = 0;
    for (int i = 0; i < FreakPattern.POINT_COUNT; i++) {
      float vi = values[i];
      for (int j = i + 1; j < FreakPattern.POINT_COUNT; j++) {
        word = (word << 1) | (vi < shifted[j] ? 1 : 0);
        if (++bits == 32) {
          words[k++] = word;
          word = 0;
          bits = 0;
        }
      }
    }
    words[k] = word << (32 - bits); // 666 = 20 * 32 + 26: the last word's low bits stay zero
    return words;
  }
}
