package com.arservice.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.arservice.imageio.ImageFormat;
import com.arservice.testing.Allocation;
import com.arservice.testing.HostileFiles;
import com.arservice.testing.Processes;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PhotoNormalizerTest {

  @TempDir Path dir;

  private final PhotoNormalizer normalizer = new PhotoNormalizer();

  @Test
  void turnsAnExifRotatedJpegUprightWithSwappedDimensions() throws Exception {
    // stored sideways: left half red, right half blue; orientation 6 = turn 90° clockwise to view
    BufferedImage stored = TestImages.rgb(300, 200, (x, y) -> x < 150 ? 0xFF0000 : 0x0000FF);
    Path in = TestImages.jpegWithOrientation(stored, 6, dir.resolve("rotated.jpg"));

    PhotoNormalizer.Result result = normalizer.normalize(in, dir.resolve("out.jpg"));

    assertEquals(6, result.orientation());
    assertEquals(200, result.width());
    assertEquals(300, result.height());
    BufferedImage out = ImageIO.read(dir.resolve("out.jpg").toFile());
    assertEquals(200, out.getWidth());
    assertEquals(300, out.getHeight());
    assertTrue(isReddish(out.getRGB(100, 20)), "top is the red half");
    assertTrue(isBluish(out.getRGB(100, 280)), "bottom is the blue half");
  }

  @Test
  void shrinksTheLongerSideTo1024ByAveragingNotBySkippingPixels() throws Exception {
    // one-pixel black/white stripes: any pixel-skipping resize gives black or white, averaging
    // gives grey
    Path in =
        TestImages.write(
            TestImages.rgb(3000, 2000, (x, y) -> x % 2 == 0 ? 0 : 0xFFFFFF),
            "png",
            dir.resolve("stripes.png"));

    PhotoNormalizer.Result result = normalizer.normalize(in, dir.resolve("out.jpg"));

    assertEquals(1024, result.width());
    assertEquals(683, result.height());
    BufferedImage out = ImageIO.read(dir.resolve("out.jpg").toFile());
    long sum = 0;
    for (int x = 0; x < 1024; x++) {
      int grey = out.getRGB(x, 300) & 0xFF;
      assertTrue(grey > 50 && grey < 205, "grey at x=" + x + " was " + grey);
      sum += grey;
    }
    assertEquals(127.5, sum / 1024.0, 4.0);
  }

  @Test
  void keepsSmallPhotosAtTheirSizeAndReportsTheHashOfTheWrittenFile() throws Exception {
    Path in = TestImages.write(TestImages.photo(640, 480, 1), "png", dir.resolve("photo.png"));
    Path out = dir.resolve("sub/out.jpg");

    PhotoNormalizer.Result result = normalizer.normalize(in, out);

    assertEquals(640, result.width());
    assertEquals(480, result.height());
    assertEquals(ImageFormat.PNG, result.sourceFormat());
    assertEquals(ImageFiles.sha256(out), result.sha256());
    assertEquals(ImageFormat.JPEG, ImageFormat.sniff(out).orElseThrow());
  }

  @Test
  void flattensTransparencyOntoWhite() throws Exception {
    BufferedImage argb = new BufferedImage(200, 200, BufferedImage.TYPE_INT_ARGB);
    for (int y = 0; y < 200; y++) {
      for (int x = 0; x < 200; x++) {
        argb.setRGB(x, y, x < 100 ? 0x00000000 : 0xFF0000FF);
      }
    }
    Path in = TestImages.write(argb, "png", dir.resolve("alpha.png"));

    normalizer.normalize(in, dir.resolve("out.jpg"));

    BufferedImage out = ImageIO.read(dir.resolve("out.jpg").toFile());
    assertTrue(isNear(out.getRGB(40, 100), 0xFFFFFF), "transparent became white");
    assertTrue(isBluish(out.getRGB(160, 100)), "opaque blue stays blue");
  }

  @Test
  void readsSixteenBitColourAndGreyPngs() throws Exception {
    ComponentColorModel rgbModel =
        new ComponentColorModel(
            ColorSpace.getInstance(ColorSpace.CS_sRGB),
            false,
            false,
            Transparency.OPAQUE,
            DataBuffer.TYPE_USHORT);
    WritableRaster raster = rgbModel.createCompatibleWritableRaster(200, 150);
    for (int y = 0; y < 150; y++) {
      for (int x = 0; x < 200; x++) {
        raster.setPixel(x, y, new int[] {0xFFFF, 0x8080, 0});
      }
    }
    Path colour =
        TestImages.write(
            new BufferedImage(rgbModel, raster, false, null), "png", dir.resolve("c16.png"));
    BufferedImage grey16 = new BufferedImage(200, 150, BufferedImage.TYPE_USHORT_GRAY);
    for (int y = 0; y < 150; y++) {
      for (int x = 0; x < 200; x++) {
        grey16.getRaster().setSample(x, y, 0, 0x4040);
      }
    }
    Path grey = TestImages.write(grey16, "png", dir.resolve("g16.png"));

    normalizer.normalize(colour, dir.resolve("c.jpg"));
    normalizer.normalize(grey, dir.resolve("g.jpg"));

    assertTrue(isNear(ImageIO.read(dir.resolve("c.jpg").toFile()).getRGB(100, 75), 0xFF8000));
    assertTrue(
        isNear(ImageIO.read(dir.resolve("g.jpg").toFile()).getRGB(100, 75), 0x404040),
        "grey values are kept, not gamma-shifted");
  }

  @Test
  void readsPalettePngsWithATransparentEntry() throws Exception {
    byte[] r = {(byte) 255, 0, 0};
    byte[] g = {0, (byte) 255, 0};
    byte[] b = {0, 0, 0};
    byte[] a = {(byte) 255, (byte) 255, 0};
    IndexColorModel palette = new IndexColorModel(2, 3, r, g, b, a);
    BufferedImage indexed = new BufferedImage(300, 120, BufferedImage.TYPE_BYTE_INDEXED, palette);
    for (int y = 0; y < 120; y++) {
      for (int x = 0; x < 300; x++) {
        indexed.getRaster().setSample(x, y, 0, x / 100);
      }
    }
    Path in = TestImages.write(indexed, "png", dir.resolve("palette.png"));

    normalizer.normalize(in, dir.resolve("out.jpg"));

    BufferedImage out = ImageIO.read(dir.resolve("out.jpg").toFile());
    assertTrue(isNear(out.getRGB(50, 60), 0xFF0000));
    assertTrue(isNear(out.getRGB(150, 60), 0x00FF00));
    assertTrue(isNear(out.getRGB(250, 60), 0xFFFFFF), "the transparent entry became white");
  }

  @Test
  void acceptsAPngWhateverItsFileNameSays() throws Exception {
    Path in = TestImages.write(TestImages.photo(300, 300, 2), "png", dir.resolve("looks-like.jpg"));

    assertEquals(ImageFormat.PNG, normalizer.normalize(in, dir.resolve("out.jpg")).sourceFormat());
  }

  @Test
  void refusesATextFileNamedJpgAsNotAnImage() throws Exception {
    Path in = Files.writeString(dir.resolve("photo.jpg"), "hello, I am not a photo\n");

    MediaException e =
        assertThrows(MediaException.class, () -> normalizer.normalize(in, dir.resolve("out.jpg")));

    assertEquals(
        "The photo is not an image in a supported format (JPEG, PNG, HEIC, AVIF, WebP or TIFF)",
        e.reason());
    assertFalse(e.isTransient());
  }

  @Test
  void a200MegapixelPhoneJpegBecomesReadyInA48MegabyteHeap() throws Exception {
    // decoded whole it would take 600 MB; with rows and columns skipped, under 16 MB
    Path in = dir.resolve("phone.jpg");
    Processes.Result made =
        Processes.run(
            List.of(
                "ffmpeg",
                "-v",
                "error",
                "-f",
                "lavfi",
                "-i",
                "color=c=0x3366cc:s=16384x12288,drawbox=w=8192:h=12288:color=0xcc3333:t=fill",
                "-frames:v",
                "1",
                in.toString()),
            Map.of());
    assertEquals(0, made.exitCode(), made.stderr());
    Path out = dir.resolve("out.jpg");

    Processes.Result run =
        Processes.run(
            List.of(
                Processes.javaBin(),
                "-Xmx48m",
                "-cp",
                System.getProperty("java.class.path"),
                Normalize.class.getName(),
                in.toString(),
                out.toString()),
            Map.of());

    assertEquals(0, run.exitCode(), run.stderr());
    BufferedImage photo = ImageIO.read(out.toFile());
    assertEquals(1024, photo.getWidth());
    assertEquals(768, photo.getHeight());
    assertTrue(
        isNear(photo.getRGB(256, 384), 0xCC3333), Integer.toHexString(photo.getRGB(256, 384)));
    assertTrue(
        isNear(photo.getRGB(768, 384), 0x3366CC), Integer.toHexString(photo.getRGB(768, 384)));
  }

  /** Normalizes one photo in a JVM of its own, whose heap a test chooses. */
  static final class Normalize {
    public static void main(String[] args) throws Exception {
      new PhotoNormalizer().normalize(Path.of(args[0]), Path.of(args[1]));
    }
  }

  @Test
  void refusesAHugePngFromItsHeaderWithoutDecodingIt() throws Exception {
    ByteBuffer ihdr = ByteBuffer.allocate(8 + 25);
    ihdr.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
    ihdr.putInt(13).put("IHDR".getBytes(StandardCharsets.US_ASCII));
    ihdr.putInt(50_000).putInt(50_000).put(new byte[] {8, 6, 0, 0, 0}).putInt(0);
    Path in = Files.write(dir.resolve("bomb.png"), ihdr.array());

    MediaException e =
        assertThrows(MediaException.class, () -> normalizer.normalize(in, dir.resolve("out.jpg")));

    assertTrue(e.reason().startsWith("The photo is too large"), e.reason());
    assertTrue(e.reason().contains("2500"), e.reason());
    assertFalse(e.isTransient());
    assertFalse(Files.exists(dir.resolve("out.jpg")));
  }

  @Test
  void refusesAJpegOverTheConfiguredPixelLimitFromItsHeader() throws Exception {
    Path in = TestImages.write(TestImages.photo(1200, 1000, 3), "jpeg", dir.resolve("big.jpg"));

    MediaException e =
        assertThrows(
            MediaException.class,
            () -> new PhotoNormalizer(1_000_000).normalize(in, dir.resolve("out.jpg")));

    assertTrue(e.reason().startsWith("The photo is too large"), e.reason());
  }

  @Test
  void refusesAPhotoUnder100PixelsOnTheShortSide() throws Exception {
    Path in = TestImages.write(TestImages.photo(400, 99, 4), "png", dir.resolve("strip.png"));

    MediaException e =
        assertThrows(MediaException.class, () -> normalizer.normalize(in, dir.resolve("out.jpg")));

    assertEquals(
        "The photo is too small: at least 100 pixels on the short side are needed", e.reason());
    assertFalse(e.isTransient());
  }

  @Test
  void refusesAPngWithAValidHeaderButDamagedData() throws Exception {
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(TestImages.photo(300, 300, 5), "png", png);
    byte[] bytes = png.toByteArray();
    for (int i = 60; i < bytes.length - 20; i++) {
      bytes[i] = (byte) (bytes[i] ^ 0x5A);
    }
    Path in = Files.write(dir.resolve("damaged.png"), bytes);

    MediaException e =
        assertThrows(MediaException.class, () -> normalizer.normalize(in, dir.resolve("out.jpg")));

    assertTrue(e.reason().startsWith("The photo could not be decoded"), e.reason());
    assertFalse(e.isTransient());
  }

  @Test
  void refusesAMissingFileForGoodSinceRetryingCannotBringItBack() {
    MediaException e =
        assertThrows(
            MediaException.class,
            () -> normalizer.normalize(dir.resolve("nope.jpg"), dir.resolve("out.jpg")));

    assertEquals("The photo file is missing", e.reason());
    assertFalse(e.isTransient());
  }

  @Test
  void normalizesAPngWhoseTextChunkInflatesToGigabytesWithoutInflatingIt() throws Exception {
    Path bomb =
        HostileFiles.pngWithZtxtBomb(TestImages.photo(400, 300, 6), 1500, dir.resolve("bomb.png"));
    assertTrue(Files.size(bomb) < 2_000_000, "small file: " + Files.size(bomb));

    long allocated = Allocation.of(() -> normalizer.normalize(bomb, dir.resolve("out.jpg")));

    assertTrue(allocated < 100L << 20, "allocated " + (allocated >> 20) + " MB");
    assertEquals(400, ImageIO.read(dir.resolve("out.jpg").toFile()).getWidth());
  }

  @Test
  void turnsAPngUprightByTheOrientationInItsExifChunk() throws Exception {
    BufferedImage stored = TestImages.rgb(300, 200, (x, y) -> x < 150 ? 0xFF0000 : 0x0000FF);
    Path in = HostileFiles.pngWithExif(stored, 6, 8, dir.resolve("rotated.png"));

    PhotoNormalizer.Result result = normalizer.normalize(in, dir.resolve("out.jpg"));

    assertEquals(6, result.orientation());
    assertEquals(200, result.width());
    assertEquals(300, result.height());
  }

  @Test
  void refusesAPhotoWhoseExifOrientationLiesBeyondTheMetadataBudget() throws Exception {
    Path in =
        HostileFiles.pngWithExif(
            TestImages.photo(300, 200, 8), 6, 200_000, dir.resolve("fat-exif.png"));

    MediaException e =
        assertThrows(MediaException.class, () -> normalizer.normalize(in, dir.resolve("out.jpg")));

    assertEquals(
        "The photo's EXIF metadata is too large: more than 64 KB (save the photo again without it)",
        e.reason());
    assertFalse(e.isTransient());
  }

  static boolean isNear(int rgb, int expected) {
    for (int shift = 0; shift <= 16; shift += 8) {
      if (Math.abs((rgb >> shift & 0xFF) - (expected >> shift & 0xFF)) > 10) {
        return false;
      }
    }
    return true;
  }

  private static boolean isReddish(int rgb) {
    return (rgb >> 16 & 0xFF) > 200 && (rgb & 0xFF) < 60;
  }

  private static boolean isBluish(int rgb) {
    return (rgb & 0xFF) > 200 && (rgb >> 16 & 0xFF) < 60;
  }
}
