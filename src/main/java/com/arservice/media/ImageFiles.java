package com.arservice.media;

import com.arservice.files.AtomicMove;
import com.arservice.imageio.FileType;
import com.arservice.imageio.ImageFormat;
import com.arservice.imageio.ImageInputException;
import com.arservice.imageio.ImageProblems;
import com.arservice.imageio.ImageSize;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.Raster;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import javax.imageio.IIOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

/** Reading, converting, resampling and writing images; shared by the media steps. */
final class ImageFiles {

  private ImageFiles() {}

  /** A header-only look at an image file: its real format and stored dimensions. */
  record Header(ImageFormat format, ImageSize size) {}

  /**
   * Reads the format and stored dimensions without decoding pixels, so oversized images are refused
   * before any large allocation.
   *
   * @param what the noun used in reasons ("photo", "mask")
   */
  static Header readHeader(Path file, String what) throws MediaException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 8192)) {
      in.mark(ImageFormat.HEAD_BYTES);
      byte[] head = in.readNBytes(ImageFormat.HEAD_BYTES);
      in.reset();
      Optional<FileType> type = FileType.sniff(head);
      ImageFormat format =
          type.flatMap(FileType::imageFormat)
              .orElseThrow(() -> refused(ImageProblems.notAnImage(what, type)));
      ImageSize size =
          ImageSize.read(format, in).orElseThrow(() -> refused(ImageProblems.sizeUnreadable(what)));
      return new Header(format, size);
    } catch (EOFException e) {
      throw refused(ImageProblems.endsEarly(what, e));
    } catch (NoSuchFileException e) {
      throw MediaException.badInput("The " + what + " file is missing", e);
    } catch (IOException e) {
      throw MediaException.transientFailure("The " + what + " could not be read from storage", e);
    }
  }

  /** A refusal in the service's terms: bad input, never retried. */
  static MediaException refused(ImageInputException problem) {
    return MediaException.badInput(problem.getMessage(), problem);
  }

  /** Decodes the first image of a file whose header has been checked. */
  static BufferedImage decode(Path file, ImageFormat format, String what) throws MediaException {
    return decode(file, format, what, 1, 1);
  }

  /**
   * Decodes the first image keeping only every {@code stepX}-th column and {@code stepY}-th row, so
   * the decoded image (and the memory it takes) is the stored size divided by the steps.
   */
  static BufferedImage decode(Path file, ImageFormat format, String what, int stepX, int stepY)
      throws MediaException {
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      if (in == null) {
        throw MediaException.transientFailure(
            "The " + what + " could not be read from storage", null);
      }
      return format.decode(in, stepX, stepY);
    } catch (IIOException | RuntimeException e) {
      if (e.getCause() instanceof OutOfMemoryError oom) {
        throw oom; // ImageIO wraps it: the image is too large for the heap, not damaged
      }
      // decoder errors: corrupt data or a variant the decoders do not support
      throw refused(ImageProblems.undecodable(what, format, e));
    } catch (IOException e) {
      throw MediaException.transientFailure("The " + what + " could not be read from storage", e);
    }
  }

  /** Supplies an image row by row as packed 0xRRGGBB (or, for planes, 0..255) values. */
  interface RowSource {
    void row(int y, int[] out);
  }

  /** Rows of a packed array. */
  static RowSource rows(int[] pixels, int width) {
    return (y, out) -> System.arraycopy(pixels, y * width, out, 0, width);
  }

  /**
   * Rows of any decoded image as packed 0xRRGGBB, transparency flattened onto white. Grey images
   * are read from their raster: ImageIO tags them with a linear grey colour space, and {@link
   * BufferedImage#getRGB} would then brighten them with a gamma curve.
   */
  static RowSource rgbRowsOnWhite(BufferedImage image) {
    int w = image.getWidth();
    if (image.getColorModel() instanceof ComponentColorModel cm
        && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
      Raster raster = image.getRaster();
      int bands = raster.getNumBands();
      int greyMax = (1 << cm.getComponentSize(0)) - 1;
      int alphaMax = bands > 1 ? (1 << cm.getComponentSize(1)) - 1 : 1;
      int[] grey = new int[w];
      int[] alpha = new int[w];
      return (y, out) -> {
        raster.getSamples(0, y, w, 1, 0, grey);
        if (bands > 1) {
          raster.getSamples(0, y, w, 1, 1, alpha);
        }
        for (int x = 0; x < w; x++) {
          int g = (int) ((grey[x] * 255L + greyMax / 2) / greyMax);
          int a = bands > 1 ? (int) ((alpha[x] * 255L + alphaMax / 2) / alphaMax) : 255;
          int v = flatten(g, a);
          out[x] = v << 16 | v << 8 | v;
        }
      };
    }
    boolean hasAlpha = image.getColorModel().hasAlpha();
    return (y, out) -> {
      image.getRGB(0, y, w, 1, out, 0, w);
      for (int x = 0; x < w; x++) {
        int argb = out[x];
        if (hasAlpha) {
          int a = argb >>> 24;
          argb =
              flatten(argb >> 16 & 0xFF, a) << 16
                  | flatten(argb >> 8 & 0xFF, a) << 8
                  | flatten(argb & 0xFF, a);
        }
        out[x] = argb & 0xFFFFFF;
      }
    };
  }

  /** Any decoded image as packed 0xRRGGBB pixels, transparency flattened onto white. */
  static RgbImage toRgbOnWhite(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    int[] out = new int[w * h];
    int[] row = new int[w];
    RowSource rows = rgbRowsOnWhite(image);
    for (int y = 0; y < h; y++) {
      rows.row(y, row);
      System.arraycopy(row, 0, out, y * w, w);
    }
    return new RgbImage(w, h, out);
  }

  private static int flatten(int value, int alpha) {
    return (value * alpha + 255 * (255 - alpha) + 127) / 255;
  }

  /** Reads the alpha channel (0..255) of any decoded image; {@code null} if it has none. */
  static int[] alphaOf(BufferedImage image) {
    if (!image.getColorModel().hasAlpha()) {
      return null;
    }
    int w = image.getWidth();
    int h = image.getHeight();
    int[] out = new int[w * h];
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      image.getRGB(0, y, w, 1, row, 0, w);
      for (int x = 0; x < w; x++) {
        out[y * w + x] = row[x] >>> 24;
      }
    }
    return out;
  }

  /**
   * Area-averaging resize, reading the source a row at a time: every destination pixel is the
   * coverage-weighted mean of the source pixels under it, so downscaling never aliases. Used for
   * downscaling; for upscaling it degrades to nearest-neighbour blocks, so callers only shrink with
   * it and use {@link #bilinear} to enlarge.
   *
   * @param channels number of 8-bit channels packed in each int (3 for RGB, 1 for a plane of
   *     0..255)
   */
  static int[] areaAverage(RowSource src, int sw, int sh, int dw, int dh, int channels) {
    double sx = (double) sw / dw;
    double sy = (double) sh / dh;
    float[] acc = new float[dw * dh * channels];
    float[] rowAcc = new float[dw * channels];
    int[] x0 = new int[sw];
    float[] wx0 = new float[sw];
    float[] wx1 = new float[sw];
    spans(sw, dw, sx, x0, wx0, wx1);
    int[] y0 = new int[sh];
    float[] wy0 = new float[sh];
    float[] wy1 = new float[sh];
    spans(sh, dh, sy, y0, wy0, wy1);
    int[] row = new int[sw];
    for (int y = 0; y < sh; y++) {
      Arrays.fill(rowAcc, 0f);
      src.row(y, row);
      for (int x = 0; x < sw; x++) {
        int p = row[x];
        int d = x0[x] * channels;
        for (int c = 0; c < channels; c++) {
          float v = channels == 1 ? p : (p >> (8 * (channels - 1 - c)) & 0xFF);
          rowAcc[d + c] += v * wx0[x];
          if (wx1[x] != 0f) {
            rowAcc[d + channels + c] += v * wx1[x];
          }
        }
      }
      int r0 = y0[y] * dw * channels;
      for (int i = 0; i < rowAcc.length; i++) {
        acc[r0 + i] += rowAcc[i] * wy0[y];
      }
      if (wy1[y] != 0f) {
        int r1 = r0 + dw * channels;
        for (int i = 0; i < rowAcc.length; i++) {
          acc[r1 + i] += rowAcc[i] * wy1[y];
        }
      }
    }
    int[] out = new int[dw * dh];
    for (int i = 0; i < out.length; i++) {
      int v = 0;
      for (int c = 0; c < channels; c++) {
        int cv = Math.min(255, Math.max(0, Math.round(acc[i * channels + c])));
        v = v << 8 | cv;
      }
      out[i] = v;
    }
    return out;
  }

  /**
   * For each source index, the first destination cell it falls in and its weights in that cell and
   * the next (a source pixel straddles at most two cells when shrinking).
   */
  private static void spans(int n, int cells, double scale, int[] first, float[] w0, float[] w1) {
    for (int i = 0; i < n; i++) {
      int cell = Math.min(cells - 1, (int) Math.floor(i / scale));
      // the last cell takes the whole pixel: rounding must not push weight past the end
      double inFirst = cell == cells - 1 ? 1.0 : Math.min(1.0, (cell + 1) * scale - i);
      first[i] = cell;
      w0[i] = (float) (inFirst / scale);
      w1[i] = inFirst < 1.0 ? (float) ((1.0 - inFirst) / scale) : 0f;
    }
  }

  /** Bilinear resize of a plane of 0..255 values, for enlarging masks. */
  static int[] bilinear(int[] src, int sw, int sh, int dw, int dh) {
    int[] out = new int[dw * dh];
    double sx = (double) sw / dw;
    double sy = (double) sh / dh;
    for (int y = 0; y < dh; y++) {
      double fy = Math.max(0, Math.min(sh - 1, (y + 0.5) * sy - 0.5));
      int ya = (int) fy;
      int yb = Math.min(sh - 1, ya + 1);
      double ty = fy - ya;
      for (int x = 0; x < dw; x++) {
        double fx = Math.max(0, Math.min(sw - 1, (x + 0.5) * sx - 0.5));
        int xa = (int) fx;
        int xb = Math.min(sw - 1, xa + 1);
        double tx = fx - xa;
        double top = src[ya * sw + xa] * (1 - tx) + src[ya * sw + xb] * tx;
        double bottom = src[yb * sw + xa] * (1 - tx) + src[yb * sw + xb] * tx;
        out[y * dw + x] = (int) Math.round(top * (1 - ty) + bottom * ty);
      }
    }
    return out;
  }

  /**
   * Resizes a plane of 0..255 values in whichever direction with a suitable filter per axis pair.
   */
  static int[] resizePlane(int[] src, int sw, int sh, int dw, int dh) {
    if (sw == dw && sh == dh) {
      return src.clone();
    }
    if (dw <= sw && dh <= sh) {
      return areaAverage(rows(src, sw), sw, sh, dw, dh, 1);
    }
    if (dw >= sw && dh >= sh) {
      return bilinear(src, sw, sh, dw, dh);
    }
    // shrinking one axis, growing the other: one axis at a time (the filters are separable), the
    // shrink first, so the intermediate plane is never larger than the result
    if (dw < sw) {
      return bilinear(areaAverage(rows(src, sw), sw, sh, dw, sh, 1), dw, sh, dw, dh);
    }
    return bilinear(areaAverage(rows(src, sw), sw, sh, sw, dh, 1), sw, dh, dw, dh);
  }

  /** Writes an RGB image as a baseline JPEG of the given quality (0..1). */
  static void writeJpeg(RgbImage image, float quality, Path out) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    try {
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(quality);
      writeAtomically(
          out,
          stream -> {
            try (ImageOutputStream ios = ImageIO.createImageOutputStream(stream)) {
              writer.setOutput(ios);
              writer.write(null, new IIOImage(image.toBufferedImage(), null, null), param);
            }
          });
    } finally {
      writer.dispose();
    }
  }

  /** Writes an image as PNG. */
  static void writePng(BufferedImage image, Path out) throws IOException {
    writeAtomically(
        out,
        stream -> {
          if (!ImageIO.write(image, "png", stream)) {
            throw new IOException("no PNG writer for image type " + image.getType());
          }
        });
  }

  /** Writes PNG or JPEG (quality 0.95) depending on the file name's extension. */
  static void writeByExtension(RgbImage image, Path out) throws IOException {
    String name = out.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".png")) {
      writePng(image.toBufferedImage(), out);
    } else if (name.endsWith(".jpg") || name.endsWith(".jpeg")) {
      writeJpeg(image, 0.95f, out);
    } else {
      throw new IllegalArgumentException("output must end in .png, .jpg or .jpeg: " + out);
    }
  }

  interface StreamWriter {
    void write(OutputStream out) throws IOException;
  }

  /** Writes next to the target and renames, so a crash never leaves a half-written artifact. */
  static void writeAtomically(Path target, StreamWriter body) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
    try {
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
        body.write(out);
      }
      moveIntoPlace(tmp, target);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Renames a finished temporary file over {@code target} (see {@link AtomicMove}). */
  static void moveIntoPlace(Path tmp, Path target) throws IOException {
    AtomicMove.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Lower-case hex SHA-256 of a file's bytes. */
  static String sha256(Path file) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      int n;
      while ((n = in.read(buffer)) > 0) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
