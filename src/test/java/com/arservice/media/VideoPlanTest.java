package com.arservice.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The crop/scale decisions and ffprobe parsing, without running ffmpeg. */
class VideoPlanTest {

  @Test
  void keepsNonSquarePixelVideosWholeWhenTheirShownAspectMatches() {
    VideoInfo pal = info(720, 576, 0, 16.0 / 15);

    VideoPlan plan = VideoPlan.of(pal, 4.0 / 3, 1920, 1920L * 1080);

    assertFalse(plan.crop());
    assertEquals(768, plan.width());
    assertEquals(576, plan.height());
  }

  @Test
  void cropsTheHeightOfAnUprightPhoneVideoForA3By4Photo() {
    VideoPlan plan = VideoPlan.of(info(1920, 1080, 90, 1), 0.75, 1920, 1920L * 1080);

    assertTrue(plan.crop());
    assertFalse(plan.cropWidth());
    assertEquals(1080, plan.width());
    assertEquals(1440, plan.height());
  }

  @Test
  void cropsTheWidthOfAWideVideoForASquarePhoto() {
    VideoPlan plan = VideoPlan.of(info(1920, 1080, 0, 1), 1.0, 1920, 1920L * 1080);

    assertTrue(plan.cropWidth());
    assertEquals(1080, plan.width());
    assertEquals(1080, plan.height());
  }

  @Test
  void scalesTheLongerSideTo1920WithEvenSides() {
    VideoPlan panorama = VideoPlan.of(info(4000, 1000, 0, 1), 4.0, 1920, 1920L * 1080);
    VideoPlan odd = VideoPlan.of(info(1000, 1000, 0, 1), 1023.0 / 1000, 1920, 1920L * 1080);

    assertFalse(panorama.crop());
    assertEquals(1920, panorama.width());
    assertEquals(480, panorama.height());
    assertEquals(0, odd.width() % 2);
    assertEquals(0, odd.height() % 2);
  }

  @Test
  void capsTheFrameAreaAt1080pSoPhoneDecodersKeepUp() {
    VideoPlan square = VideoPlan.of(info(2160, 2160, 0, 1), 1.0, 1920, 1920L * 1080);
    VideoPlan hd = VideoPlan.of(info(1920, 1080, 0, 1), 16.0 / 9, 1920, 1920L * 1080);

    assertEquals(1440, square.width());
    assertEquals(1440, square.height());
    assertEquals(1920, hd.width());
    assertEquals(1080, hd.height());
  }

  @Test
  void fitsA4kVideoWithinBothTheLongerSideAndThe1080pAreaWhateverThePhotosShape() {
    VideoInfo uhd = info(3840, 2160, 0, 1);
    VideoInfo storedPortrait = info(2160, 3840, 0, 1);
    VideoInfo phonePortrait = info(3840, 2160, 90, 1);

    assertSize(1920, 1080, VideoPlan.of(uhd, 16.0 / 9, 1920, 1920L * 1080));
    assertSize(1080, 1920, VideoPlan.of(storedPortrait, 9.0 / 16, 1920, 1920L * 1080));
    assertSize(1080, 1920, VideoPlan.of(phonePortrait, 9.0 / 16, 1920, 1920L * 1080));
    // a 4:3 print: the longer side stays under 1920 because the area is capped at 1080p's
    assertSize(1662, 1248, VideoPlan.of(uhd, 4.0 / 3, 1920, 1920L * 1080));
    assertSize(1248, 1662, VideoPlan.of(phonePortrait, 3.0 / 4, 1920, 1920L * 1080));
    assertSize(1440, 1440, VideoPlan.of(storedPortrait, 1.0, 1920, 1920L * 1080));
  }

  @Test
  void readsTheColourTagsAndBothFrameRatesOfAnIphoneHdrVideo() throws Exception {
    String json =
        """
        {"streams": [
          {"codec_type": "video", "codec_name": "hevc", "width": 1920, "height": 1080,
           "pix_fmt": "yuv420p10le", "color_range": "tv", "color_space": "bt2020nc",
           "color_transfer": "arib-std-b67", "color_primaries": "bt2020",
           "avg_frame_rate": "2997/100", "r_frame_rate": "60/1"}],
         "format": {"format_name": "mov,mp4,m4a,3gp,3g2,mj2", "duration": "3.0"}}
        """;

    VideoInfo info = ProbeParser.parse(json, 1);

    assertTrue(info.hdr());
    assertTrue(info.wideGamut());
    assertEquals("bt2020nc", info.colorSpace());
    assertEquals("tv", info.colorRange());
    assertEquals(29.97, info.frameRate(), 0.01);
    assertEquals(60, info.peakFrameRate(), 0.01);
  }

  @Test
  void readsTheOlderRotateTagAndIgnoresCoverArt() throws Exception {
    String json =
        """
        {"streams": [
          {"codec_type": "video", "codec_name": "mjpeg", "width": 300, "height": 300,
           "disposition": {"attached_pic": 1}},
          {"codec_type": "video", "codec_name": "hevc", "width": 1920, "height": 1080,
           "sample_aspect_ratio": "1:1", "pix_fmt": "yuv420p10le", "avg_frame_rate": "0/0",
           "r_frame_rate": "30000/1001", "tags": {"rotate": "270"}},
          {"codec_type": "audio", "codec_name": "opus"}],
         "format": {"format_name": "matroska,webm", "duration": "12.5"}}
        """;

    VideoInfo info = ProbeParser.parse(json, 1234);

    assertEquals("hevc", info.videoCodec());
    assertEquals(270, info.rotation());
    assertEquals(1080, info.displayWidth(), 1e-9);
    assertEquals(12.5, info.durationSeconds());
    assertEquals(12500, info.durationMillis());
    assertEquals("opus", info.audioCodec());
    assertEquals(29.97, info.frameRate(), 0.01);
    assertFalse(info.hdr(), "no colour tags: SDR");
  }

  @Test
  void leavesAnUnstatedDurationUnknownForMeasuring() throws Exception {
    String json =
        "{\"streams\":[{\"codec_type\":\"video\",\"codec_name\":\"vp8\",\"width\":640,\"height\":480}],"
            + "\"format\":{\"format_name\":\"matroska,webm\",\"duration\":\"N/A\"}}";

    assertTrue(Double.isNaN(ProbeParser.parse(json, 1).durationSeconds()));
  }

  @Test
  void refusesAFileWithoutAVideoTrack() {
    String json =
        "{\"streams\":[{\"codec_type\":\"audio\",\"codec_name\":\"mp3\"}],"
            + "\"format\":{\"format_name\":\"mp3\",\"duration\":\"3.0\"}}";

    MediaException e = assertThrows(MediaException.class, () -> ProbeParser.parse(json, 1));

    assertEquals("The video could not be used: the file has no video track", e.reason());
    assertFalse(e.isTransient());
  }

  @Test
  void refusesAnAnswerThatIsNotOneJsonObject() {
    assertThrows(IllegalArgumentException.class, () -> ProbeParser.parse("{\"streams\": [", 1));
    assertThrows(IllegalArgumentException.class, () -> ProbeParser.parse("[]", 1));
    assertThrows(IllegalArgumentException.class, () -> ProbeParser.parse("{} {}", 1));
  }

  @Test
  void aLongFourKSixtyFpsClipMayEncodeForLongerThanAFullHdOne() {
    VideoProcessor.Limits limits = VideoProcessor.Limits.defaults();
    assertEquals(Duration.ofMinutes(10), limits.encodeTimeout(clip(1920, 1080, 30, 120)));
    assertEquals(Duration.ofMinutes(10), limits.encodeTimeout(clip(3840, 2160, 30, 10)));
    assertEquals(Duration.ofMinutes(40), limits.encodeTimeout(clip(3840, 2160, 30, 120)));
    assertEquals(Duration.ofMinutes(80), limits.encodeTimeout(clip(2160, 3840, 60, 120)));
  }

  private static VideoInfo clip(int w, int h, double fps, double seconds) {
    return new VideoInfo(
        seconds,
        w,
        h,
        0,
        1,
        fps,
        fps,
        "hevc",
        "yuv420p10le",
        false,
        null,
        "mov",
        1000,
        null,
        null,
        null,
        null);
  }

  @Test
  void givesPhonesTheMainSizeAnd720pAnd360pClassRenditionsNeverScaledUp() {
    // a 1080p phone clip on a 5:4 photo is cropped to 1350x1080, as the delivery issue found it
    VideoPlan cropped = VideoPlan.of(info(1920, 1080, 0, 1), 1.25, 1920, 1920L * 1080);
    assertEquals(
        List.of(
            new VideoPlan.Rung(1350, 1080, 4000, 128, ""),
            new VideoPlan.Rung(1074, 858, 2000, 96, "-720p"),
            new VideoPlan.Rung(536, 430, 600, 64, "-360p")),
        cropped.ladder());
    assertArrayEquals(new int[] {480, 386}, cropped.posterSize(cropped.ladder().get(2)));
    VideoPlan hd = VideoPlan.of(info(1280, 720, 0, 1), 16.0 / 9, 1920, 1920L * 1080);
    assertEquals(
        List.of(
            new VideoPlan.Rung(1280, 720, 2000, 96, ""),
            new VideoPlan.Rung(640, 360, 600, 64, "-360p")),
        hd.ladder(),
        "a 720p video is its own 720p rendition, capped as one");
    VideoPlan small = VideoPlan.of(info(640, 480, 0, 1), 4.0 / 3, 1920, 1920L * 1080);
    assertEquals(List.of(new VideoPlan.Rung(640, 480, 2000, 96, "")), small.ladder());
    assertArrayEquals(new int[] {480, 360}, small.posterSize(small.ladder().get(0)));
  }

  private static void assertSize(int width, int height, VideoPlan plan) {
    assertEquals(width + "x" + height, plan.width() + "x" + plan.height());
    // H.264 level 4.1, which phones decode beside the camera: at most 8192 16x16 macroblocks
    assertTrue((plan.width() + 15) / 16 * ((plan.height() + 15) / 16) <= 8192);
  }

  private static VideoInfo info(int w, int h, int rotation, double sar) {
    return new VideoInfo(
        10, w, h, rotation, sar, 30, 30, "h264", "yuv420p", false, null, "mov", 1000, null, null,
        null, null);
  }
}
