package com.arservice.imageio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.junit.jupiter.api.Test;

class ImageFormatTest {

  @Test
  void tellsJpegAndPngByTheirWholeSignatureAndNamesOtherImageFormats() throws IOException {
    assertEquals(Optional.of(ImageFormat.JPEG), ImageFormat.sniff(encode("jpeg", 120, 100)));
    assertEquals(Optional.of(ImageFormat.PNG), ImageFormat.sniff(encode("png", 120, 100)));
    byte[] brokenPng = encode("png", 120, 100);
    brokenPng[5] = 0;
    assertEquals(Optional.empty(), ImageFormat.sniff(brokenPng));
    assertEquals(Optional.empty(), ImageFormat.sniff(new byte[] {(byte) 0xFF, (byte) 0xD8}));

    assertEquals("The photo is a GIF file, not", refusal("GIF89a......"));
    assertEquals("The photo is a BMP file, not", refusal("BM.........."));
    assertEquals("The photo is a MP4 file, not", refusal("....ftypisom"));
    assertEquals("The photo is not", refusal("plain text"));
  }

  /** The start of the sentence refusing a file that begins with {@code head}. */
  private static String refusal(String head) {
    String message = ImageProblems.notAnImage("photo", FileType.sniff(ascii(head))).getMessage();
    assertTrue(
        message.endsWith(" an image in a supported format (" + ImageProblems.SUPPORTED + ")"));
    return message.substring(0, message.indexOf(" an image"));
  }

  @Test
  void readsTheStoredSizeFromTheHeaderAlone() throws IOException {
    assertEquals(
        Optional.of(new ImageSize(130, 110)), size(ImageFormat.JPEG, encode("jpeg", 130, 110)));
    assertEquals(
        Optional.of(new ImageSize(130, 110)), size(ImageFormat.PNG, encode("png", 130, 110)));
    // the header is all that is read: a file cut right after it still has its size
    assertEquals(
        Optional.of(new ImageSize(130, 110)),
        size(ImageFormat.PNG, Arrays.copyOf(encode("png", 130, 110), 24)));
    assertThrows(
        EOFException.class,
        () -> size(ImageFormat.PNG, Arrays.copyOf(encode("png", 130, 110), 20)));
  }

  @Test
  void aPngClaimingMoreThanTwoToTheThirtyOnePixelsASideHasNoSize() throws IOException {
    byte[] png = encode("png", 130, 110);
    ByteBuffer.wrap(png).putInt(16, 0xFFFF_FFFF).putInt(20, 0xFFFF_FFFF);
    assertEquals(Optional.empty(), size(ImageFormat.PNG, png));
  }

  @Test
  void decodesEveryOtherRowAndColumnWhenAsked() throws IOException {
    BufferedImage half =
        ImageFormat.PNG.decode(
            new MemoryCacheImageInputStream(new ByteArrayInputStream(encode("png", 130, 110))),
            2,
            2);
    assertArrayEquals(new int[] {65, 55}, new int[] {half.getWidth(), half.getHeight()});
  }

  private static Optional<ImageSize> size(ImageFormat format, byte[] bytes) throws IOException {
    return ImageSize.read(format, new ByteArrayInputStream(bytes));
  }

  private static byte[] encode(String format, int width, int height) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB), format, out);
    return out.toByteArray();
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
