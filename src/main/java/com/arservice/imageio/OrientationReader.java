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
import java.util.Arrays;
import java.util.Optional;

/**
 * Reads the EXIF orientation of a JPEG, PNG, TIFF (its own first IFD) or WebP ({@code EXIF} chunk)
 * and nothing else: it walks the file's segments (JPEG) or chunks (PNG) to the one place browsers
 * take the orientation from, a JPEG's {@code APP1 "Exif"} segment or a PNG's {@code eXIf} chunk
 * before the pixel data, skipping everything else unread, and parses only the first IFD of at most
 * {@value #MAX_EXIF_BYTES} bytes. Text chunks are never inflated, so a small file whose metadata
 * inflates to gigabytes costs nothing. Broken metadata reads as orientation 1 (browsers then draw
 * the image as stored). Thread-safe (stateless).
 */
public final class OrientationReader {

  /** The most EXIF bytes ever held: a JPEG APP1 segment's own limit. */
  public static final int MAX_EXIF_BYTES = 64 * 1024;

  private static final int ORIENTATION_TAG = 0x0112;

  private OrientationReader() {}

  /**
   * The orientation (1..8) of a photo file; 1 when it has none or it is unreadable, and always for
   * HEIC/AVIF (libheif turns those upright itself).
   */
  public static int read(Path file) throws IOException, ImageInputException {
    try (InputStream in = Files.newInputStream(file)) {
      return read(in);
    }
  }

  /**
   * The orientation (1..8) of an encoded photo; 1 when it has none or it is unreadable.
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
      byte[] exif =
          switch (format.get()) {
            case JPEG -> {
              in.skipNBytes(2); // start of image
              yield jpegExif(in);
            }
            case PNG -> {
              in.skipNBytes(8); // signature
              yield pngExif(in);
            }
            case TIFF -> tiffFirstIfd(in);
            case WEBP -> {
              in.skipNBytes(12); // RIFF, size, WEBP
              yield webpExif(in);
            }
            // libheif turns HEIC/AVIF upright from the container's irot/imir; their EXIF
            // orientation only repeats that and must not be applied again
            case HEIC, AVIF -> null;
          };
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

  /**
   * A TIFF's own header and first IFD, rebuilt as TIFF bytes whose IFD0 is at offset 8 (image data
   * before it, often the whole image, is skipped unread); null when malformed.
   */
  private static byte[] tiffFirstIfd(DataInputStream in) throws IOException {
    byte[] header = in.readNBytes(8);
    if (header.length < 8) {
      return null;
    }
    ByteOrder order = header[0] == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
    long ifd = Integer.toUnsignedLong(ByteBuffer.wrap(header).order(order).getInt(4));
    if (ifd < 8) {
      return null;
    }
    in.skipNBytes(ifd - 8);
    byte[] count = in.readNBytes(2);
    if (count.length < 2) {
      return null;
    }
    int entries = Short.toUnsignedInt(ByteBuffer.wrap(count).order(order).getShort());
    byte[] table = in.readNBytes(12 * entries);
    ByteBuffer tiff = ByteBuffer.allocate(8 + 2 + table.length).order(order);
    tiff.put(header, 0, 4).putInt(8).put(count).put(table);
    return tiff.array();
  }

  /**
   * The TIFF bytes of a WebP's {@code EXIF} chunk (which follows the image data, skipped unread),
   * at most {@value #MAX_EXIF_BYTES} of them; null when it has none.
   */
  private static byte[] webpExif(DataInputStream in) throws IOException {
    byte[] header = new byte[8];
    while (in.readNBytes(header, 0, 8) == 8) {
      long length =
          Integer.toUnsignedLong(ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getInt(4));
      if (header[0] == 'E' && header[1] == 'X' && header[2] == 'I' && header[3] == 'F') {
        byte[] exif = in.readNBytes((int) Math.min(length, MAX_EXIF_BYTES));
        // some writers keep JPEG's "Exif\0\0" before the TIFF bytes
        boolean prefixed = exif.length > 6 && exif[0] == 'E' && exif[1] == 'x' && exif[4] == 0;
        return prefixed ? Arrays.copyOfRange(exif, 6, exif.length) : exif;
      }
      in.skipNBytes(length + (length & 1)); // chunks are padded to an even size
    }
    return null;
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
    return ImageProblems.exifTooLarge("photo");
  }
}
