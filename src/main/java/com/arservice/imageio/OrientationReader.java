package com.arservice.imageio;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads the EXIF orientation of a JPEG or PNG and nothing else: it walks the file's segments (JPEG)
 * or chunks (PNG) to the one place browsers take the orientation from, a JPEG's {@code APP1 "Exif"}
 * segment or a PNG's {@code eXIf} chunk before the pixel data, skipping everything else unread, and
 * parses only the first IFD of at most {@value #MAX_EXIF_BYTES} bytes. Text chunks are never
 * inflated, so a small file whose metadata inflates to gigabytes costs nothing. Broken metadata
 * reads as orientation 1 (browsers then draw the image as stored). Thread-safe (stateless).
 */
public final class OrientationReader {

  /** The most EXIF bytes ever held: a JPEG APP1 segment's own limit. */
  public static final int MAX_EXIF_BYTES = 64 * 1024;

  private static final int ORIENTATION_TAG = 0x0112;

  private OrientationReader() {}

  /** The orientation (1..8) of a JPEG or PNG file; 1 when it has none or it is unreadable. */
  public static int read(Path file) throws IOException, ImageInputException {
    try (InputStream in = Files.newInputStream(file)) {
      return read(in);
    }
  }

  /**
   * The orientation (1..8) of an encoded JPEG or PNG; 1 when it has none or it is unreadable.
   *
   * @throws ImageInputException (too large) when the first IFD lies beyond {@value #MAX_EXIF_BYTES}
   *     bytes
   * @throws IOException when the stream cannot be read
   */
  public static int read(InputStream raw) throws IOException, ImageInputException {
    DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 8192));
    try {
      in.mark(ImageFormat.HEAD_BYTES);
      Optional<ImageFormat> format = ImageFormat.sniff(in.readNBytes(ImageFormat.HEAD_BYTES));
      in.reset();
      if (format.isEmpty()) {
        return 1;
      }
      byte[] exif;
      if (format.get() == ImageFormat.JPEG) {
        in.skipNBytes(2); // start of image
        exif = jpegExif(in);
      } else {
        in.skipNBytes(8); // signature
        exif = pngExif(in);
      }
      return exif == null ? 1 : orientation(exif);
    } catch (EOFException e) {
      return 1;
    }
  }

  /** The TIFF bytes of the first {@code Exif} APP1 segment before the scan data, or null. */
  private static byte[] jpegExif(DataInputStream in) throws IOException {
    while (true) {
      int marker = JpegSegments.next(in);
      if (marker < 0) {
        return null;
      }
      int length = in.readUnsignedShort() - 2;
      if (length < 0) {
        return null;
      }
      if (marker == 0xE1 && length > 6) {
        byte[] head = in.readNBytes(6);
        if (head.length == 6
            && head[0] == 'E'
            && head[1] == 'x'
            && head[2] == 'i'
            && head[3] == 'f'
            && head[4] == 0
            && head[5] == 0) {
          return in.readNBytes(length - 6);
        }
        in.skipNBytes(length - 6L);
      } else {
        in.skipNBytes(length);
      }
    }
  }

  /**
   * The first {@value #MAX_EXIF_BYTES} bytes of the {@code eXIf} chunk before the first IDAT, or
   * null.
   */
  private static byte[] pngExif(DataInputStream in) throws IOException {
    while (true) {
      long length = Integer.toUnsignedLong(in.readInt());
      int type = in.readInt();
      if (type == 0x49444154 || type == 0x49454E44) { // IDAT, IEND
        return null;
      }
      if (type == 0x65584966) { // eXIf
        return in.readNBytes((int) Math.min(length, MAX_EXIF_BYTES));
      }
      in.skipNBytes(length + 4); // data and CRC, unread
    }
  }

  /** The orientation tag of IFD0 in TIFF bytes; 1 when absent or malformed. */
  private static int orientation(byte[] tiff) throws ImageInputException {
    if (tiff.length < 8) {
      return 1;
    }
    ByteBuffer b = ByteBuffer.wrap(tiff);
    if (tiff[0] == 'I' && tiff[1] == 'I') {
      b.order(ByteOrder.LITTLE_ENDIAN);
    } else if (tiff[0] != 'M' || tiff[1] != 'M') {
      return 1;
    }
    if (b.getShort(2) != 42) {
      return 1;
    }
    long ifd = Integer.toUnsignedLong(b.getInt(4));
    if (ifd + 2 > MAX_EXIF_BYTES) {
      throw tooLarge();
    }
    if (ifd < 8 || ifd + 2 > tiff.length) {
      return 1;
    }
    int entries = Short.toUnsignedInt(b.getShort((int) ifd));
    for (int i = 0; i < entries; i++) {
      int at = (int) ifd + 2 + 12 * i;
      if (at + 12 > tiff.length) {
        if (at + 12 > MAX_EXIF_BYTES) {
          throw tooLarge();
        }
        return 1;
      }
      if (Short.toUnsignedInt(b.getShort(at)) == ORIENTATION_TAG) {
        int type = Short.toUnsignedInt(b.getShort(at + 2));
        int value = type == 3 ? Short.toUnsignedInt(b.getShort(at + 8)) : -1;
        return value >= 1 && value <= 8 ? value : 1;
      }
    }
    return 1;
  }

  private static ImageInputException tooLarge() {
    return new ImageInputException(
        ImageInputException.Reason.TOO_LARGE,
        "The image's EXIF metadata is larger than "
            + MAX_EXIF_BYTES / 1024
            + " KB; please save the image again without the extra metadata.");
  }
}
