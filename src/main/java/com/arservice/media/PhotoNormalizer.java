package com.arservice.media;

import com.arservice.imageio.HeifDecoder;
import com.arservice.imageio.ImageFormat;
import com.arservice.imageio.ImageInputException;
import com.arservice.imageio.ImageLimits;
import com.arservice.imageio.ImageProblems;
import com.arservice.imageio.OrientationReader;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Pipeline step 2: turns an uploaded photo into the service's working copy, an upright sRGB JPEG
 * (quality 90) whose longer side is at most {@value #MAX_LONG_SIDE} px.
 *
 * <p>The real format is taken from the file's magic bytes (JPEG, PNG, TIFF, WebP, HEIC or AVIF,
 * whatever the name says), and the dimensions from its header before any pixel is decoded, so a
 * small file that claims billions of pixels is refused without allocating them. A large photo is
 * decoded with rows and columns skipped to at least twice the output size, so its memory does not
 * follow the file's pixel count. CMYK and YCCK JPEGs are converted to sRGB through their embedded
 * profile, or without one as Photoshop and ImageMagick show them. The EXIF orientation is applied,
 * transparency is flattened onto white and the image is shrunk by area averaging (every output
 * pixel is the mean of the source pixels it covers), never enlarged. Thread-safe; instances hold
 * only limits.
 */
public final class PhotoNormalizer {

  /** Longest side of the working copy, in pixels. */
  public static final int MAX_LONG_SIDE = 1024;

  /** JPEG quality of the working copy. */
  public static final float JPEG_QUALITY = 0.90f;

  private final long maxPixels;
  private final HeifDecoder heif;

  /** A normalizer with the default pixel limit, decoding HEIC/AVIF with the decoder on PATH. */
  public PhotoNormalizer() {
    this(ImageLimits.MAX_PIXELS, HeifDecoder.onPath());
  }

  /** A normalizer with the default pixel limit. */
  public PhotoNormalizer(HeifDecoder heif) {
    this(ImageLimits.MAX_PIXELS, heif);
  }

  /**
   * @param maxPixels largest accepted width × height as stored in the file
   */
  public PhotoNormalizer(long maxPixels) {
    this(maxPixels, HeifDecoder.onPath());
  }

  /**
   * @param maxPixels largest accepted width × height as stored in the file
   * @param heif the decoder of HEIC and AVIF photos
   */
  public PhotoNormalizer(long maxPixels, HeifDecoder heif) {
    this.heif = heif;
    if (maxPixels < (long) ImageLimits.MIN_SHORT_SIDE * ImageLimits.MIN_SHORT_SIDE) {
      throw new IllegalArgumentException("maxPixels too small: " + maxPixels);
    }
    this.maxPixels = maxPixels;
  }

  /**
   * The written working copy.
   *
   * @param width width of the written JPEG (after orientation and scaling)
   * @param height height of the written JPEG
   * @param sha256 lower-case hex SHA-256 of the written JPEG's bytes
   * @param sourceFormat the upload's real format
   * @param sourceWidth the upload's stored width (before EXIF orientation)
   * @param sourceHeight the upload's stored height (before EXIF orientation)
   * @param orientation the EXIF orientation that was applied (1 = none)
   */
  public record Result(
      int width,
      int height,
      String sha256,
      ImageFormat sourceFormat,
      int sourceWidth,
      int sourceHeight,
      int orientation) {}

  /**
   * Normalizes {@code input} into {@code output} (written atomically; parent folders created).
   *
   * @throws MediaException not transient for a file that is not a usable photo, transient when
   *     storage fails
   */
  public Result normalize(Path input, Path output) throws MediaException {
    ImageFiles.Header header = ImageFiles.readHeader(input, "photo");
    long w = header.size().width();
    long h = header.size().height();
    if (w * h > maxPixels) {
      throw ImageFiles.refused(ImageProblems.tooLarge("photo", w * h, maxPixels));
    }
    if (Math.min(w, h) < ImageLimits.MIN_SHORT_SIDE) {
      throw ImageFiles.refused(ImageProblems.tooSmall("photo"));
    }
    int orientation = orientation(input);
    // rows and columns skipped down to at least twice the output size, then averaged: a 200 MP
    // photo costs what a 4 MP one does
    int step = ImageLimits.subsamplingStep(w, h, 2 * MAX_LONG_SIDE);
    BufferedImage decoded =
        header.format().viaHeif()
            ? decodeHeif(input, header.format(), output)
            : ImageFiles.decode(input, header.format(), "photo", step, step);
    RgbImage scaled = shrink(decoded, MAX_LONG_SIDE);
    RgbImage upright = scaled.oriented(orientation);
    try {
      ImageFiles.writeJpeg(upright, JPEG_QUALITY, output);
      return new Result(
          upright.width(),
          upright.height(),
          ImageFiles.sha256(output),
          header.format(),
          (int) w,
          (int) h,
          orientation);
    } catch (IOException e) {
      throw MediaException.transientFailure("The resized photo could not be written to storage", e);
    }
  }

  /**
   * Shrinks so the longer side is at most {@code maxSide}; smaller images are only converted. Rows
   * are converted as they are averaged, so a large photo never exists twice in memory.
   */
  static RgbImage shrink(BufferedImage image, int maxSide) {
    int w = image.getWidth();
    int h = image.getHeight();
    int longer = Math.max(w, h);
    if (longer <= maxSide) {
      return ImageFiles.toRgbOnWhite(image);
    }
    double scale = (double) maxSide / longer;
    int dw = Math.max(1, (int) Math.round(w * scale));
    int dh = Math.max(1, (int) Math.round(h * scale));
    return new RgbImage(
        dw, dh, ImageFiles.areaAverage(ImageFiles.rgbRowsOnWhite(image), w, h, dw, dh, 3));
  }

  /**
   * Decodes a HEIC/AVIF through a PNG beside {@code output}: libheif has turned it upright and kept
   * its colour profile, which the PNG decode converts to sRGB.
   */
  private BufferedImage decodeHeif(Path input, ImageFormat format, Path output)
      throws MediaException {
    try {
      Path dir = output.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      return heif.decode(
          input,
          format,
          dir,
          maxPixels,
          size -> ImageLimits.subsamplingStep(size.width(), size.height(), 2 * MAX_LONG_SIDE));
    } catch (ImageInputException e) {
      throw ImageFiles.refused(e);
    } catch (IOException e) {
      throw MediaException.transientFailure("The photo could not be decoded in storage", e);
    }
  }

  /** The EXIF orientation (1..8), read within a byte budget; 1 when absent or broken. */
  private static int orientation(Path file) throws MediaException {
    try {
      return OrientationReader.read(file);
    } catch (ImageInputException e) {
      throw ImageFiles.refused(e);
    } catch (IOException e) {
      throw MediaException.transientFailure("The photo could not be read from storage", e);
    }
  }
}
