package com.arservice.media;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;

/** An opaque image as packed 0xRRGGBB pixels, row by row. */
record RgbImage(int width, int height, int[] pixels) {

  RgbImage {
    if (pixels.length != width * height) {
      throw new IllegalArgumentException("pixels do not match " + width + "x" + height);
    }
  }

  /** A TYPE_INT_RGB image sharing this pixel array. */
  BufferedImage toBufferedImage() {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    int[] target = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
    System.arraycopy(pixels, 0, target, 0, pixels.length);
    return image;
  }

  /**
   * This image turned by an EXIF orientation value (1..8), so it displays upright; unknown values
   * leave it unchanged.
   */
  RgbImage oriented(int orientation) {
    if (orientation < 2 || orientation > 8) {
      return this;
    }
    int w = width;
    int h = height;
    boolean swap = orientation >= 5;
    int ow = swap ? h : w;
    int oh = swap ? w : h;
    int[] out = new int[ow * oh];
    for (int y = 0; y < oh; y++) {
      for (int x = 0; x < ow; x++) {
        int sx;
        int sy;
        switch (orientation) {
          case 2 -> { sx = w - 1 - x; sy = y; }
          case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }
          case 4 -> { sx = x; sy = h - 1 - y; }
          case 5 -> { sx = y; sy = x; }
          case 6 -> { sx = y; sy = h - 1 - x; }
          case 7 -> { sx = w - 1 - y; sy = h - 1 - x; }
          default -> { sx = w - 1 - y; sy = x; }
        }
        out[y * ow + x] = pixels[sy * w + sx];
      }
    }
    return new RgbImage(ow, oh, out);
  }
}
