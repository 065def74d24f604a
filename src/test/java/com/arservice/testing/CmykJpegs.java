package com.arservice.testing;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * CMYK JPEGs as print studios send them, made by the tests from an sRGB image, with ImageMagick's
 * own sRGB rendering of each as the reference (ImageMagick from {@code .ci/setup-imagemagick.sh};
 * the CMYK profile is Ghostscript's SWOP one from Debian's {@code libgs-common}).
 */
public final class CmykJpegs {

  /** A SWOP coated CMYK profile shipped by Debian's {@code libgs-common}. */
  public static final Path SWOP_PROFILE =
      Path.of("/usr/share/color/icc/ghostscript/default_cmyk.icc");

  private CmykJpegs() {}

  /** How a test CMYK JPEG is stored. */
  public enum Kind {
    /** ImageMagick's CMYK JPEG: YCCK (Adobe transform 2), inverted, no profile. */
    YCCK,
    /** The same with a SWOP profile embedded (converted from sRGB through it). */
    YCCK_WITH_PROFILE,
    /** Plain CMYK (Adobe transform 0), inverted as Photoshop stores it, no profile. */
    ADOBE_CMYK
  }

  /** Writes {@code rgb} as a CMYK JPEG of the given kind. */
  public static Path write(BufferedImage rgb, Kind kind, Path out) throws IOException {
    Path png = Files.createTempFile(out.toAbsolutePath().getParent(), "src", ".png");
    try {
      ImageIO.write(rgb, "png", png.toFile());
      switch (kind) {
        case YCCK -> convert(png.toString(), "-colorspace", "CMYK", "-strip", out.toString());
        case YCCK_WITH_PROFILE ->
            convert(
                png.toString(),
                "-profile",
                srgbProfile(out).toString(),
                "-profile",
                SWOP_PROFILE.toString(),
                out.toString());
        case ADOBE_CMYK -> Files.write(out, adobeCmyk(rgb));
      }
      return out;
    } finally {
      Files.deleteIfExists(png);
    }
  }

  /** ImageMagick's sRGB rendering of a CMYK JPEG: through its profile when it has one. */
  public static BufferedImage reference(Path cmykJpeg, Kind kind) throws IOException {
    Path png = Files.createTempFile(cmykJpeg.toAbsolutePath().getParent(), "ref", ".png");
    try {
      if (kind == Kind.YCCK_WITH_PROFILE) {
        convert(cmykJpeg.toString(), "-profile", srgbProfile(cmykJpeg).toString(), png.toString());
      } else {
        convert(cmykJpeg.toString(), "-colorspace", "sRGB", png.toString());
      }
      return ImageIO.read(png.toFile());
    } finally {
      Files.deleteIfExists(png);
    }
  }

  private static Path srgbProfile(Path beside) throws IOException {
    Path icc = beside.toAbsolutePath().resolveSibling("sRGB.icc");
    if (!Files.exists(icc)) {
      Files.write(icc, ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData());
    }
    return icc;
  }

  /**
   * Inverted CMYK by the plain formula, written by the JDK's encoder (which stores four channels
   * without a colour transform marker) with an Adobe APP14 segment (transform 0) added, as
   * Photoshop's CMYK JPEGs have.
   */
  private static byte[] adobeCmyk(BufferedImage rgb) throws IOException {
    int w = rgb.getWidth();
    int h = rgb.getHeight();
    WritableRaster cmyk = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, h, 4, null);
    int[] sample = new int[4];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int p = rgb.getRGB(x, y);
        int r = p >> 16 & 0xFF;
        int g = p >> 8 & 0xFF;
        int b = p & 0xFF;
        int k = 255 - Math.max(r, Math.max(g, b));
        for (int c = 0; c < 3; c++) {
          int v = c == 0 ? r : c == 1 ? g : b;
          sample[c] = k == 255 ? 255 : 255 - (255 - v - k) * 255 / (255 - k);
        }
        sample[3] = 255 - k;
        cmyk.setPixel(x, y, sample);
      }
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    try (ImageOutputStream ios = ImageIO.createImageOutputStream(bytes)) {
      writer.setOutput(ios);
      writer.write(null, new IIOImage(cmyk, null, null), null);
    } finally {
      writer.dispose();
    }
    byte[] jpeg = bytes.toByteArray();
    byte[] app14 = {
      (byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0
    };
    byte[] out = new byte[jpeg.length + app14.length];
    System.arraycopy(jpeg, 0, out, 0, 2);
    System.arraycopy(app14, 0, out, 2, app14.length);
    System.arraycopy(jpeg, 2, out, 2 + app14.length, jpeg.length - 2);
    return out;
  }

  private static void convert(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("convert"));
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IOException(
            "ImageMagick's convert failed on " + command + " (run .ci/setup-imagemagick.sh)");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }
}
