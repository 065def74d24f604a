package com.arservice.mind.io;

/**
 * The pixel mapping of the eight EXIF orientations: for each pixel of the upright image, where it
 * is in the stored one. Orientations 5–8 swap width and height.
 */
public final class ExifOrientation {
  private ExifOrientation() {
  }

  /** True when {@code orientation} turns the image a quarter, so the upright image is h × w. */
  public static boolean swapsSides(int orientation) {
    return orientation >= 5 && orientation <= 8;
  }

  /**
   * Index into the stored {@code w × h} pixels of the upright image's pixel ({@code x}, {@code y});
   * orientation 1 (or an unknown value) is the identity.
   */
  public static int sourceIndex(int orientation, int x, int y, int w, int h) {
    return switch (orientation) {
      case 2 -> y * w + (w - 1 - x);
      case 3 -> (h - 1 - y) * w + (w - 1 - x);
      case 4 -> (h - 1 - y) * w + x;
      case 5 -> x * w + y;
      case 6 -> (h - 1 - x) * w + y;
      case 7 -> (h - 1 - x) * w + (w - 1 - y);
      case 8 -> x * w + (w - 1 - y);
      default -> y * w + x;
    };
  }
}
