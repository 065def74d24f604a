package com.arservice.imageio;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * An image's width and height as stored in its file header (before any EXIF orientation), read
 * without decoding pixels, so oversized images are refused before any large allocation.
 */
public record ImageSize(long width, long height) {

  /** PNG's own limit on either side (2^31 − 1). */
  private static final long PNG_MAX_SIDE = Integer.MAX_VALUE;

  /**
   * Reads the stored size of a {@code format} image from the start of {@code raw}; empty when the
   * header holds no positive size.
   *
   * @throws java.io.EOFException when the file ends before its size
   */
  public static Optional<ImageSize> read(ImageFormat format, InputStream raw) throws IOException {
    DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 8192));
    ImageSize size = format == ImageFormat.PNG ? png(in) : jpeg(in);
    return size != null && size.width > 0 && size.height > 0 ? Optional.of(size) : Optional.empty();
  }

  /** Width × height. */
  public long pixels() {
    return width * height;
  }

  private static ImageSize png(DataInputStream in) throws IOException {
    in.skipNBytes(8);
    int length = in.readInt();
    byte[] type = in.readNBytes(4);
    if (length != 13
        || type.length != 4
        || type[0] != 'I'
        || type[1] != 'H'
        || type[2] != 'D'
        || type[3] != 'R') {
      return null;
    }
    ImageSize size =
        new ImageSize(Integer.toUnsignedLong(in.readInt()), Integer.toUnsignedLong(in.readInt()));
    // beyond the spec's limit, and width × height could overflow a long
    return size.width <= PNG_MAX_SIDE && size.height <= PNG_MAX_SIDE ? size : null;
  }

  /** Walks the marker segments up to the first start-of-frame, which holds the dimensions. */
  private static ImageSize jpeg(DataInputStream in) throws IOException {
    in.skipNBytes(2);
    while (true) {
      int marker = JpegSegments.next(in);
      if (marker < 0) {
        return null;
      }
      int length = in.readUnsignedShort();
      if (length < 2) {
        return null;
      }
      boolean startOfFrame =
          marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
      if (startOfFrame) {
        in.readUnsignedByte();
        int height = in.readUnsignedShort();
        int width = in.readUnsignedShort();
        return new ImageSize(width, height);
      }
      in.skipNBytes(length - 2L);
    }
  }
}
