package com.arservice.mind.detect;

/**
 * An 8-bit grey image: {@code data[y * width + x]} holds the unsigned intensity in the low 8 bits.
 *
 * @param data row-major pixels, {@code width * height} of them
 * @param width width in pixels
 * @param height height in pixels
 */
public record GreyImage(byte[] data, int width, int height) {

  /** Checks that the pixel count matches the dimensions. */
  public GreyImage {
    if (width < 0 || height < 0 || data.length != width * height) {
      throw new IllegalArgumentException(
          "grey image " + width + "x" + height + " with " + data.length + " pixels");
    }
  }
}
