package com.arservice.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What phones get of a noisy 1080p phone clip with sound: three renditions at capped bit rates and
 * a poster of a few KB, all from one ffmpeg run, in the main file's colours.
 */
class VideoRenditionsTest {

  private static final double SECONDS = 2;

  @TempDir static Path dir;

  private static VideoProcessor.Result result;

  @BeforeAll
  static void encodeANoisyPhoneClip() throws Exception {
    Path clip = TestVideos.noisyPhoneClip(dir.resolve("noisy.mp4"), SECONDS, 14);
    result =
        new VideoProcessor("ffmpeg", "ffprobe", VideoProcessor.Limits.defaults())
            .transcode(clip, 1600, 900, dir.resolve("out/video-0.mp4"));
  }

  @Test
  void writes1080p720pAnd360pBesideTheMainFileSharpestFirst() {
    List<VideoProcessor.Rendition> r = result.renditions();

    assertEquals(
        List.of("video-0.mp4", "video-0-720p.mp4", "video-0-360p.mp4"),
        r.stream().map(x -> x.file().getFileName().toString()).toList());
    assertEquals(List.of(1920, 1280, 640), r.stream().map(x -> x.info().width()).toList());
    assertEquals(List.of(1080, 720, 360), r.stream().map(x -> x.info().height()).toList());
    assertEquals(result.output(), r.get(0).info());
    for (VideoProcessor.Rendition x : r) {
      assertTrue(Files.isRegularFile(x.file()), x.file() + " in place");
      assertEquals("h264", x.info().videoCodec());
      assertEquals("yuv420p", x.info().pixelFormat());
      assertEquals("bt709", x.info().colorSpace());
      assertEquals(SECONDS, x.info().durationSeconds(), 0.1);
    }
  }

  @Test
  void keepsEachRenditionWithinItsCapWhereTheUncappedEncodeTookAbout25Mbits() {
    for (VideoProcessor.Rendition r : result.renditions()) {
      // the VBV promise: at most the cap over the clip plus one buffer (two seconds of the cap),
      // and the sound (128, 96, 64 kbit/s)
      double most = r.maxKbps() * (SECONDS + 2) / SECONDS + 128;
      assertTrue(r.kbps() <= most, r.file().getFileName() + ": " + r.kbps() + " kbit/s");
    }
    assertTrue(result.renditions().get(2).kbps() <= 1000, "360p plays on Slow 4G (1.6 Mbit/s)");
  }

  @Test
  void writesAPosterOfTheFirstFrameInAFewKbInTheVideosColours() throws Exception {
    Path poster = result.poster();
    assertEquals("video-0-poster.jpg", poster.getFileName().toString());
    BufferedImage image = ImageIO.read(poster.toFile());
    assertEquals(480, image.getWidth());
    assertEquals(270, image.getHeight());
    assertTrue(Files.size(poster) <= 16 * 1024, Files.size(poster) + " bytes");

    // the JPEG is read with BT.601 (JFIF), the video with BT.709: the same colours
    double[] video = meanRgb(TestVideos.firstFrame(result.renditions().get(2).file(), 640, 360));
    double[] jpeg = new double[3];
    for (int y = 0; y < 270; y++) {
      for (int x = 0; x < 480; x++) {
        int rgb = image.getRGB(x, y);
        jpeg[0] += (rgb >> 16) & 0xFF;
        jpeg[1] += (rgb >> 8) & 0xFF;
        jpeg[2] += rgb & 0xFF;
      }
    }
    for (int c = 0; c < 3; c++) {
      assertEquals(video[c], jpeg[c] / (480 * 270), 3, "channel " + c);
    }
  }

  @Test
  void scalesTheLowerRenditionsWithoutChangingTheirColours() throws Exception {
    double[] main = meanRgb(TestVideos.firstFrame(result.renditions().get(0).file(), 1920, 1080));
    double[] low = meanRgb(TestVideos.firstFrame(result.renditions().get(2).file(), 640, 360));
    for (int c = 0; c < 3; c++) {
      assertEquals(main[c], low[c], 2, "channel " + c);
    }
  }

  private static double[] meanRgb(int[][] frame) {
    double[] sum = new double[3];
    for (int[] row : frame) {
      for (int i = 0; i < row.length; i++) {
        sum[i % 3] += row[i];
      }
    }
    int pixels = frame.length * frame[0].length / 3;
    return new double[] {sum[0] / pixels, sum[1] / pixels, sum[2] / pixels};
  }
}
