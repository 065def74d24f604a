package com.arservice.mind.detect;

import java.util.Arrays;

/**
 * MindAR 1.2.5's image preparation for its compiler: grey conversion, the scale lists of the
 * matching and tracking keyframes, and its box-filter resize. Every formula keeps MindAR's
 * JavaScript number semantics (doubles, {@code Math.round} rounding halves up), so the keyframe
 * sizes and pixels are identical to MindAR's.
 */
public final class ImageList {

  /** Matching keyframes stop once the shorter side would drop below this many pixels. */
  private static final int MIN_IMAGE_PIXEL_SIZE = 100;

  private ImageList() {}

  /**
   * Grey value of packed RGB pixels as MindAR's compiler computes it: {@code floor((r + g + b) /
   * 3)}; alpha is ignored.
   *
   * @param argb pixels as {@code 0xAARRGGBB} (e.g. from {@code BufferedImage.getRGB})
   * @return one unsigned byte per pixel
   */
  public static byte[] greyFromArgb(int[] argb) {
    byte[] grey = new byte[argb.length];
    for (int i = 0; i < argb.length; i++) {
      int p = argb[i];
      grey[i] = (byte) ((((p >> 16) & 0xff) + ((p >> 8) & 0xff) + (p & 0xff)) / 3);
    }
    return grey;
  }

  /**
   * Scales of the matching keyframes, largest first: 1, then successive divisions by 2^(1/3) down
   * to {@code 100 / min(width, height)}, computed upwards from the smallest exactly as MindAR does.
   */
  public static double[] matchingScales(int width, int height) {
    double minScale = (double) MIN_IMAGE_PIXEL_SIZE / Math.min(width, height);
    double step = StrictMath.pow(2.0, 1.0 / 3.0);
    // count first so the array is filled in one pass; the loop mirrors MindAR's growth from
    // minScale
    int n = 0;
    double c = minScale;
    while (true) {
      n++;
      c *= step;
      if (c >= 0.95) {
        break;
      }
    }
    double[] scales = new double[n + 1];
    scales[0] = 1.0;
    c = minScale;
    for (int i = n; i >= 1; i--) {
      scales[i] = c;
      c *= step;
    }
    return scales;
  }

  /** Scales of the two tracking keyframes: shorter side 256 px, then 128 px. */
  public static double[] trackingScales(int width, int height) {
    int minDimension = Math.min(width, height);
    return new double[] {256.0 / minDimension, 128.0 / minDimension};
  }

  /** Width or height of an image resized by {@code ratio}: {@code Math.round(size * ratio)}. */
  public static int scaledSize(int size, double ratio) {
    return (int) Math.round(size * ratio);
  }

  /**
   * MindAR's resize: each output pixel is the floor of the mean of the source box {@code [round(i /
   * ratio), round((i + 1) / ratio) - 1]} in each axis (clipped to the image); an empty box
   * (possible when enlarging) gives 0, as MindAR's NaN does in a {@code Uint8Array}.
   *
   * @param grey source pixels, unsigned bytes, row-major
   * @param width source width
   * @param height source height
   * @param ratio scale factor
   * @return the resized image, {@link #scaledSize} in each dimension
   */
  public static GreyImage resize(byte[] grey, int width, int height, double ratio) {
    if (grey.length != width * height) {
      throw new IllegalArgumentException("pixel count does not match " + width + "x" + height);
    }
    if (ratio == 1.0) {
      return new GreyImage(grey.clone(), width, height); // every box is the single pixel itself
    }
    int dstWidth = scaledSize(width, ratio);
    int dstHeight = scaledSize(height, ratio);
    int[] x1 = new int[dstWidth];
    int[] x2 = new int[dstWidth];
    boxBounds(x1, x2, width, ratio);
    int[] y1 = new int[dstHeight];
    int[] y2 = new int[dstHeight];
    boxBounds(y1, y2, height, ratio);

    byte[] out = new byte[dstWidth * dstHeight];
    // sum the box's columns once per source row range by accumulating whole source rows
    int[] columnSums = new int[width];
    byte[] row = new byte[width];
    for (int j = 0; j < dstHeight; j++) {
      int rows = y2[j] - y1[j] + 1;
      if (rows <= 0) {
        continue; // row of empty boxes stays 0
      }
      Arrays.fill(columnSums, 0);
      for (int yy = y1[j]; yy <= y2[j]; yy++) {
        System.arraycopy(
            grey, yy * width, row, 0, width); // aligned with columnSums, so it vectorises
        for (int xx = 0; xx < width; xx++) {
          columnSums[xx] += row[xx] & 0xff;
        }
      }
      int outBase = j * dstWidth;
      for (int i = 0; i < dstWidth; i++) {
        int cols = x2[i] - x1[i] + 1;
        if (cols <= 0) {
          continue;
        }
        int sum = 0;
        for (int xx = x1[i]; xx <= x2[i]; xx++) {
          sum += columnSums[xx];
        }
        // integer division equals floor(sum / count) in doubles for these magnitudes
        out[outBase + i] = (byte) (sum / (cols * rows));
      }
    }
    return new GreyImage(out, dstWidth, dstHeight);
  }

  private static void boxBounds(int[] from, int[] to, int size, double ratio) {
    for (int i = 0; i < from.length; i++) {
      from[i] = (int) Math.round(1.0 * i / ratio);
      int end = (int) Math.round(1.0 * (i + 1) / ratio) - 1;
      to[i] = Math.min(end, size - 1);
    }
  }
}
