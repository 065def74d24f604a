package com.arservice.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a customer sees of a phone's HDR or 10-bit video: the same scene shot in SDR and in HDR
 * (HLG, PQ) comes out in the same colours, highlights stay distinct, the output is SDR BT.709 and
 * tagged so, and a 10-bit ramp is not banded.
 */
class VideoColourTest {

  @TempDir static Path videos;

  @TempDir Path dir;

  private static int[][][] sdrPatches;

  private final VideoProcessor processor =
      new VideoProcessor("ffmpeg", "ffprobe", VideoProcessor.Limits.defaults());

  @BeforeAll
  static void encodeTheSdrScene() throws Exception {
    Path sdr = TestVideos.scene(videos.resolve("sdr.mp4"), "bt709");
    Path out = videos.resolve("sdr-out.mp4");
    new VideoProcessor("ffmpeg", "ffprobe", VideoProcessor.Limits.defaults())
        .transcode(sdr, 320, 240, out);
    sdrPatches = patches(TestVideos.firstFrame(out, 320, 240));
  }

  @Test
  void showsAnIphoneHlgVideoInTheColoursOfTheSameSceneShotInSdr() throws Exception {
    int[][][] hlg = transcodedPatches(TestVideos.scene(dir.resolve("hlg.mov"), "arib-std-b67"));

    assertTrue(meanError(hlg) <= 8, "mean error " + meanError(hlg));
    assertColour(sdrPatches[0][1], hlg[0][1], 12, "the red (190,0,0)");
    assertHighlightsCompressedNotClipped(hlg[2]);
    // the poster is the same tone-mapped frame, as JPEG (BT.601 full range)
    int[][][] poster = patches(jpegRows(dir.resolve("video-0-poster.jpg")));
    assertTrue(meanError(poster) <= 8, "poster's mean error " + meanError(poster));
    assertHighlightsCompressedNotClipped(poster[2]);
  }

  private static int[][] jpegRows(Path jpeg) throws Exception {
    BufferedImage image = ImageIO.read(jpeg.toFile());
    int[][] rows = new int[image.getHeight()][image.getWidth() * 3];
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int rgb = image.getRGB(x, y);
        rows[y][x * 3] = (rgb >> 16) & 0xFF;
        rows[y][x * 3 + 1] = (rgb >> 8) & 0xFF;
        rows[y][x * 3 + 2] = rgb & 0xFF;
      }
    }
    return rows;
  }

  @Test
  void showsAnHdr10PqVideoInTheColoursOfTheSameSceneShotInSdr() throws Exception {
    int[][][] pq = transcodedPatches(TestVideos.scene(dir.resolve("pq.mp4"), "smpte2084"));

    assertTrue(meanError(pq) <= 8, "mean error " + meanError(pq));
    assertColour(sdrPatches[0][1], pq[0][1], 12, "the red (190,0,0)");
    assertHighlightsCompressedNotClipped(pq[2]);
  }

  @Test
  void turnsAPortraitHlgVideoUprightAndToneMapsIt() throws Exception {
    Path portrait =
        TestVideos.rotateQuarterTurn(TestVideos.scene(dir.resolve("portrait.mp4"), "arib-std-b67"));
    Path out = dir.resolve("video-0.mp4");

    VideoProcessor.Result result = processor.transcode(portrait, 240, 320, out);

    assertEquals(90, result.source().rotation());
    assertEquals(0, result.output().rotation());
    assertEquals(240, result.output().width());
    assertEquals(320, result.output().height());
    int[][] upright = TestVideos.firstFrame(out, 240, 320);
    // turned back a quarter counter-clockwise, the picture is the landscape scene
    int[][] turnedBack = new int[240][320 * 3];
    for (int y = 0; y < 240; y++) {
      for (int x = 0; x < 320; x++) {
        System.arraycopy(upright[x], (239 - y) * 3, turnedBack[y], x * 3, 3);
      }
    }
    int[][][] patches = patches(turnedBack);
    assertTrue(meanError(patches) <= 8, "mean error " + meanError(patches));
  }

  @Test
  void dithersA10BitSdrRampInsteadOfBandingIt() throws Exception {
    Path out = dir.resolve("video-0.mp4");

    processor.transcode(TestVideos.tenBitRamp(dir.resolve("ramp.mp4")), 320, 240, out);

    int[][] luma = TestVideos.firstLuma(out, 320, 240);
    // averaged down each column, dithered steps blend into fractions; bands jump a whole level
    double largestStep = 0;
    double previous = Double.NaN;
    for (int x = 8; x < 312; x++) {
      double sum = 0;
      for (int y = 20; y < 220; y++) {
        sum += luma[y][x];
      }
      double mean = sum / 200;
      if (!Double.isNaN(previous)) {
        largestStep = Math.max(largestStep, Math.abs(mean - previous));
      }
      previous = mean;
    }
    assertTrue(largestStep < 0.75, "largest step between columns " + largestStep);
  }

  private int[][][] transcodedPatches(Path input) throws Exception {
    Path out = dir.resolve("video-0.mp4");
    VideoProcessor.Result result = processor.transcode(input, 320, 240, out);
    assertTrue(result.source().hdr(), "detected as HDR from " + result.source().colorTransfer());
    VideoInfo written = result.output();
    assertEquals("bt709", written.colorPrimaries());
    assertEquals("bt709", written.colorTransfer());
    assertEquals("bt709", written.colorSpace());
    assertEquals("yuv420p", written.pixelFormat());
    return patches(TestVideos.firstFrame(out, 320, 240));
  }

  /** SDR white and brighter: each patch brighter than the one before, only the last white. */
  private static void assertHighlightsCompressedNotClipped(int[][] row) {
    for (int i = 1; i < row.length; i++) {
      assertTrue(
          luma(row[i]) >= luma(row[i - 1]) + 2,
          TestVideos.SCENE_HIGHLIGHT_NITS[i]
              + " cd/m² is brighter than "
              + TestVideos.SCENE_HIGHLIGHT_NITS[i - 1]
              + ": "
              + luma(row[i])
              + " vs "
              + luma(row[i - 1]));
    }
    assertTrue(luma(row[0]) >= 225, "SDR white stays bright: " + luma(row[0]));
  }

  private static void assertColour(int[] expected, int[] actual, int tolerance, String what) {
    for (int c = 0; c < 3; c++) {
      assertTrue(
          Math.abs(expected[c] - actual[c]) <= tolerance,
          what
              + ": expected about "
              + Arrays.toString(expected)
              + ", got "
              + Arrays.toString(actual));
    }
  }

  private static double luma(int[] rgb) {
    return 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];
  }

  /** Mean absolute RGB difference from the SDR scene over the eight colour patches. */
  private static double meanError(int[][][] patches) {
    double sum = 0;
    for (int row = 0; row < 2; row++) {
      for (int col = 0; col < 4; col++) {
        for (int c = 0; c < 3; c++) {
          sum += Math.abs(patches[row][col][c] - sdrPatches[row][col][c]);
        }
      }
    }
    return sum / 24;
  }

  /** The mean colour of the central 40x40 of each 80x80 patch, {@code [row][column][rgb]}. */
  private static int[][][] patches(int[][] frame) {
    int[][][] patches = new int[3][4][3];
    for (int row = 0; row < 3; row++) {
      for (int col = 0; col < 4; col++) {
        for (int c = 0; c < 3; c++) {
          long sum = 0;
          for (int y = row * 80 + 20; y < row * 80 + 60; y++) {
            for (int x = col * 80 + 20; x < col * 80 + 60; x++) {
              sum += frame[y][x * 3 + c];
            }
          }
          patches[row][col][c] = (int) Math.round(sum / 1600.0);
        }
      }
    }
    return patches;
  }
}
