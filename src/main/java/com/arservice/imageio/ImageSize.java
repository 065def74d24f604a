package com.arservice.imageio;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.Optional;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * An image's width and height as stored in its file header (before any EXIF orientation), read
 * without decoding pixels, so oversized images are refused before any large allocation.
 */
public record ImageSize(long width, long height) {

  /** The largest HEIF {@code meta} box read (an iPhone's, with a 48-tile grid, is a few KB). */
  private static final int MAX_HEIF_META_BYTES = 1 << 20;

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
    ImageSize size =
        switch (format) {
          case PNG -> png(in);
          case JPEG -> jpeg(in);
          case HEIC, AVIF -> heif(in);
          case TIFF, WEBP -> {
            try (ImageInputStream iis = ImageIO.createImageInputStream(in)) {
              yield fromReader(format, iis);
            }
          }
        };
    return size != null && size.width > 0 && size.height > 0 ? Optional.of(size) : Optional.empty();
  }

  /** Stored size of a TIFF or WebP by its ImageIO reader, which reads only the headers for it. */
  public static Optional<ImageSize> read(ImageFormat format, ImageInputStream in)
      throws IOException {
    ImageSize size = fromReader(format, in);
    return size != null && size.width > 0 && size.height > 0 ? Optional.of(size) : Optional.empty();
  }

  private static ImageSize fromReader(ImageFormat format, ImageInputStream in) throws IOException {
    Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.imageIoName());
    if (!readers.hasNext()) {
      throw new IllegalStateException("no ImageIO reader for " + format);
    }
    ImageReader reader = readers.next();
    try {
      reader.setInput(in, true, true);
      return new ImageSize(reader.getWidth(0), reader.getHeight(0));
    } catch (IIOException | RuntimeException e) {
      return null; // headers the reader cannot make sense of: the caller says "damaged"
    } finally {
      reader.dispose();
    }
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

  /**
   * The largest image spatial extent ({@code ispe}) among the item properties of a HEIF/AVIF's
   * {@code meta} box: the primary image (or grid) is never larger, so this bounds what libheif
   * would decode. Stored size, before the container's rotation.
   */
  private static ImageSize heif(DataInputStream in) throws IOException {
    while (true) {
      long size = Integer.toUnsignedLong(in.readInt());
      int type = in.readInt();
      long header = 8;
      if (size == 1) {
        size = in.readLong();
        header = 16;
      }
      if (size == 0 || size < header) {
        return null; // to the end of the file, or broken: no meta box before it
      }
      if (type == box("meta")) {
        if (size - header > MAX_HEIF_META_BYTES) {
          return null;
        }
        byte[] meta = in.readNBytes((int) (size - header));
        if (meta.length < size - header) {
          throw new EOFException("meta box cut short");
        }
        return largestExtent(ByteBuffer.wrap(meta), 4, meta.length, 0);
      }
      in.skipNBytes(size - header);
    }
  }

  /** Walks {@code meta} (its children start after the full box header) → iprp → ipco → ispe. */
  private static ImageSize largestExtent(ByteBuffer b, int from, int to, int depth) {
    ImageSize largest = null;
    int at = from;
    while (at + 8 <= to) {
      long size = Integer.toUnsignedLong(b.getInt(at));
      int type = b.getInt(at + 4);
      if (size < 8 || at + size > to) {
        return largest;
      }
      int end = (int) (at + size);
      ImageSize found = null;
      if (depth < 2 && (type == box("iprp") || type == box("ipco"))) {
        found = largestExtent(b, at + 8, end, depth + 1);
      } else if (type == box("ispe") && size >= 20) {
        found =
            new ImageSize(
                Integer.toUnsignedLong(b.getInt(at + 12)),
                Integer.toUnsignedLong(b.getInt(at + 16)));
      }
      if (found != null && (largest == null || found.pixels() > largest.pixels())) {
        largest = found;
      }
      at = end;
    }
    return largest;
  }

  private static int box(String type) {
    return type.charAt(0) << 24 | type.charAt(1) << 16 | type.charAt(2) << 8 | type.charAt(3);
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
