package com.arservice.imageio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.arservice.mind.io.ImageLoader;
import com.arservice.mind.io.ImageLoaderTest;
import com.arservice.testing.Allocation;
import com.arservice.testing.HostileFiles;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrientationReaderTest {
  @TempDir Path dir;

  @Test
  void readsPastAGigabyteTextChunkWithoutInflatingItAndLoadsThePhoto() throws Exception {
    Path bomb =
        HostileFiles.pngWithZtxtBomb(
            new BufferedImage(200, 150, BufferedImage.TYPE_INT_RGB), 1500, dir.resolve("bomb.png"));
    assertTrue(Files.size(bomb) < 2_000_000, "small file: " + Files.size(bomb));
    assertEquals(
        1500L << 20,
        HostileFiles.inflatedZtxtBytes(bomb),
        "its zTXt chunk really inflates to 1.5 GB");
    long allocated =
        Allocation.of(
            () -> {
              assertEquals(1, OrientationReader.read(bomb));
              assertEquals(200, new ImageLoader().load(bomb).width());
            });

    assertTrue(allocated < 64L << 20, "allocated " + (allocated >> 20) + " MB");
  }

  @Test
  void readsTheOrientationOfAPngExifChunkAndOfAJpegApp1Segment() throws Exception {
    BufferedImage image = new BufferedImage(120, 100, BufferedImage.TYPE_INT_RGB);
    assertEquals(
        8, OrientationReader.read(HostileFiles.pngWithExif(image, 8, 8, dir.resolve("o.png"))));
    byte[] jpeg = ImageLoaderTest.withExifOrientation(ImageLoaderTest.encode(image, "jpeg"), 3);
    assertEquals(3, OrientationReader.read(Files.write(dir.resolve("o.jpg"), jpeg)));
  }

  @Test
  void refusesExifWhoseFirstDirectoryLiesBeyondTheBudget() throws Exception {
    Path fat =
        HostileFiles.pngWithExif(
            new BufferedImage(120, 100, BufferedImage.TYPE_INT_RGB),
            6,
            100_000,
            dir.resolve("fat.png"));

    ImageInputException e =
        assertThrows(ImageInputException.class, () -> OrientationReader.read(fat));

    assertEquals(ImageInputException.Reason.TOO_LARGE, e.reason());
  }
}
