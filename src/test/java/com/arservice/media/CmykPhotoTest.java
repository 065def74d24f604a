package com.arservice.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.arservice.imageio.ImageFormat;
import com.arservice.mind.detect.GreyImage;
import com.arservice.mind.io.ImageLoader;
import com.arservice.testing.CmykJpegs;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Print studios' CMYK and YCCK JPEGs, with and without a profile, come out in the colours
 * ImageMagick shows, in the service's published photo and in what the command line compiles.
 */
class CmykPhotoTest {

  private static final int PATCH = 80;
  private static final int[] COLOURS = {0xC81E28, 0x1EA03C, 0x2846BE, 0xE6D23C, 0x808080, 0xF5F0E6};

  /** Largest per-channel difference from ImageMagick's rendering, out of 255. */
  private static final int TOLERANCE = 12;

  @TempDir static Path shared;
  @TempDir Path dir;

  /** Each kind's file and ImageMagick's rendering of it, made once for the class. */
  private record Print(Path file, BufferedImage reference) {}

  private static final Map<CmykJpegs.Kind, Print> PRINTS = new EnumMap<>(CmykJpegs.Kind.class);

  private static synchronized Print print(CmykJpegs.Kind kind) throws IOException {
    Print print = PRINTS.get(kind);
    if (print == null) {
      Path file = CmykJpegs.write(patches(), kind, shared.resolve(kind + ".jpg"));
      print = new Print(file, CmykJpegs.reference(file, kind));
      PRINTS.put(kind, print);
    }
    return print;
  }

  /** Six flat patches, three by two. */
  private static BufferedImage patches() {
    BufferedImage image = new BufferedImage(3 * PATCH, 2 * PATCH, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        image.setRGB(x, y, COLOURS[y / PATCH * 3 + x / PATCH]);
      }
    }
    return image;
  }

  @ParameterizedTest
  @EnumSource(CmykJpegs.Kind.class)
  void thePublishedPhotoHasTheColoursImageMagickShows(CmykJpegs.Kind kind) throws Exception {
    Path cmyk = print(kind).file();
    BufferedImage reference = print(kind).reference();

    PhotoNormalizer.Result result = new PhotoNormalizer().normalize(cmyk, dir.resolve("photo.jpg"));

    assertEquals(3 * PATCH, result.width());
    BufferedImage photo = ImageIO.read(dir.resolve("photo.jpg").toFile());
    for (int i = 0; i < COLOURS.length; i++) {
      int x = i % 3 * PATCH + PATCH / 2;
      int y = i / 3 * PATCH + PATCH / 2;
      assertNear(reference.getRGB(x, y), photo.getRGB(x, y), kind + " patch " + i);
    }
  }

  @ParameterizedTest
  @EnumSource(CmykJpegs.Kind.class)
  void isReadWithRowsAndColumnsSkippedInTheSameColours(CmykJpegs.Kind kind) throws Exception {
    Path cmyk = print(kind).file();
    BufferedImage reference = print(kind).reference();

    BufferedImage half = ImageFiles.decode(cmyk, ImageFormat.JPEG, "photo", 2, 2);

    assertEquals(3 * PATCH / 2, half.getWidth());
    for (int i = 0; i < COLOURS.length; i++) {
      int x = i % 3 * PATCH + PATCH / 2;
      int y = i / 3 * PATCH + PATCH / 2;
      assertNear(reference.getRGB(x, y), half.getRGB(x / 2, y / 2), kind + " patch " + i);
    }
  }

  @ParameterizedTest
  @EnumSource(CmykJpegs.Kind.class)
  void theCommandLineCompilesTheSameGreyAsImageMagickShows(CmykJpegs.Kind kind) throws Exception {
    Path cmyk = print(kind).file();
    BufferedImage reference = print(kind).reference();

    GreyImage grey = new ImageLoader().load(cmyk);

    for (int i = 0; i < COLOURS.length; i++) {
      int x = i % 3 * PATCH + PATCH / 2;
      int y = i / 3 * PATCH + PATCH / 2;
      int p = reference.getRGB(x, y);
      int expected = ((p >> 16 & 0xFF) + (p >> 8 & 0xFF) + (p & 0xFF)) / 3;
      int actual = grey.data()[y * grey.width() + x] & 0xFF;
      assertTrue(
          Math.abs(expected - actual) <= TOLERANCE,
          kind + " patch " + i + ": grey " + actual + ", ImageMagick " + expected);
    }
  }

  private static void assertNear(int expected, int actual, String what) {
    for (int shift = 0; shift <= 16; shift += 8) {
      int e = expected >> shift & 0xFF;
      int a = actual >> shift & 0xFF;
      assertTrue(
          Math.abs(e - a) <= TOLERANCE,
          String.format(
              "%s: %06X, ImageMagick shows %06X", what, actual & 0xFFFFFF, expected & 0xFFFFFF));
    }
  }
}
