package com.arservice.media;

import com.arservice.imageio.ExifOrientation;
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
    int[] out = new int[pixels.length];
    ExifOrientation.turnUpright(
        orientation, width, height, (upright, stored) -> out[upright] = pixels[stored]);
    boolean swap = ExifOrientation.swapsSides(orientation);
    return new RgbImage(swap ? height : width, swap ? width : height, out);
  }
}
