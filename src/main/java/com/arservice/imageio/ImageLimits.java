package com.arservice.imageio;

/**
 * The sizes of photo this service accepts, shared by the photo normalizer and the target compiler.
 */
public final class ImageLimits {
  /**
   * Largest accepted photo or mask, width × height as stored in the file (500 megapixels, past the
   * 200 MP of today's phone cameras and a print studio's large scans): checked from the header,
   * before anything is decoded. Photos and masks are decoded with rows and columns skipped (see
   * {@link #subsamplingStep}), so memory does not grow with this limit; what it bounds is the time
   * a decoder spends reading every stored pixel.
   */
  public static final long MAX_PIXELS = 500_000_000L;

  /**
   * Largest image decoded at its full size (40 megapixels, 120 MB as RGB): the target compiler
   * keeps every pixel of what it is given, so the command line's images are decoded with rows and
   * columns skipped down to this size.
   */
  public static final long MAX_DECODED_PIXELS = 40_000_000L;

  /**
   * Smallest accepted short side: MindAR's smallest matching keyframe is 100 px on its short side,
   * so a smaller photo cannot be compiled.
   */
  public static final int MIN_SHORT_SIDE = 100;

  private ImageLimits() {}

  /**
   * The largest step (keep every {@code step}-th row and column) that still leaves at least {@code
   * minSide} pixels on the longer side, so a large image is decoded straight to about the size that
   * is needed and its memory follows that size, not the file's; 1 for images no larger.
   */
  public static int subsamplingStep(long width, long height, int minSide) {
    return (int) Math.max(1, Math.max(width, height) / minSide);
  }

  /** The smallest step that leaves at most {@code maxPixels} pixels, for the compiler's input. */
  public static int subsamplingStepWithin(long width, long height, long maxPixels) {
    int step = 1;
    while (ceilDiv(width, step) * ceilDiv(height, step) > maxPixels) {
      step++;
    }
    return step;
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }
}
