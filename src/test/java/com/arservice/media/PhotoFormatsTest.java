package com.arservice.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.arservice.imageio.HeifDecoder;
import com.arservice.imageio.ImageFormat;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import java.util.zip.DeflaterOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TIFF, WebP, HEIC and AVIF photos become the same upright sRGB working copy as a JPEG would: the
 * inputs are made here (the JDK, cwebp, heif-enc) from one photo of four colour patches.
 */
class PhotoFormatsTest {

  /** Largest error allowed per channel, of 255, against the source patch (lossy codecs). */
  private static final int TOLERANCE = 6;

  private static final int W = 240;
  private static final int H = 160;
  private static final int[] PATCHES = {0xC81E1E, 0x1EC81E, 0x1E1EC8, 0xE6E628};

  @TempDir Path dir;

  private final PhotoNormalizer normalizer = new PhotoNormalizer();

  @Test
  void aTiffIsReadWithItsOrientationAndItsColours() throws Exception {
    Path tiff = Files.write(dir.resolve("in.tif"), tiff(sideways(), 6));
    assertUprightPatches(normalize(tiff, ImageFormat.TIFF));
  }

  @Test
  void aLossyWebpIsReadWithItsExifOrientationAndItsColours() throws Exception {
    Path plain = cwebp(sideways());
    Path rotated = Files.write(dir.resolve("rotated.webp"), withExif(Files.readAllBytes(plain), 6));
    assertUprightPatches(normalize(rotated, ImageFormat.WEBP));
  }

  @Test
  void aHeicIsDecodedByLibheifWithItsColours() throws Exception {
    assertUprightPatches(normalize(heifEnc(patches(), "in.heic"), ImageFormat.HEIC));
  }

  @Test
  void anAvifIsDecodedByLibheifWithItsColours() throws Exception {
    assertUprightPatches(normalize(heifEnc(patches(), "in.avif"), ImageFormat.AVIF));
  }

  @Test
  void aDisplayP3HeicIsConvertedToSrgb() throws Exception {
    ICC_Profile p3 = displayP3();
    BufferedImage source = patches();
    Path png = Files.write(dir.resolve("p3.png"), withIccp(pngBytes(source), p3));
    Path heic = dir.resolve("p3.heic");
    run("heif-enc", "-q", "95", "-p", "chroma=444", png.toString(), "-o", heic.toString());
    BufferedImage out = normalize(heic, ImageFormat.HEIC);
    // the same pixel values read as Display P3, in sRGB: far enough from the values themselves
    // that reading them as sRGB would fail
    ColorConvertOp toSrgb =
        new ColorConvertOp(
            new ICC_Profile[] {p3, ICC_Profile.getInstance(ColorSpace.CS_sRGB)}, null);
    BufferedImage expected = new BufferedImage(W, H, BufferedImage.TYPE_3BYTE_BGR);
    expected.getGraphics().drawImage(source, 0, 0, null);
    WritableRaster converted = expected.getRaster().createCompatibleWritableRaster();
    toSrgb.filter(expected.getRaster(), converted);
    expected.setData(converted);
    int[][] centres = {
      {W / 4, H / 4}, {3 * W / 4, H / 4}, {W / 4, 3 * H / 4}, {3 * W / 4, 3 * H / 4}
    };
    int asSrgb = 0;
    for (int[] c : centres) {
      int want = expected.getRGB(c[0], c[1]);
      int got = out.getRGB(c[0], c[1]);
      asSrgb = Math.max(asSrgb, maxChannelError(want, source.getRGB(c[0], c[1])));
      assertTrue(
          maxChannelError(want, got) <= TOLERANCE,
          String.format("%06x instead of %06x", got & 0xFFFFFF, want & 0xFFFFFF));
    }
    assertTrue(asSrgb > 2 * TOLERANCE, "P3 and sRGB differ by " + asSrgb);
  }

  @Test
  void aHeicTurnedByItsContainerIsTurnedOnceNotByItsExifAgain() throws Exception {
    // stored sideways, with irot 270° anticlockwise (= EXIF 6) and an EXIF orientation 6 beside it
    byte[] heic = Files.readAllBytes(heifEnc(sideways(), "sideways.heic"));
    int pixi = indexOf(heic, "pixi") - 4;
    // the same 16 bytes: an irot box (angle 3) padded, in the pixi's place and association
    byte[] irot = {0, 0, 0, 16, 'i', 'r', 'o', 't', 3, 0, 0, 0, 0, 0, 0, 0};
    System.arraycopy(irot, 0, heic, pixi, 16);
    Path turned = Files.write(dir.resolve("turned.heic"), heic);
    PhotoNormalizer.Result r = normalizer.normalize(turned, dir.resolve("out.jpg"));
    assertEquals(1, r.orientation());
    assertUprightPatches(ImageIO.read(dir.resolve("out.jpg").toFile()));
  }

  @Test
  void aTruncatedHeicIsRefusedAsDamagedQuickly() throws Exception {
    byte[] heic = Files.readAllBytes(heifEnc(patches(), "whole.heic"));
    Path cut = Files.write(dir.resolve("cut.heic"), Arrays.copyOf(heic, heic.length / 2));
    MediaException e = refused(cut);
    assertEquals("The HEIC photo is damaged or incomplete and could not be decoded", e.reason());
  }

  @Test
  void aHeicClaimingBillionsOfPixelsIsRefusedBeforeItIsDecoded() throws Exception {
    byte[] heic = Files.readAllBytes(heifEnc(patches(), "small.heic"));
    int ispe = indexOf(heic, "ispe");
    ByteBuffer.wrap(heic).putInt(ispe + 8, 100_000).putInt(ispe + 12, 100_000);
    Path bomb = Files.write(dir.resolve("bomb.heic"), heic);
    MediaException e = refused(bomb);
    assertTrue(e.reason().startsWith("The photo is too large"), e.reason());
  }

  @Test
  void withoutLibheifOnlyHeicAndAvifAreRefusedSayingWhy() throws Exception {
    PhotoNormalizer withoutHeif =
        new PhotoNormalizer(new HeifDecoder("/nonexistent/heif-convert", Duration.ofSeconds(5)));
    Path heic = heifEnc(patches(), "any.heic");
    MediaException e =
        assertThrows(
            MediaException.class, () -> withoutHeif.normalize(heic, dir.resolve("no.jpg")));
    assertEquals(
        "HEIC photos cannot be read on this server (libheif's /nonexistent/heif-convert is not"
            + " installed); please send the photo as a JPEG or PNG",
        e.reason());
    Path tiff = Files.write(dir.resolve("in.tif"), tiff(patches(), 1));
    withoutHeif.normalize(tiff, dir.resolve("out.jpg"));
  }

  @Test
  void garbageWithAHeicBrandIsRefusedAsDamagedQuickly() throws Exception {
    ByteBuffer b = ByteBuffer.allocate(4096);
    b.putInt(24).put(ascii("ftypheic")).putInt(0).put(ascii("mif1heic"));
    for (int i = 0; b.hasRemaining(); i++) {
      b.put((byte) (i * 31 + 7));
    }
    Path garbage = Files.write(dir.resolve("garbage.heic"), b.array());
    MediaException e = refused(garbage);
    assertTrue(e.reason().startsWith("The photo is damaged"), e.reason());
  }

  private MediaException refused(Path file) {
    return assertTimeoutPreemptively(
        Duration.ofSeconds(10),
        () ->
            assertThrows(
                MediaException.class, () -> normalizer.normalize(file, dir.resolve("no.jpg"))));
  }

  private BufferedImage normalize(Path in, ImageFormat format) throws Exception {
    PhotoNormalizer.Result r = normalizer.normalize(in, dir.resolve("out.jpg"));
    assertEquals(format, r.sourceFormat());
    return ImageIO.read(dir.resolve("out.jpg").toFile());
  }

  /** Four patches: red, green top; blue, yellow bottom. */
  private static BufferedImage patches() {
    return TestImages.rgb(W, H, (x, y) -> PATCHES[(y < H / 2 ? 0 : 2) + (x < W / 2 ? 0 : 1)]);
  }

  /** The patches stored turned 90° anticlockwise: EXIF orientation 6 shows them upright. */
  private static BufferedImage sideways() {
    BufferedImage upright = patches();
    return TestImages.rgb(H, W, (x, y) -> upright.getRGB(W - 1 - y, x) & 0xFFFFFF);
  }

  private static void assertUprightPatches(BufferedImage out) {
    assertEquals(W, out.getWidth());
    assertEquals(H, out.getHeight());
    int[][] centres = {
      {W / 4, H / 4}, {3 * W / 4, H / 4}, {W / 4, 3 * H / 4}, {3 * W / 4, 3 * H / 4}
    };
    for (int i = 0; i < 4; i++) {
      int rgb = out.getRGB(centres[i][0], centres[i][1]);
      for (int shift = 0; shift <= 16; shift += 8) {
        int error = Math.abs((rgb >> shift & 0xFF) - (PATCHES[i] >> shift & 0xFF));
        assertTrue(
            error <= TOLERANCE,
            String.format("patch %d: %06x instead of %06x", i, rgb & 0xFFFFFF, PATCHES[i]));
      }
    }
  }

  private Path heifEnc(BufferedImage image, String name) throws Exception {
    Path png = TestImages.write(image, "png", dir.resolve(name + ".png"));
    Path out = dir.resolve(name);
    run("heif-enc", "-q", "95", "-p", "chroma=444", png.toString(), "-o", out.toString());
    return out;
  }

  private Path cwebp(BufferedImage image) throws Exception {
    Path png = TestImages.write(image, "png", dir.resolve("webp-in.png"));
    Path out = dir.resolve("plain.webp");
    run("cwebp", "-quiet", "-q", "95", png.toString(), "-o", out.toString());
    return out;
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] output = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(
        0, p.exitValue(), List.of(command) + ": " + new String(output, StandardCharsets.UTF_8));
  }

  /** A simple WebP turned extended (VP8X) with an EXIF chunk holding only an orientation. */
  private static byte[] withExif(byte[] webp, int orientation) throws IOException {
    ByteBuffer head = ByteBuffer.wrap(webp).order(ByteOrder.LITTLE_ENDIAN);
    byte[] image = Arrays.copyOfRange(webp, 12, webp.length); // the VP8 chunk
    BufferedImage decoded = ImageIO.read(new java.io.ByteArrayInputStream(webp));
    int w = decoded.getWidth();
    int h = decoded.getHeight();
    assertEquals(webp.length - 8, head.getInt(4));
    byte[] tiff = TestImages.exifTiff(orientation);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuffer vp8x = ByteBuffer.allocate(18).order(ByteOrder.LITTLE_ENDIAN);
    vp8x.put(ascii("VP8X")).putInt(10).put((byte) 0x08).put(new byte[3]);
    vp8x.put((byte) (w - 1)).put((byte) ((w - 1) >> 8)).put((byte) ((w - 1) >> 16));
    vp8x.put((byte) (h - 1)).put((byte) ((h - 1) >> 8)).put((byte) ((h - 1) >> 16));
    ByteBuffer exif = ByteBuffer.allocate(8 + tiff.length + (tiff.length & 1));
    exif.order(ByteOrder.LITTLE_ENDIAN).put(ascii("EXIF")).putInt(tiff.length).put(tiff);
    int size = 4 + vp8x.capacity() + image.length + exif.capacity();
    ByteBuffer riff = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    riff.put(ascii("RIFF")).putInt(size);
    out.write(riff.array());
    out.write(ascii("WEBP"));
    out.write(vp8x.array());
    out.write(image);
    out.write(exif.array());
    return out.toByteArray();
  }

  /**
   * An uncompressed RGB TIFF with an orientation tag, its pixels first and its IFD last, as libtiff
   * writes them.
   */
  private static byte[] tiff(BufferedImage image, int orientation) {
    int w = image.getWidth();
    int h = image.getHeight();
    int pixels = 8;
    int bits = pixels + w * h * 3;
    int ifd = bits + 6;
    short[][] tags = {
      {256, 4}, {257, 4}, {258, 3}, {259, 3}, {262, 3}, {273, 4}, {274, 3}, {277, 3}, {278, 4},
      {279, 4}
    };
    long[] values = {w, h, bits, 1, 2, pixels, orientation, 3, h, (long) w * h * 3};
    int[] counts = {1, 1, 3, 1, 1, 1, 1, 1, 1, 1};
    ByteBuffer b = ByteBuffer.allocate(ifd + 2 + 12 * tags.length + 4).order(ByteOrder.BIG_ENDIAN);
    b.put(ascii("MM")).putShort((short) 42).putInt(ifd);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int rgb = image.getRGB(x, y);
        b.put((byte) (rgb >> 16)).put((byte) (rgb >> 8)).put((byte) rgb);
      }
    }
    b.putShort((short) 8).putShort((short) 8).putShort((short) 8);
    b.putShort((short) tags.length);
    for (int i = 0; i < tags.length; i++) {
      b.putShort(tags[i][0]).putShort(tags[i][1]).putInt(counts[i]);
      if (tags[i][1] == 3 && counts[i] == 1) {
        b.putShort((short) values[i]).putShort((short) 0);
      } else {
        b.putInt((int) values[i]);
      }
    }
    b.putInt(0);
    return b.array();
  }

  private static int maxChannelError(int a, int b) {
    int max = 0;
    for (int shift = 0; shift <= 16; shift += 8) {
      max = Math.max(max, Math.abs((a >> shift & 0xFF) - (b >> shift & 0xFF)));
    }
    return max;
  }

  /**
   * Display P3: sRGB's tone curve with P3's primaries (D50-adapted, as ICC profiles state them).
   */
  private static ICC_Profile displayP3() {
    ICC_Profile p3 = ICC_Profile.getInstance(ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData());
    p3.setData(ICC_Profile.icSigRedColorantTag, xyz(0.515102, 0.241196, -0.001053));
    p3.setData(ICC_Profile.icSigGreenColorantTag, xyz(0.291965, 0.692245, 0.041885));
    p3.setData(ICC_Profile.icSigBlueColorantTag, xyz(0.157153, 0.066564, 0.784378));
    return p3;
  }

  private static byte[] xyz(double x, double y, double z) {
    ByteBuffer b = ByteBuffer.allocate(20);
    b.put(ascii("XYZ ")).putInt(0);
    for (double v : new double[] {x, y, z}) {
      b.putInt((int) Math.round(v * 65536));
    }
    return b.array();
  }

  private static byte[] pngBytes(BufferedImage image) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }

  /** A PNG with an {@code iCCP} chunk inserted after its header. */
  private static byte[] withIccp(byte[] png, ICC_Profile profile) throws IOException {
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    data.write(ascii("P3\0"));
    data.write(0); // deflate
    try (DeflaterOutputStream z = new DeflaterOutputStream(data)) {
      z.write(profile.getData());
    }
    byte[] body = data.toByteArray();
    CRC32 crc = new CRC32();
    crc.update(ascii("iCCP"));
    crc.update(body);
    ByteBuffer chunk = ByteBuffer.allocate(12 + body.length);
    chunk.putInt(body.length).put(ascii("iCCP")).put(body).putInt((int) crc.getValue());
    int afterHeader = 8 + 25;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(png, 0, afterHeader);
    out.write(chunk.array());
    out.write(png, afterHeader, png.length - afterHeader);
    return out.toByteArray();
  }

  private static int indexOf(byte[] data, String type) {
    byte[] t = ascii(type);
    for (int i = 0; i + t.length <= data.length; i++) {
      if (Arrays.equals(data, i, i + t.length, t, 0, t.length)) {
        return i;
      }
    }
    throw new AssertionError(type + " not found");
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }
}
