package com.arservice.mind.runtime;

/**
 * The grey image MindAR 1.2.5's runtime makes of a camera frame ({@code input-loader.js}): luma
 * {@code 0.299 r + 0.587 g + 0.114 b} per pixel, kept as a float (not the compiler's integer mean
 * of the three channels).
 */
public final class RuntimeGrey {

  private RuntimeGrey() {}

  /**
   * Converts packed RGB pixels.
   *
   * @param rgb {@code 0xRRGGBB} per pixel (higher bits ignored), row-major
   * @param out receives the grey values, as long as {@code rgb}
   */
  public static void fromRgb(int[] rgb, float[] out) {
    for (int i = 0; i < rgb.length; i++) {
      int p = rgb[i];
      out[i] = luma((p >> 16) & 0xff, (p >> 8) & 0xff, p & 0xff);
    }
  }

  /** One pixel's runtime grey. */
  public static float luma(int r, int g, int b) {
    return (float) (0.299 * r + 0.587 * g + 0.114 * b);
  }
}
