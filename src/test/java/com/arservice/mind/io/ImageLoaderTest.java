package com.arservice.mind.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.arservice.imageio.HeifDecoder;
import com.arservice.imageio.ImageInputException;
import com.arservice.mind.detect.GreyImage;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

public class ImageLoaderTest {

  private final ImageLoader loader = new ImageLoader();

  @Test
  void readsAGreyPngWithoutGammaConversion() throws Exception {
    BufferedImage img = new BufferedImage(120, 110, BufferedImage.TYPE_BYTE_GRAY);
    WritableRaster r = img.getRaster();
    for (int y = 0; y < 110; y++) {
      for (int x = 0; x < 120; x++) {
        r.setSample(x, y, 0, (x + y) % 256);
      }
    }
    GreyImage g = loader.load(encode(img, "png"));
    assertEquals(120, g.width());
    assertEquals(110, g.height());
    assertEquals(0, g.data()[0]);
    assertEquals(64, g.data()[10 * 120 + 54]);
    assertEquals(228, g.data()[109 * 120 + 119] & 0xff);
  }

  @Test
  void reducesSixteenBitSamplesToTheirHighByte() throws Exception {
    BufferedImage img = new BufferedImage(100, 100, BufferedImage.TYPE_USHORT_GRAY);
    WritableRaster r = img.getRaster();
    for (int y = 0; y < 100; y++) {
      for (int x = 0; x < 100; x++) {
        r.setSample(x, y, 0, x * 600 + 255);
      }
    }
    GreyImage g = loader.load(encode(img, "png"));
    assertEquals(0, g.data()[0]);
    assertEquals((99 * 600 + 255) >> 8, g.data()[99] & 0xff);
  }

  @Test
  void readsASixteenBitRgbaPng() throws Exception {
    ComponentColorModel cm =
        new ComponentColorModel(
            ColorSpace.getInstance(ColorSpace.CS_sRGB),
            true,
            false,
            Transparency.TRANSLUCENT,
            DataBuffer.TYPE_USHORT);
    WritableRaster r = cm.createCompatibleWritableRaster(100, 100);
    r.setPixel(0, 0, new int[] {0xffff, 0x8000, 0x0100, 0xffff});
    r.setPixel(1, 0, new int[] {0xffff, 0xffff, 0xffff, 0});
    GreyImage g = loader.load(encode(new BufferedImage(cm, r, false, null), "png"));
    assertEquals((255 + 128 + 1) / 3, g.data()[0] & 0xff);
    assertEquals(0, g.data()[1]);
  }

  @Test
  void averagesTheColoursOfAPalettePng() throws Exception {
    byte[] red = {(byte) 255, 0, 10};
    byte[] green = {0, (byte) 200, 20};
    byte[] blue = {0, 100, 31};
    IndexColorModel palette = new IndexColorModel(8, 3, red, green, blue);
    BufferedImage img = new BufferedImage(100, 100, BufferedImage.TYPE_BYTE_INDEXED, palette);
    for (int y = 0; y < 100; y++) {
      for (int x = 0; x < 100; x++) {
        img.getRaster().setSample(x, y, 0, x % 3);
      }
    }
    GreyImage g = loader.load(encode(img, "png"));
    assertEquals(85, g.data()[0] & 0xff);
    assertEquals(100, g.data()[1] & 0xff);
    assertEquals(20, g.data()[2] & 0xff);
  }

  @Test
  void readsFullyTransparentPixelsAsBlackLikeACanvas() throws Exception {
    BufferedImage img = new BufferedImage(100, 100, BufferedImage.TYPE_INT_ARGB);
    img.setRGB(0, 0, 0x00ffffff);
    img.setRGB(1, 0, 0xff102030);
    img.setRGB(2, 0, 0x80605040);
    GreyImage g = loader.load(encode(img, "png"));
    assertEquals(0, g.data()[0]);
    assertEquals(32, g.data()[1]);
    assertEquals(80, g.data()[2]);
  }

  @Test
  void readsAnRgbJpeg() throws Exception {
    BufferedImage img = new BufferedImage(160, 120, BufferedImage.TYPE_INT_RGB);
    fill(img, 0, 160, 0xc86432);
    GreyImage g = loader.load(encode(img, "jpeg"));
    assertEquals(160, g.width());
    assertTrue(Math.abs((g.data()[60 * 160 + 80] & 0xff) - 116) <= 3);
  }

  @Test
  void turnsAJpegUprightByItsExifOrientation() throws Exception {
    // stored 160x120, dark left half; orientation 6 means "rotate 90 degrees clockwise to view"
    BufferedImage img = new BufferedImage(160, 120, BufferedImage.TYPE_INT_RGB);
    fill(img, 0, 80, 0x000000);
    fill(img, 80, 160, 0xffffff);
    GreyImage g = loader.load(withExifOrientation(encode(img, "jpeg"), 6));
    assertEquals(120, g.width());
    assertEquals(160, g.height());
    assertTrue((g.data()[10 * 120 + 60] & 0xff) < 20, "top is the stored left side");
    assertTrue((g.data()[150 * 120 + 60] & 0xff) > 235, "bottom is the stored right side");
  }

  @Test
  void mapsEveryExifOrientation() {
    // 3x2 stored image: a b c / d e f
    GreyImage src = new GreyImage(new byte[] {1, 2, 3, 4, 5, 6}, 3, 2);
    assertEquals("[3, 2, 1, 6, 5, 4]", Arrays.toString(ImageLoader.orient(src, 2).data()));
    assertEquals("[6, 5, 4, 3, 2, 1]", Arrays.toString(ImageLoader.orient(src, 3).data()));
    assertEquals("[4, 5, 6, 1, 2, 3]", Arrays.toString(ImageLoader.orient(src, 4).data()));
    assertEquals("[1, 4, 2, 5, 3, 6]", Arrays.toString(ImageLoader.orient(src, 5).data()));
    assertEquals("[4, 1, 5, 2, 6, 3]", Arrays.toString(ImageLoader.orient(src, 6).data()));
    assertEquals("[6, 3, 5, 2, 4, 1]", Arrays.toString(ImageLoader.orient(src, 7).data()));
    assertEquals("[3, 6, 2, 5, 1, 4]", Arrays.toString(ImageLoader.orient(src, 8).data()));
    assertEquals(2, ImageLoader.orient(src, 8).width());
  }

  @Test
  void refusesAnImageWithAShortSideUnderOneHundredPixels() throws Exception {
    ImageInputException e =
        assertThrows(
            ImageInputException.class,
            () ->
                loader.load(encode(new BufferedImage(300, 99, BufferedImage.TYPE_INT_RGB), "png")));
    assertEquals(ImageInputException.Reason.TOO_SMALL, e.reason());
    assertEquals(
        "The photo is too small: at least 100 pixels on the short side are needed", e.getMessage());
  }

  @Test
  void refusesAHugeImageFromItsHeaderAlone() {
    // a PNG that declares 100000 x 100000 pixels but holds no pixel data at all
    ByteBuffer ihdr =
        ByteBuffer.allocate(13)
            .putInt(100_000)
            .putInt(100_000)
            .put((byte) 8)
            .put((byte) 2)
            .put((byte) 0)
            .put((byte) 0)
            .put((byte) 0);
    byte[] png =
        concat(
            new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'},
            chunk("IHDR", ihdr.array()));
    ImageInputException e = assertThrows(ImageInputException.class, () -> loader.load(png));
    assertEquals(ImageInputException.Reason.TOO_LARGE, e.reason());
  }

  @Test
  void appliesAConfiguredPixelLimit() throws Exception {
    byte[] png = encode(new BufferedImage(120, 120, BufferedImage.TYPE_INT_RGB), "png");
    assertEquals(
        ImageInputException.Reason.TOO_LARGE,
        assertThrows(ImageInputException.class, () -> new ImageLoader(120 * 119).load(png))
            .reason());
    assertEquals(120, new ImageLoader(120 * 120).load(png).width());
  }

  @Test
  void readsAFileOverTheDecodedLimitWithRowsAndColumnsSkipped() throws Exception {
    BufferedImage img = new BufferedImage(400, 300, BufferedImage.TYPE_INT_RGB);
    fill(img, 0, 200, 0xFFFFFF);
    Path file = Files.createTempFile("large", ".png");
    try {
      Files.write(file, encode(img, "png"));

      GreyImage grey = new ImageLoader(1_000_000, 10_000, HeifDecoder.onPath()).load(file);

      // every 4th row and column: 100 × 75 is the first step within 10000 pixels
      assertEquals(100, grey.width());
      assertEquals(75, grey.height());
      assertEquals(255, grey.data()[10 * 100 + 10] & 0xFF);
      assertEquals(0, grey.data()[10 * 100 + 90] & 0xFF);
    } finally {
      Files.delete(file);
    }
  }

  @Test
  void refusesBytesThatAreNoImage() {
    byte[] garbage = "this is not an image at all, just text".getBytes(StandardCharsets.UTF_8);
    assertEquals(
        ImageInputException.Reason.UNREADABLE,
        assertThrows(ImageInputException.class, () -> loader.load(garbage)).reason());
  }

  @Test
  void refusesATruncatedPng() throws Exception {
    BufferedImage img = new BufferedImage(200, 200, BufferedImage.TYPE_INT_RGB);
    byte[] png = encode(img, "png");
    byte[] cut = Arrays.copyOf(png, 60);
    assertEquals(
        ImageInputException.Reason.UNREADABLE,
        assertThrows(ImageInputException.class, () -> loader.load(cut)).reason());
  }

  @Test
  void refusesGifAndBmpAsUnsupportedFormats() throws Exception {
    BufferedImage img = new BufferedImage(120, 120, BufferedImage.TYPE_INT_RGB);
    for (String format : new String[] {"gif", "bmp"}) {
      ImageInputException e =
          assertThrows(ImageInputException.class, () -> loader.load(encode(img, format)));
      assertEquals(ImageInputException.Reason.UNSUPPORTED_FORMAT, e.reason());
      assertTrue(e.getMessage().contains(format.toUpperCase()), e.getMessage());
    }
  }

  private static void fill(BufferedImage img, int x0, int x1, int rgb) {
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = x0; x < x1; x++) {
        img.setRGB(x, y, rgb);
      }
    }
  }

  public static byte[] encode(BufferedImage img, String format) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (!ImageIO.write(img, format, out)) {
      throw new IOException("no writer for " + format);
    }
    return out.toByteArray();
  }

  /**
   * Inserts an APP1 Exif segment holding only an orientation tag right after the JPEG's SOI marker.
   */
  public static byte[] withExifOrientation(byte[] jpeg, int orientation) {
    ByteBuffer tiff = ByteBuffer.allocate(26);
    tiff.put(new byte[] {'M', 'M', 0, 42})
        .putInt(8) // big-endian TIFF header, IFD at 8
        .putShort((short) 1) // one entry
        .putShort((short) 0x0112)
        .putShort((short) 3)
        .putInt(1)
        .putShort((short) orientation)
        .putShort((short) 0)
        .putInt(0); // no next IFD
    byte[] exif = concat("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1), tiff.array());
    ByteBuffer app1 = ByteBuffer.allocate(4 + exif.length);
    app1.put((byte) 0xff).put((byte) 0xe1).putShort((short) (exif.length + 2)).put(exif);
    return concat(
        Arrays.copyOf(jpeg, 2), concat(app1.array(), Arrays.copyOfRange(jpeg, 2, jpeg.length)));
  }

  private static byte[] chunk(String type, byte[] data) {
    byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    return ByteBuffer.allocate(12 + data.length)
        .putInt(data.length)
        .put(typeBytes)
        .put(data)
        .putInt((int) crc.getValue())
        .array();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }
}
