package com.arservice.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.arservice.testing.Await;
import com.arservice.testing.HostileFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VideoProcessorTest {

  @TempDir static Path videos;

  @TempDir Path dir;

  private static Path landscapeWithSound;
  private static Path sidewaysPortrait;

  private final VideoProcessor processor =
      new VideoProcessor("ffmpeg", "ffprobe", VideoProcessor.Limits.defaults());

  @BeforeAll
  static void makeVideos() throws Exception {
    landscapeWithSound = TestVideos.make(videos.resolve("landscape.mp4"), 640, 360, 2, true);
    sidewaysPortrait =
        TestVideos.rotateQuarterTurn(
            TestVideos.make(videos.resolve("portrait.mp4"), 640, 360, 1, false));
  }

  @Test
  void probesDurationSizeAudioAndCodec() throws Exception {
    VideoInfo info = processor.probe(landscapeWithSound);

    assertEquals(2.0, info.durationSeconds(), 0.1);
    assertEquals(640, info.width());
    assertEquals(360, info.height());
    assertEquals(0, info.rotation());
    assertEquals("h264", info.videoCodec());
    assertTrue(info.hasAudio());
    assertEquals("aac", info.audioCodec());
    assertEquals(Files.size(landscapeWithSound), info.sizeBytes());
  }

  @Test
  void measuresTheLengthFromPacketsForFilesWhoseHeaderHasNone() throws Exception {
    assertEquals(2.0, processor.lastPacketTime(landscapeWithSound), 0.1);
  }

  @Test
  void readsThePhoneRotationAsAPortraitDisplaySize() throws Exception {
    VideoInfo info = processor.probe(sidewaysPortrait);

    assertEquals(90, info.rotation());
    assertEquals(360, info.displayWidth(), 1e-9);
    assertEquals(640, info.displayHeight(), 1e-9);
    assertFalse(info.hasAudio());
  }

  @Test
  void cropsALandscapeVideoToAPortraitPhotoAndKeepsTheSound() throws Exception {
    Path out = dir.resolve("video-0.mp4");

    VideoProcessor.Result result = processor.transcode(landscapeWithSound, 600, 800, out);

    VideoInfo written = processor.probe(out);
    assertTrue(result.cropped());
    assertEquals(written.width(), result.output().width());
    assertEquals("h264", written.videoCodec());
    assertEquals("yuv420p", written.pixelFormat());
    assertEquals(0.75, written.displayAspect(), 0.02);
    assertEquals(360, written.height());
    assertEquals(0, written.width() % 2);
    assertEquals(0, written.height() % 2);
    assertTrue(written.hasAudio());
    assertEquals("aac", written.audioCodec());
    assertEquals(2.0, written.durationSeconds(), 0.15);
    assertFalse(
        Files.list(dir).anyMatch(p -> p.getFileName().toString().endsWith(".tmp.mp4")),
        "no temp files left");
  }

  @Test
  void turnsARotatedVideoUprightAndCropsItsHeightForAWiderPhoto() throws Exception {
    Path out = dir.resolve("video-1.mp4");

    processor.transcode(sidewaysPortrait, 300, 400, out);

    VideoInfo written = processor.probe(out);
    assertEquals(0, written.rotation());
    assertEquals(360, written.width());
    assertEquals(480, written.height());
    assertFalse(written.hasAudio());
  }

  @Test
  void scalesLargeVideosDownToA1920PixelLongerSideWithoutCroppingAMatchingAspect()
      throws Exception {
    Path big = TestVideos.make(dir.resolve("big.mp4"), 2560, 1440, 0.4, false);
    Path out = dir.resolve("video-2.mp4");

    VideoProcessor.Result result = processor.transcode(big, 1024, 570, out);

    assertFalse(result.cropped(), "1.78 vs 1.80 is within the tolerance");
    assertEquals(1920, result.output().width());
    assertEquals(1080, result.output().height());
  }

  @Test
  void reducesFastFrameRatesTo30PerSecond() throws Exception {
    Path fast = TestVideos.make(dir.resolve("fast.mp4"), 320, 180, 0.5, false, 60);

    VideoProcessor.Result result = processor.transcode(fast, 320, 180, dir.resolve("video-3.mp4"));

    assertEquals(60, result.source().frameRate(), 0.01);
    assertEquals(30, result.output().frameRate(), 0.01);
    assertEquals(25, processor.probe(landscapeWithSound).frameRate(), 0.01);
  }

  @Test
  void capsAVariableFrameRateVideoWhoseAverageIsBelow30ButWhoseFastStretchIsNot() throws Exception {
    Path vfr = TestVideos.variableRate(dir.resolve("vfr.mp4"));

    Path out = dir.resolve("video-3.mp4");
    VideoProcessor.Result result = processor.transcode(vfr, 160, 120, out);

    assertTrue(result.source().frameRate() < 30, "average " + result.source().frameRate());
    assertEquals(60, result.source().nominalFrameRate(), 0.01);
    assertEquals(30, result.output().nominalFrameRate(), 0.01);
    assertEquals(30, result.output().frameRate(), 0.5);
    long frames = TestVideos.frameCount(out);
    assertTrue(frames <= 2 * 30 + 1, frames + " frames in 2 s");
  }

  @Test
  void refusesACorruptFileAsUnreadableNotAsATemporaryProblem() throws Exception {
    byte[] noise = new byte[50_000];
    new Random(1).nextBytes(noise);
    Path corrupt = Files.write(dir.resolve("upload.mp4"), noise);

    MediaException e =
        assertThrows(
            MediaException.class,
            () -> processor.transcode(corrupt, 600, 800, dir.resolve("video-0.mp4")));

    assertFalse(e.isTransient());
    assertTrue(e.reason().startsWith("The video could not be read"), e.reason());
    assertNotNull(e.detail(), "ffprobe's complaint is kept for the logs");
    assertFalse(Files.exists(dir.resolve("video-0.mp4")));
  }

  @Test
  void refusesAStillImageUploadedAsVideo() throws Exception {
    Path png = TestImages.write(TestImages.photo(320, 240, 1), "png", dir.resolve("clip.mp4"));

    MediaException e = assertThrows(MediaException.class, () -> processor.probe(png));

    assertFalse(e.isTransient());
    assertTrue(e.reason().contains("still image"), e.reason());
  }

  @Test
  void refusesAnAudioFileOrAHeicPhotoGivenAsTheVideoSayingWhatItIs() throws Exception {
    Path m4a = dir.resolve("song.mp4");
    Process p =
        new ProcessBuilder(
                "ffmpeg",
                "-v",
                "error",
                "-f",
                "lavfi",
                "-i",
                "sine=duration=1",
                "-c:a",
                "aac",
                "-f",
                "ipod",
                m4a.toString())
            .redirectErrorStream(true)
            .start();
    p.getInputStream().readAllBytes();
    assertEquals(0, p.waitFor());
    MediaException audio = assertThrows(MediaException.class, () -> processor.probe(m4a));
    assertEquals("The video is an M4A audio file: it has no picture", audio.reason());

    Path heic = dir.resolve("photo.mp4");
    Files.write(heic, "\0\0\0\u0018ftypheic\0\0\0\0mif1heic".getBytes(StandardCharsets.ISO_8859_1));
    MediaException photo = assertThrows(MediaException.class, () -> processor.probe(heic));
    assertEquals("The video is a HEIC still image, not a video", photo.reason());
  }

  @Test
  void refusesVideosLongerThanTheLimit() {
    VideoProcessor strict =
        new VideoProcessor(
            "ffmpeg", "ffprobe", VideoProcessor.Limits.defaults().withMaxDurationSeconds(1));

    MediaException e = assertThrows(MediaException.class, () -> strict.probe(landscapeWithSound));

    assertEquals(
        "The video is too long: at most 1 seconds are allowed, this one lasts 2 seconds",
        e.reason());
    assertFalse(e.isTransient());
  }

  @Test
  void reportsAMissingToolAsATransientFailure() {
    VideoProcessor broken =
        new VideoProcessor(
            "/nonexistent/ffmpeg", "/nonexistent/ffprobe", VideoProcessor.Limits.defaults());

    MediaException e = assertThrows(MediaException.class, () -> broken.probe(landscapeWithSound));

    assertTrue(e.isTransient());
  }

  @Test
  void killsAnEncoderThatRunsTooLongAndReportsATransientFailure() throws Exception {
    Path slow =
        Files.writeString(
            dir.resolve("slow-ffmpeg"), "#!/bin/sh\necho starting >&2\nexec sleep 30\n");
    Files.setPosixFilePermissions(slow, PosixFilePermissions.fromString("rwx------"));
    VideoProcessor stuck =
        new VideoProcessor(
            slow.toString(),
            "ffprobe",
            VideoProcessor.Limits.defaults().withTimeout(Duration.ofMillis(500)));

    MediaException e = transcodeFails(stuck);

    assertTrue(e.isTransient());
    assertEquals("The video could not be converted in time", e.reason());
    assertTrue(e.detail().contains("starting"), e.detail());
    assertFalse(Files.exists(dir.resolve("video-0.mp4")));
  }

  @Test
  void refusesAVideoThatPlaysLongerThanItsHeaderSaysAndStopsEncodingPastTheLimit()
      throws Exception {
    Path lying = HostileFiles.lyingMp4(dir.resolve("lying.mp4"), 200, 5);
    assertEquals(
        5.0, processor.probe(lying).durationSeconds(), 0.01, "ffprobe believes the header");

    long t0 = System.nanoTime();
    MediaException e =
        assertThrows(
            MediaException.class,
            () -> processor.transcode(lying, 160, 120, dir.resolve("video-0.mp4")));

    assertEquals(
        "The video is too long: at most 120 seconds are allowed, and it plays for longer than the 5 seconds"
            + " its file header states",
        e.reason());
    assertFalse(e.isTransient());
    assertFalse(Files.exists(dir.resolve("video-0.mp4")));
    assertFalse(
        Files.list(dir).anyMatch(p -> p.getFileName().toString().endsWith(".tmp.mp4")),
        "no temp files left");
    assertTrue(System.nanoTime() - t0 < 60_000_000_000L, "the encode stopped at the limit");
  }

  @Test
  void keepsAVideoWhoseHeaderUnderstatesItsLengthWhenItStillFitsTheLimit() throws Exception {
    Path lying = HostileFiles.lyingMp4(dir.resolve("lying.mp4"), 8, 2);

    VideoProcessor.Result result = processor.transcode(lying, 160, 120, dir.resolve("video-0.mp4"));

    assertEquals(8.0, result.output().durationSeconds(), 0.3);
  }

  @Test
  void reportsAnEncoderErrorOnAnAcceptedFileAsTheFilesFaultWithItsLastStderrLines()
      throws Exception {
    VideoProcessor failing =
        withFfmpeg("echo 'Error while decoding stream #0:0: Invalid data found' >&2\nexit 1");

    MediaException e = transcodeFails(failing);

    assertFalse(e.isTransient());
    assertTrue(
        e.reason().startsWith("The video could not be converted: the file is damaged"), e.reason());
    assertEquals("Error while decoding stream #0:0: Invalid data found", e.detail());
  }

  @Test
  void reportsACrashedEncoderAsTransient() throws Exception {
    VideoProcessor crashing = withFfmpeg("kill -9 $$");

    MediaException e = transcodeFails(crashing);

    assertTrue(e.isTransient());
    assertEquals("The video could not be converted because the video tool crashed", e.reason());
  }

  @Test
  void reportsAFullDiskUnderTheEncoderAsTheServerBeingOutOfSpace() throws Exception {
    VideoProcessor full =
        withFfmpeg("echo 'Error writing trailer of out.mp4: No space left on device' >&2\nexit 1");

    MediaException e = transcodeFails(full);

    assertTrue(e.isTransient());
    assertEquals("The server is out of disk space", e.reason());
    assertFalse(
        Files.list(dir).anyMatch(p -> p.getFileName().toString().startsWith(".video-0")),
        "no temp files left");
  }

  @Test
  void killsTheEncoderAsSoonAsItsStopSignalAsks() throws Exception {
    Path pid = dir.resolve("ffmpeg.pid");
    VideoProcessor slow = withFfmpeg("echo $$ > " + pid + "\nexec sleep 60");
    AtomicBoolean stop = new AtomicBoolean();
    Thread stopper =
        new Thread(
            () -> {
              Await.until("ffmpeg runs", () -> Files.exists(pid));
              stop.set(true);
            });
    stopper.start();

    MediaException e =
        assertThrows(
            MediaException.class,
            () ->
                slow.transcode(
                    landscapeWithSound, 600, 800, dir.resolve("video-0.mp4"), stop::get));
    stopper.join();

    assertTrue(e.isTransient());
    assertEquals("The video could not be converted in time", e.reason());
    long ffmpeg = Long.parseLong(Files.readString(pid).trim());
    assertFalse(
        ProcessHandle.of(ffmpeg).map(ProcessHandle::isAlive).orElse(false), "ffmpeg was killed");
  }

  private MediaException transcodeFails(VideoProcessor processor) {
    return assertThrows(
        MediaException.class,
        () -> processor.transcode(landscapeWithSound, 600, 800, dir.resolve("video-0.mp4")));
  }

  /** A processor whose "ffmpeg" is a shell script with the given body (ffprobe is the real one). */
  private VideoProcessor withFfmpeg(String body) throws Exception {
    Path script = Files.writeString(dir.resolve("fake-ffmpeg"), "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    return new VideoProcessor(script.toString(), "ffprobe", VideoProcessor.Limits.defaults());
  }
}
