package com.arservice.media;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Builds test inputs in memory. */
final class TestImages {

  private TestImages() {}

  /** An RGB image filled by a function of (x, y) returning 0xRRGGBB. */
  static BufferedImage rgb(int w, int h, PixelFunction f) {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        image.setRGB(x, y, f.at(x, y));
      }
    }
    return image;
  }

  /** A photo-like pattern: smooth gradients plus a few seeded blocks, so images differ by seed. */
  static BufferedImage photo(int w, int h, long seed) {
    java.util.Random random = new java.util.Random(seed);
    int[][] blocks = new int[12][];
    for (int i = 0; i < blocks.length; i++) {
      blocks[i] =
          new int[] {
            random.nextInt(w),
            random.nextInt(h),
            10 + random.nextInt(w / 4),
            random.nextInt(0xFFFFFF)
          };
    }
    return rgb(
        w,
        h,
        (x, y) -> {
          for (int[] b : blocks) {
            if (Math.abs(x - b[0]) < b[2] && Math.abs(y - b[1]) < b[2] / 2) {
              return b[3];
            }
          }
          return (x * 255 / w) << 16 | (y * 255 / h) << 8 | 128;
        });
  }

  static Path write(BufferedImage image, String format, Path file) throws IOException {
    if (!ImageIO.write(image, format, file.toFile())) {
      throw new IOException("no writer for " + format);
    }
    return file;
  }

  static byte[] jpegBytes(BufferedImage image) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "jpeg", out);
    return out.toByteArray();
  }

  /** EXIF's TIFF bytes with one IFD holding only the given orientation tag. */
  static byte[] exifTiff(int orientation) {
    return new byte[] {
      'M',
      'M',
      0,
      42,
      0,
      0,
      0,
      8, // big-endian TIFF header, IFD0 at offset 8
      0,
      1, // one entry
      0x01,
      0x12,
      0,
      3,
      0,
      0,
      0,
      1, // Orientation, SHORT, count 1
      0,
      (byte) orientation,
      0,
      0, // value, padded
      0,
      0,
      0,
      0
    }; // no next IFD
  }

  /** A JPEG with an EXIF APP1 segment carrying only the given orientation tag. */
  static Path jpegWithOrientation(BufferedImage image, int orientation, Path file)
      throws IOException {
    byte[] jpeg = jpegBytes(image);
    byte[] tiff = exifTiff(orientation);
    byte[] exifHeader = {'E', 'x', 'i', 'f', 0, 0};
    int length = 2 + exifHeader.length + tiff.length;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(jpeg, 0, 2);
    out.write(0xFF);
    out.write(0xE1);
    out.write(length >> 8);
    out.write(length & 0xFF);
    out.write(exifHeader);
    out.write(tiff);
    out.write(jpeg, 2, jpeg.length - 2);
    Files.write(file, out.toByteArray());
    return file;
  }

  @FunctionalInterface
  interface PixelFunction {
    int at(int x, int y);
  }
}
