package com.arservice.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.arservice.imageio.ImageInputException;
import com.arservice.mind.io.ImageLoader;
import com.arservice.testing.HostileFiles;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar's {@code compile} command and the service refuse the same bad photos with the same
 * sentence, so a shop owner reads one explanation wherever the file was tried.
 */
class SameRefusalsTest {

  @TempDir Path dir;

  @Test
  void theCommandLineAndTheServiceRefuseEachBadPhotoInTheSameWords() throws Exception {
    Map<String, Path> bad = new LinkedHashMap<>();
    bad.put("text", Files.writeString(dir.resolve("note.jpg"), "not a picture at all"));
    bad.put(
        "audio",
        Files.write(
            dir.resolve("voice.heic"),
            "\0\0\0\u0018ftypM4A \0\0\0\0M4A isom".getBytes(StandardCharsets.ISO_8859_1)));
    byte[] png = png(300, 200);
    bad.put("cut header", Files.write(dir.resolve("cut.png"), Arrays.copyOf(png, 20)));
    byte[] damaged = png.clone();
    for (int i = 60; i < damaged.length - 20; i++) {
      damaged[i] ^= 0x5A;
    }
    bad.put("damaged data", Files.write(dir.resolve("damaged.png"), damaged));
    bad.put("huge", Files.write(dir.resolve("huge.png"), hugePngHeader()));
    bad.put("tiny", Files.write(dir.resolve("strip.png"), png(400, 99)));
    bad.put(
        "fat exif",
        HostileFiles.pngWithExif(TestImages.photo(300, 200, 8), 6, 200_000, dir.resolve("x.png")));

    for (Map.Entry<String, Path> c : bad.entrySet()) {
      MediaException service =
          assertThrows(
              MediaException.class,
              () -> new PhotoNormalizer().normalize(c.getValue(), dir.resolve("out.jpg")),
              c.getKey());
      ImageInputException cli =
          assertThrows(
              ImageInputException.class, () -> new ImageLoader().load(c.getValue()), c.getKey());
      assertEquals(service.reason(), cli.getMessage(), c.getKey());
    }
  }

  private static byte[] png(int width, int height) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(TestImages.photo(width, height, 3), "png", out);
    return out.toByteArray();
  }

  /** A PNG signature and an IHDR claiming 50,000 × 50,000 pixels, with no pixel data. */
  private static byte[] hugePngHeader() {
    ByteBuffer b = ByteBuffer.allocate(8 + 25);
    b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
    b.putInt(13).put("IHDR".getBytes(StandardCharsets.US_ASCII));
    b.putInt(50_000).putInt(50_000).put(new byte[] {8, 6, 0, 0, 0}).putInt(0);
    return b.array();
  }
}
