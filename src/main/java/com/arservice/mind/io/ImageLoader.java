package com.arservice.mind.io;

import com.arservice.imageio.ExifOrientation;
import com.arservice.imageio.HeifDecoder;
import com.arservice.imageio.ImageFormat;
import com.arservice.imageio.ImageInputException;
import com.arservice.imageio.ImageLimits;
import com.arservice.imageio.ImageSize;
import com.arservice.imageio.OrientationReader;
import com.arservice.mind.detect.GreyImage;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import javax.imageio.IIOException;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes a photo (JPEG, PNG, TIFF, WebP; HEIC and AVIF through {@link HeifDecoder}) into the grey
 * image MindAR's browser compiler would derive from it.
 *
 * <p>Like MindAR, which draws the photo on a cleared canvas and reads it back, the grey value is
 * {@code floor((r + g + b) / 3)} of the 8-bit colour, the EXIF orientation is applied (browsers do
 * so when drawing), and a fully transparent pixel counts as black (a canvas keeps premultiplied
 * colour, so it reads back as rgb 0); partly transparent pixels keep their colour. 16-bit samples
 * are reduced to their high byte. Colour profiles are ignored.
 *
 * <p>Size limits are checked from the image header before any pixel is decoded, so an oversized (or
 * decompression-bomb) upload costs almost nothing. Thread-safe.
 */
public final class ImageLoader {

  private static final String CMYK_MESSAGE =
      "The image uses CMYK (print) colours, which are not supported; please save it as an RGB JPEG or a PNG.";

  private final long maxPixels;
  private final HeifDecoder heif;

  /** A loader with {@link ImageLimits#MAX_PIXELS}. */
  public ImageLoader() {
    this(ImageLimits.MAX_PIXELS);
  }

  /** A loader refusing images of more than {@code maxPixels} pixels. */
  public ImageLoader(long maxPixels) {
    this(maxPixels, HeifDecoder.onPath());
  }

  /** A loader refusing images of more than {@code maxPixels} pixels, with a HEIC/AVIF decoder. */
  public ImageLoader(long maxPixels, HeifDecoder heif) {
    if (maxPixels <= 0) {
      throw new IllegalArgumentException("maxPixels must be positive");
    }
    this.maxPixels = maxPixels;
    this.heif = heif;
  }

  /** Reads and decodes a file. */
  public GreyImage load(Path file) throws ImageInputException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new ImageInputException(
          ImageInputException.Reason.UNREADABLE, "The file could not be read.", e);
    }
    return load(bytes);
  }

  /** Decodes an encoded photo (JPEG, PNG, TIFF, WebP, HEIC or AVIF). */
  public GreyImage load(byte[] bytes) throws ImageInputException {
    ImageFormat imageFormat = sniff(bytes);
    checkSize(readSize(imageFormat, bytes));
    if (imageFormat.viaHeif()) {
      return loadHeif(bytes, imageFormat);
    }
    int orientation;
    try {
      orientation = OrientationReader.read(new ByteArrayInputStream(bytes));
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array cannot fail to read
    }
    return decode(bytes, imageFormat, orientation);
  }

  /**
   * A HEIC/AVIF through libheif's PNG, which is upright already (its EXIF orientation, if copied
   * along, is not applied again) and whose size is checked again before it is decoded.
   */
  private GreyImage loadHeif(byte[] bytes, ImageFormat format) throws ImageInputException {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("ar-heif-");
      Path in = dir.resolve("in");
      Path png = dir.resolve("out.png");
      Files.write(in, bytes);
      heif.toPng(in, format, png);
      byte[] decoded = Files.readAllBytes(png);
      checkSize(readSize(ImageFormat.PNG, decoded));
      return decode(decoded, ImageFormat.PNG, 1);
    } catch (IOException e) {
      throw new ImageInputException(
          ImageInputException.Reason.UNREADABLE,
          "The " + format.displayName() + " file could not be decoded in a scratch folder.",
          e);
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

  private GreyImage decode(byte[] bytes, ImageFormat imageFormat, int orientation)
      throws ImageInputException {
    String format = imageFormat.displayName();
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
      BufferedImage img = imageFormat.decode(in, 1, 1);
      int space = img.getColorModel().getColorSpace().getType();
      if (space != ColorSpace.TYPE_RGB && space != ColorSpace.TYPE_GRAY) {
        throw new ImageInputException(ImageInputException.Reason.UNSUPPORTED_FORMAT, CMYK_MESSAGE);
      }
      return orient(toGrey(img), orientation);
    } catch (IIOException e) {
      if (String.valueOf(e.getMessage()).contains("Unsupported Image Type")) {
        throw new ImageInputException(
            ImageInputException.Reason.UNSUPPORTED_FORMAT, CMYK_MESSAGE, e);
      }
      throw unreadable(format, e);
    } catch (IOException | RuntimeException e) {
      throw unreadable(format, e);
    }
  }

  private static ImageInputException unreadable(String format, Exception e) {
    return new ImageInputException(
        ImageInputException.Reason.UNREADABLE,
        "The " + format + " file is damaged or incomplete and could not be read.",
        e);
  }

  /** The size stored in the header, read before any pixel is decoded. */
  private static ImageSize readSize(ImageFormat format, byte[] bytes) throws ImageInputException {
    try {
      return ImageSize.read(format, new ByteArrayInputStream(bytes))
          .orElseThrow(() -> unreadable(format.displayName(), null));
    } catch (EOFException e) {
      throw unreadable(format.displayName(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array cannot fail to read
    }
  }

  private void checkSize(ImageSize size) throws ImageInputException {
    if (size.pixels() > maxPixels) {
      throw new ImageInputException(
          ImageInputException.Reason.TOO_LARGE,
          String.format(
              "The image is too large (%d x %d pixels); the limit is %.0f megapixels, please scale it down.",
              size.width(), size.height(), maxPixels / 1e6));
    }
    if (Math.min(size.width(), size.height()) < ImageLimits.MIN_SHORT_SIDE) {
      throw new ImageInputException(
          ImageInputException.Reason.TOO_SMALL,
          String.format(
              "The image is too small (%d x %d pixels); its shorter side needs at least %d pixels.",
              size.width(), size.height(), ImageLimits.MIN_SHORT_SIDE));
    }
  }

  /** The format from the magic bytes; other known formats are refused by name. */
  private static ImageFormat sniff(byte[] b) throws ImageInputException {
    Optional<ImageFormat> format = ImageFormat.sniff(b);
    if (format.isPresent()) {
      return format.get();
    }
    Optional<String> other = ImageFormat.unsupportedName(b);
    if (other.isPresent()) {
      throw new ImageInputException(
          ImageInputException.Reason.UNSUPPORTED_FORMAT,
          "The file is a "
              + other.get()
              + " file, not a photo; please send a JPEG, PNG, HEIC, AVIF, WebP or TIFF photo.");
    }
    throw new ImageInputException(
        ImageInputException.Reason.UNREADABLE,
        "The file is not an image in a supported format (JPEG, PNG, HEIC, AVIF, WebP or TIFF).");
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
    if (cm instanceof IndexColorModel icm) {
      for (int y = 0; y < h; y++) {
        raster.getSamples(0, y, w, 1, 0, s0);
        for (int x = 0; x < w; x++) {
          int argb = icm.getRGB(s0[x]);
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
