package com.arservice.mind.io;

import com.arservice.imageio.ExifOrientation;
import com.arservice.imageio.FileType;
import com.arservice.imageio.HeifDecoder;
import com.arservice.imageio.ImageFormat;
import com.arservice.imageio.ImageInputException;
import com.arservice.imageio.ImageLimits;
import com.arservice.imageio.ImageProblems;
import com.arservice.imageio.ImageSize;
import com.arservice.imageio.OrientationReader;
import com.arservice.mind.detect.GreyImage;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes a photo (JPEG, PNG, TIFF, WebP, HEIC or AVIF) into the grey image MindAR's browser
 * compiler would derive from it.
 *
 * <p>Like MindAR, which draws the photo on a cleared canvas and reads it back, the grey value is
 * {@code floor((r + g + b) / 3)} of the 8-bit colour, the EXIF orientation is applied (browsers do
 * so when drawing), and a fully transparent pixel counts as black (a canvas keeps premultiplied
 * colour, so it reads back as rgb 0); partly transparent pixels keep their colour. 16-bit samples
 * are reduced to their high byte. Colour profiles are ignored, except that CMYK and YCCK JPEGs are
 * converted to sRGB (see {@link ImageFormat#decode}), as browsers do.
 *
 * <p>Size limits are checked from the image header before any pixel is decoded, so an oversized (or
 * decompression-bomb) upload costs almost nothing. Thread-safe.
 */
public final class ImageLoader {

  /** What the refusals call the file: the service's words for the same file. */
  private static final String PHOTO = "photo";

  private final long maxPixels;
  private final long maxDecodedPixels;
  private final HeifDecoder heif;

  /** A loader with {@link ImageLimits#MAX_PIXELS}. */
  public ImageLoader() {
    this(ImageLimits.MAX_PIXELS);
  }

  /** A loader refusing images of more than {@code maxPixels} pixels. */
  public ImageLoader(long maxPixels) {
    this(maxPixels, ImageLimits.MAX_DECODED_PIXELS, HeifDecoder.onPath());
  }

  /** A loader refusing images of more than {@code maxPixels} pixels, with a HEIC/AVIF decoder. */
  public ImageLoader(long maxPixels, HeifDecoder heif) {
    this(maxPixels, ImageLimits.MAX_DECODED_PIXELS, heif);
  }

  /**
   * A loader refusing images of more than {@code maxPixels} pixels and skipping rows and columns of
   * those over {@code maxDecodedPixels}.
   */
  ImageLoader(long maxPixels, long maxDecodedPixels, HeifDecoder heif) {
    if (maxPixels <= 0 || maxDecodedPixels <= 0) {
      throw new IllegalArgumentException("pixel limits must be positive");
    }
    this.maxPixels = maxPixels;
    this.maxDecodedPixels = maxDecodedPixels;
    this.heif = heif;
  }

  /**
   * Reads and decodes a file, streaming it: an image over {@link ImageLimits#MAX_DECODED_PIXELS}
   * (by default) is decoded with rows and columns skipped down to that size, so neither the file
   * nor its full pixels are ever held in memory.
   */
  public GreyImage load(Path file) throws ImageInputException {
    try {
      byte[] head;
      try (InputStream in = Files.newInputStream(file)) {
        head = in.readNBytes(ImageFormat.HEAD_BYTES);
      }
      ImageFormat format = sniff(head);
      ImageSize size;
      try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
        size = readSize(format, in);
      }
      checkSize(size);
      if (format.viaHeif()) {
        return loadHeif(file, null, format);
      }
      try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
        if (in == null) {
          throw new IOException("no image input stream for " + file);
        }
        return decode(format, size, in, () -> OrientationReader.read(file));
      }
    } catch (IOException e) {
      throw new ImageInputException(
          ImageInputException.Reason.UNREADABLE, "The file could not be read.", e);
    }
  }

  /** Decodes an encoded photo (JPEG, PNG, TIFF, WebP, HEIC or AVIF). */
  public GreyImage load(byte[] bytes) throws ImageInputException {
    ImageFormat format = sniff(bytes);
    ImageSize size;
    try {
      size = readSize(format, new ByteArrayInputStream(bytes));
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array cannot fail to read
    }
    checkSize(size);
    if (format.viaHeif()) {
      return loadHeif(null, bytes, format);
    }
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
      return decode(
          format, size, in, () -> OrientationReader.read(new ByteArrayInputStream(bytes)));
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array cannot fail to read
    }
  }

  /**
   * A HEIC/AVIF (the file, or these bytes) through libheif's PNG, which is upright already (its
   * EXIF orientation, if copied along, is not applied again).
   */
  private GreyImage loadHeif(Path file, byte[] bytes, ImageFormat format)
      throws ImageInputException {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("ar-heif-");
      Path in = file;
      if (in == null) {
        in = Files.write(dir.resolve("in"), bytes);
      }
      BufferedImage image =
          heif.decode(
              in,
              format,
              dir,
              maxPixels,
              size ->
                  ImageLimits.subsamplingStepWithin(size.width(), size.height(), maxDecodedPixels));
      return toGrey(image);
    } catch (IOException e) {
      throw new ImageInputException(
          ImageInputException.Reason.UNREADABLE,
          "The " + format.displayName() + " photo could not be decoded in a scratch folder",
          e);
    } catch (RuntimeException e) {
      throw ImageProblems.undecodable(PHOTO, format, e);
    } finally {
      if (dir != null) {
        try (var files = Files.list(dir)) {
          for (Path f : files.toList()) {
            Files.deleteIfExists(f);
          }
          Files.deleteIfExists(dir);
        } catch (IOException e) {
          // a leftover in the temporary folder: the system cleans it
        }
      }
    }
  }

  private interface Orientation {
    int read() throws IOException, ImageInputException;
  }

  /**
   * The one decoding path of photos and the command line's images ({@link ImageFormat#decode}):
   * CMYK and YCCK JPEGs come out as sRGB.
   */
  private GreyImage decode(
      ImageFormat format, ImageSize size, ImageInputStream in, Orientation orientation)
      throws ImageInputException {
    try {
      int step = ImageLimits.subsamplingStepWithin(size.width(), size.height(), maxDecodedPixels);
      BufferedImage img = format.decode(in, step, step);
      return orient(toGrey(img), orientation.read());
    } catch (ImageInputException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw ImageProblems.undecodable(PHOTO, format, e);
    }
  }

  /** The size stored in the header, read before any pixel is decoded. */
  private static ImageSize readSize(ImageFormat format, InputStream in)
      throws ImageInputException, IOException {
    try {
      return ImageSize.read(format, in).orElseThrow(() -> ImageProblems.sizeUnreadable(PHOTO));
    } catch (EOFException e) {
      throw ImageProblems.endsEarly(PHOTO, e);
    }
  }

  private void checkSize(ImageSize size) throws ImageInputException {
    if (size.pixels() > maxPixels) {
      throw ImageProblems.tooLarge(PHOTO, size.pixels(), maxPixels);
    }
    if (Math.min(size.width(), size.height()) < ImageLimits.MIN_SHORT_SIDE) {
      throw ImageProblems.tooSmall(PHOTO);
    }
  }

  /** The format from the magic bytes; other known types are refused by name. */
  private static ImageFormat sniff(byte[] b) throws ImageInputException {
    Optional<FileType> type = FileType.sniff(b);
    return type.flatMap(FileType::imageFormat)
        .orElseThrow(() -> ImageProblems.notAnImage(PHOTO, type));
  }

  /**
   * floor((r+g+b)/3) straight from the raster, bypassing Java's colour conversions (which
   * gamma-shift grey).
   */
  static GreyImage toGrey(BufferedImage img) {
    int w = img.getWidth();
    int h = img.getHeight();
    byte[] out = new byte[w * h];
    Raster raster = img.getRaster();
    ColorModel cm = img.getColorModel();
    int[] s0 = new int[w];
    int space = cm.getColorSpace().getType();
    if (cm instanceof IndexColorModel
        || (space != ColorSpace.TYPE_RGB && space != ColorSpace.TYPE_GRAY)) {
      // a palette, or samples that are not RGB: their sRGB colour
      for (int y = 0; y < h; y++) {
        img.getRGB(0, y, w, 1, s0, 0, w);
        for (int x = 0; x < w; x++) {
          int argb = s0[x];
          out[y * w + x] =
              (byte) greyOf(argb >>> 24, (argb >> 16) & 0xff, (argb >> 8) & 0xff, argb & 0xff);
        }
      }
      return new GreyImage(out, w, h);
    }
    boolean alpha = cm.hasAlpha();
    int colourBands = raster.getNumBands() - (alpha ? 1 : 0);
    int bits = raster.getSampleModel().getSampleSize(0);
    int shift = Math.max(0, bits - 8);
    int max = (1 << bits) - 1;
    int[] s1 = new int[w];
    int[] s2 = new int[w];
    int[] sa = new int[w];
    for (int y = 0; y < h; y++) {
      raster.getSamples(0, y, w, 1, 0, s0);
      if (colourBands >= 3) {
        raster.getSamples(0, y, w, 1, 1, s1);
        raster.getSamples(0, y, w, 1, 2, s2);
      }
      if (alpha) {
        raster.getSamples(0, y, w, 1, colourBands, sa);
      }
      for (int x = 0; x < w; x++) {
        int r = to8(s0[x], bits, shift, max);
        int g = colourBands >= 3 ? to8(s1[x], bits, shift, max) : r;
        int b = colourBands >= 3 ? to8(s2[x], bits, shift, max) : r;
        int a = alpha ? to8(sa[x], bits, shift, max) : 255;
        out[y * w + x] = (byte) greyOf(a, r, g, b);
      }
    }
    return new GreyImage(out, w, h);
  }

  private static int to8(int v, int bits, int shift, int max) {
    if (bits >= 8) {
      return v >> shift;
    }
    return (v * 255 + max / 2) / max;
  }

  private static int greyOf(int a, int r, int g, int b) {
    return a == 0 ? 0 : (r + g + b) / 3;
  }

  /** Applies an EXIF orientation so the result is the image as it is meant to be viewed. */
  static GreyImage orient(GreyImage src, int orientation) {
    if (orientation == 1) {
      return src;
    }
    int w = src.width();
    int h = src.height();
    byte[] s = src.data();
    byte[] out = new byte[s.length];
    ExifOrientation.turnUpright(orientation, w, h, (upright, stored) -> out[upright] = s[stored]);
    boolean swap = ExifOrientation.swapsSides(orientation);
    return new GreyImage(out, swap ? h : w, swap ? w : h);
  }
}
