package com.arservice.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BorderEnhancerTest {

  private static final String ID = "3f1c2a9e-5b7d-4c1e-9a2b-0d8e7f6a5b4c";

  @TempDir Path dir;

  private final BorderEnhancer enhancer = new BorderEnhancer();

  @Test
  void rendersTheSamePixelsForTheSamePhotoAndId() throws Exception {
    Path photo = normalized(TestImages.photo(800, 600, 7), "a");

    BorderEnhancer.Frame first =
        enhancer.enhance(photo, ID, dir.resolve("p1.png"), dir.resolve("c1.png"));
    BorderEnhancer.Frame second =
        enhancer.enhance(photo, ID, dir.resolve("p2.png"), dir.resolve("c2.png"));

    assertEquals(first, second);
    assertArrayEquals(pixels(dir.resolve("p1.png")), pixels(dir.resolve("p2.png")));
    assertArrayEquals(pixels(dir.resolve("c1.png")), pixels(dir.resolve("c2.png")));
  }

  @Test
  void addsAFrameOf12To15PercentOfTheLongerSideAroundTheUntouchedPhoto() throws Exception {
    BufferedImage photo = TestImages.photo(800, 600, 8);

    BorderEnhancer.Enhanced enhanced = enhancer.render(photo, sha(1), ID);

    BorderEnhancer.Frame frame = enhanced.frame();
    int m = frame.margin();
    assertTrue(m >= 96 && m <= 120, "margin " + m);
    assertEquals(800 + 2 * m, enhanced.printed().getWidth());
    assertEquals(600 + 2 * m, enhanced.printed().getHeight());
    for (int y = 0; y < 600; y += 37) {
      for (int x = 0; x < 800; x += 41) {
        assertEquals(photo.getRGB(x, y), enhanced.printed().getRGB(x + m, y + m));
      }
    }
    assertEquals(
        0xFFFFFFFF, enhanced.printed().getRGB(m - 1, m + 300), "white stroke beside the photo");
  }

  @Test
  void compilesTheCentred95PercentOfThePrintedImage() {
    BorderEnhancer.Enhanced enhanced = enhancer.render(TestImages.photo(1024, 768, 9), sha(2), ID);

    BorderEnhancer.Frame f = enhanced.frame();
    assertEquals(Math.round(f.printedWidth() * 0.025), f.cropX());
    assertEquals(Math.round(f.printedHeight() * 0.025), f.cropY());
    assertEquals(f.printedWidth() - 2 * f.cropX(), enhanced.compiled().getWidth());
    assertEquals(f.printedHeight() - 2 * f.cropY(), enhanced.compiled().getHeight());
    assertTrue(f.cropX() < f.margin() && f.cropY() < f.margin(), "the crop stays inside the frame");
    assertEquals(
        enhanced.printed().getRGB(f.cropX() + 5, f.cropY() + 7), enhanced.compiled().getRGB(5, 7));
  }

  @Test
  void givesSimilarPhotosClearlyDifferentFrames() {
    BufferedImage photo = TestImages.photo(600, 600, 10);
    BorderEnhancer.Enhanced a = enhancer.render(photo, sha(3), ID);
    BorderEnhancer.Enhanced b = enhancer.render(photo, sha(4), ID);

    int m = Math.min(a.frame().margin(), b.frame().margin());
    int differing = 0;
    int total = 0;
    for (int y = 0; y < m; y++) {
      for (int x = 0; x < 600; x++) {
        total++;
        if (a.printed().getRGB(x, y) != b.printed().getRGB(x, y)) {
          differing++;
        }
      }
    }
    assertTrue(differing > total / 3, differing + " of " + total + " top-frame pixels differ");
  }

  @Test
  void watermarksWithTheFirstEightLettersOrDigitsOfTheId() {
    assertEquals("AR-3F1C2A9E", BorderEnhancer.watermark(ID));
    assertEquals("AR-AB12", BorderEnhancer.watermark("ab-12"));
  }

  private Path normalized(BufferedImage image, String name) throws Exception {
    Path in = TestImages.write(image, "png", dir.resolve(name + ".png"));
    Path out = dir.resolve(name + ".jpg");
    new PhotoNormalizer().normalize(in, out);
    return out;
  }

  private static int[] pixels(Path file) throws Exception {
    BufferedImage image = ImageIO.read(file.toFile());
    return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
  }

  private static String sha(int n) {
    return String.format("%064x", (long) n * 0x9E3779B97F4A7C15L & Long.MAX_VALUE)
        .replace(' ', '0');
  }
}
