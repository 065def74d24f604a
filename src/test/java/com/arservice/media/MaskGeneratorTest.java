package com.arservice.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.arservice.testing.Allocation;
import com.arservice.testing.HostileFiles;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MaskGeneratorTest {

  @TempDir Path dir;

  private final MaskGenerator generator = new MaskGenerator();

  @ParameterizedTest
  @EnumSource(
      value = MaskShape.class,
      names = {"CIRCLE", "OVAL", "SQUARE", "RECT"})
  void eachShapeIsOpaqueWhiteInsideTransparentInTheCornersWithASoftEdge(MaskShape shape)
      throws Exception {
    Path out = dir.resolve("mask-0.png");

    generator.writeShape(shape, 400, 300, out);

    BufferedImage mask = ImageIO.read(out.toFile());
    assertEquals(400, mask.getWidth());
    assertEquals(300, mask.getHeight());
    assertTrue(mask.getColorModel().hasAlpha());
    assertEquals(0xFFFFFFFF, mask.getRGB(200, 150), "opaque white centre");
    for (int[] corner : new int[][] {{0, 0}, {399, 0}, {0, 299}, {399, 299}}) {
      assertEquals(
          0,
          mask.getRGB(corner[0], corner[1]) >>> 24,
          "transparent corner " + corner[0] + "," + corner[1]);
    }
    // walk from the left edge to the centre: alpha rises without jumps through many partial values
    int partial = 0;
    int previous = 0;
    for (int x = 0; x <= 200; x++) {
      int argb = mask.getRGB(x, 150);
      int alpha = argb >>> 24;
      assertEquals(alpha, argb & 0xFF, "colour equals alpha (alphaMap reads green)");
      assertTrue(alpha >= previous, "alpha never falls towards the centre");
      assertTrue(alpha - previous < 64, "no hard step at x=" + x);
      if (alpha > 0 && alpha < 255) {
        partial++;
      }
      previous = alpha;
    }
    assertTrue(partial >= 5, "soft edge has " + partial + " partial values");
  }

  @Test
  void fitsCircleAndSquareToTheShortSideAndTheOvalToTheWholePhoto() {
    BufferedImage circle = generator.render(MaskShape.CIRCLE, 400, 300);
    BufferedImage square = generator.render(MaskShape.SQUARE, 400, 300);
    BufferedImage oval = generator.render(MaskShape.OVAL, 400, 300);

    assertEquals(0, circle.getRGB(45, 150) >>> 24, "outside the 300 px circle");
    assertEquals(255, circle.getRGB(70, 150) >>> 24, "inside the 300 px circle");
    assertEquals(0, square.getRGB(45, 150) >>> 24);
    assertEquals(255, square.getRGB(70, 20) >>> 24, "square reaches near its corners");
    assertEquals(255, oval.getRGB(20, 150) >>> 24, "oval reaches the left side");
    assertEquals(0, oval.getRGB(20, 20) >>> 24);
  }

  @Test
  void usesTheAlphaChannelOfACustomMaskStretchedToThePhotoSize() throws Exception {
    BufferedImage custom = new BufferedImage(100, 50, BufferedImage.TYPE_INT_ARGB);
    for (int y = 0; y < 50; y++) {
      for (int x = 0; x < 100; x++) {
        custom.setRGB(
            x, y, x < 50 ? 0x00FFFFFF : 0xFF000000); // opaque part is black: alpha decides
      }
    }
    Path in = TestImages.write(custom, "png", dir.resolve("custom.png"));
    Path out = dir.resolve("mask-1.png");

    generator.writeCustom(in, 400, 300, out);

    BufferedImage mask = ImageIO.read(out.toFile());
    assertEquals(400, mask.getWidth());
    assertEquals(300, mask.getHeight());
    assertEquals(0, mask.getRGB(50, 150) >>> 24);
    assertEquals(0xFFFFFFFF, mask.getRGB(350, 150));
  }

  @Test
  void usesLuminanceWhenACustomMaskHasNoTransparency() throws Exception {
    Path in =
        TestImages.write(
            TestImages.rgb(800, 600, (x, y) -> y < 300 ? 0xFFFFFF : 0),
            "png",
            dir.resolve("bw.png"));

    BufferedImage mask = generator.custom(in, 400, 300);

    assertEquals(0xFFFFFFFF, mask.getRGB(200, 50));
    assertEquals(0, mask.getRGB(200, 250) >>> 24);
  }

  @Test
  void refusesACustomMaskThatIsNotAnImage() throws Exception {
    Path in = Files.writeString(dir.resolve("mask.png"), "<svg/>");

    MediaException e =
        assertThrows(
            MediaException.class, () -> generator.writeCustom(in, 400, 300, dir.resolve("m.png")));

    assertEquals(
        "The mask is not an image in a supported format (JPEG, PNG, HEIC, AVIF, WebP or TIFF)",
        e.reason());
    assertFalse(e.isTransient());
  }

  @Test
  void refusesATinyMaskOf400000By10PixelsAsNotFittingThePhotoBeforeDecodingIt() throws Exception {
    Path in = HostileFiles.whitePng(400_000, 10, dir.resolve("strip.png"));
    assertTrue(Files.size(in) < 16_000, "a small file: " + Files.size(in));

    MediaException e =
        assertThrows(
            MediaException.class, () -> generator.writeCustom(in, 1024, 768, dir.resolve("m.png")));

    assertEquals(
        "The mask does not fit the photo: it is 400000x10 pixels and the photo 1024x768; use a mask with"
            + " the photo's proportions",
        e.reason());
    assertFalse(e.isTransient());
    assertFalse(Files.exists(dir.resolve("m.png")));
  }

  @Test
  void decodesALargeMaskAtMostTwiceThePhotoSizeSoItsMemoryFollowsThePhoto() throws Exception {
    Path in = HostileFiles.whitePng(4000, 3000, dir.resolve("big.png"));

    long allocated = Allocation.of(() -> generator.writeCustom(in, 400, 300, dir.resolve("m.png")));

    // whole, the mask would take 48 MB as ARGB pixels, and as much again for its plane
    assertTrue(allocated < 24L << 20, "allocated " + (allocated >> 20) + " MB");
    assertEquals(0xFFFFFFFF, ImageIO.read(dir.resolve("m.png").toFile()).getRGB(200, 150));
  }

  @Test
  void resizesAPlaneThatShrinksOneWayAndGrowsTheOtherWithoutALargerIntermediate() throws Exception {
    int[] plane = new int[400_000 * 10];
    Arrays.fill(plane, 200);
    int[][] out = new int[1][];

    long allocated =
        Allocation.of(() -> out[0] = ImageFiles.resizePlane(plane, 400_000, 10, 1024, 768));

    assertTrue(allocated < 16L << 20, "allocated " + (allocated >> 20) + " MB");
    assertEquals(1024 * 768, out[0].length);
    assertEquals(200, out[0][1024 * 400 + 512]);
  }

  @Test
  void parsesShapeTypesCaseInsensitivelyAndRefusesOthers() {
    assertEquals(MaskShape.OVAL, MaskShape.parse("Oval"));
    assertThrows(IllegalArgumentException.class, () -> MaskShape.parse("triangle"));
  }
}
