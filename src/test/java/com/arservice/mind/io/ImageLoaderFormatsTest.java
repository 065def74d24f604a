package com.arservice.mind.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.arservice.imageio.ImageInputException;
import com.arservice.mind.detect.GreyImage;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line's loader reads the same photo formats as the service. */
class ImageLoaderFormatsTest {

  @TempDir Path dir;

  @Test
  void aHeicTurnedByItsContainerLoadsUprightWithTheGreysOfItsSource() throws Exception {
    // a 120 × 160 photo, top half dark, bottom half light, stored sideways with irot (= EXIF 6)
    BufferedImage sideways = new BufferedImage(160, 120, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 120; y++) {
      for (int x = 0; x < 160; x++) {
        sideways.setRGB(x, y, x < 80 ? 0x999999 : 0x333333);
      }
    }
    Path png = dir.resolve("in.png");
    ImageIO.write(sideways, "png", png.toFile());
    Path heic = dir.resolve("in.heic");
    run("heif-enc", "-q", "95", png.toString(), "-o", heic.toString());
    byte[] bytes = Files.readAllBytes(heic);
    int pixi = indexOf(bytes, "pixi") - 4;
    byte[] irot = {0, 0, 0, 16, 'i', 'r', 'o', 't', 3, 0, 0, 0, 0, 0, 0, 0};
    System.arraycopy(irot, 0, bytes, pixi, 16);

    GreyImage grey = new ImageLoader().load(bytes);

    assertEquals(120, grey.width());
    assertEquals(160, grey.height());
    int top = grey.data()[20 * 120 + 60] & 0xFF;
    int bottom = grey.data()[140 * 120 + 60] & 0xFF;
    // the stored left (light) half is the upright top
    assertTrue(Math.abs(top - 0x99) <= 6 && Math.abs(bottom - 0x33) <= 6, top + " / " + bottom);
  }

  @Test
  void anAudioFileIsRefusedNamingWhatItIs() {
    byte[] m4a = "\0\0\0\u0018ftypM4A \0\0\0\0M4A isom".getBytes(StandardCharsets.ISO_8859_1);
    ImageInputException e =
        assertThrows(ImageInputException.class, () -> new ImageLoader().load(m4a));
    assertEquals(
        "The photo is a M4A audio file, not an image in a supported format (JPEG, PNG, HEIC, AVIF,"
            + " WebP or TIFF)",
        e.getMessage());
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue());
  }

  private static int indexOf(byte[] data, String type) {
    byte[] t = type.getBytes(StandardCharsets.ISO_8859_1);
    for (int i = 0; i + t.length <= data.length; i++) {
      if (Arrays.equals(data, i, i + t.length, t, 0, t.length)) {
        return i;
      }
    }
    throw new AssertionError(type + " not found");
  }
}
