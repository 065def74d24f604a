package com.arservice.imageio;

/**
 * The pixel mapping of the eight EXIF orientations: for each pixel of the upright image, where it
 * is in the stored one. Orientations 5–8 swap width and height.
 */
public final class ExifOrientation {
  private ExifOrientation() {}

  /** Copies one pixel: from index {@code stored} of the stored image to index {@code upright}. */
  @FunctionalInterface
  public interface PixelCopy {
    void copy(int upright, int stored);
  }

  /** True when {@code orientation} turns the image a quarter, so the upright image is h × w. */
  public static boolean swapsSides(int orientation) {
    return orientation >= 5 && orientation <= 8;
  }

  /**
   * Visits every pixel of the upright image of a stored {@code w × h} one, row by row, so that one
   * loop turns pixels of any array type (grey bytes, packed RGB ints) upright.
   */
  public static void turnUpright(int orientation, int w, int h, PixelCopy copy) {
    int ow = swapsSides(orientation) ? h : w;
    int oh = swapsSides(orientation) ? w : h;
    for (int y = 0; y < oh; y++) {
      for (int x = 0; x < ow; x++) {
        copy.copy(y * ow + x, sourceIndex(orientation, x, y, w, h));
      }
    }
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
