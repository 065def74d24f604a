package com.arservice.media;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

/** Makes short synthetic videos with ffmpeg's test sources. */
public final class TestVideos {

  private TestVideos() {}

  /** A 25 fps testsrc2 clip of the given size and length, with a sine tone when {@code audio}. */
  public static Path make(Path file, int width, int height, double seconds, boolean audio)
      throws Exception {
    return make(file, width, height, seconds, audio, 25);
  }

  /**
   * A testsrc2 clip of the given size, length and frame rate, with a sine tone when {@code audio};
   * {@code outputOptions} go to ffmpeg just before the output file.
   */
  public static Path make(
      Path file,
      int width,
      int height,
      double seconds,
      boolean audio,
      int fps,
      String... outputOptions)
      throws Exception {
    return make(
        file,
        "testsrc2=size=" + width + "x" + height + ":rate=" + fps,
        seconds,
        audio,
        outputOptions);
  }

  /**
   * A clip of ffmpeg's {@code source} filter, as {@link #make(Path, int, int, double, boolean)}.
   */
  private static Path make(
      Path file, String source, double seconds, boolean audio, String... outputOptions)
      throws Exception {
    List<String> command = ffmpeg("-f", "lavfi", "-i", source);
    if (audio) {
      command.addAll(List.of("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100"));
    }
    command.addAll(
        List.of(
            "-t",
            String.valueOf(seconds),
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-pix_fmt",
            "yuv420p"));
    if (audio) {
      command.addAll(List.of("-c:a", "aac"));
    }
    command.addAll(List.of(outputOptions));
    command.add(file.toString());
    run(command, file);
    return file;
  }

  /** The patch colours of {@link #scene}: its top two rows of four, in sRGB. */
  public static final int[] SCENE_COLOURS = {
    0xFFFFFF, 0xBE0000, 0x00A000, 0x0000C8, 0xE6C828, 0x28AAD2, 0x808080, 0x3C281E
  };

  /**
   * The light of the scene's bottom row of white patches in an HDR version, in cd/m² (203 is SDR
   * white; in SDR they are all white).
   */
  public static final int[] SCENE_HIGHLIGHT_NITS = {203, 300, 500, 1000};

  /**
   * A 1 s, 25 fps, 320x240 clip of a still scene: twelve 80x80 patches, the top eight {@link
   * #SCENE_COLOURS}, the bottom four white. {@code transfer} {@code bt709} makes it SDR (8-bit
   * H.264, BT.709); {@code arib-std-b67} (HLG) or {@code smpte2084} (PQ) makes it HDR as a phone
   * records it (10-bit HEVC, BT.2020) with SDR white at BT.2408's 203 cd/m² and the bottom patches
   * as bright as {@link #SCENE_HIGHLIGHT_NITS}.
   */
  public static Path scene(Path file, String transfer) throws Exception {
    BufferedImage image = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 240; y++) {
      for (int x = 0; x < 320; x++) {
        image.setRGB(x, y, y < 160 ? SCENE_COLOURS[(y / 80) * 4 + x / 80] : 0xFFFFFF);
      }
    }
    Path png = file.resolveSibling(file.getFileName() + ".png");
    ImageIO.write(image, "png", png.toFile());
    List<String> command = ffmpeg();
    command.addAll(List.of("-loop", "1", "-framerate", "25", "-i", png.toString(), "-t", "1"));
    if (transfer.equals("bt709")) {
      command.addAll(
          List.of(
              "-vf",
              "scale=out_color_matrix=bt709:out_range=tv,format=yuv420p",
              "-c:v",
              "libx264",
              "-preset",
              "ultrafast",
              "-crf",
              "12",
              "-color_primaries",
              "bt709",
              "-colorspace",
              "bt709"));
    } else {
      // each part made HDR on its own, with its own light for the sRGB white (zscale's npl)
      StringBuilder graph = new StringBuilder("[0]split=5[top][p0][p1][p2][p3];");
      graph.append("[top]crop=320:160:0:0,").append(toHdr(transfer, 203)).append("[t];");
      for (int i = 0; i < 4; i++) {
        graph
            .append("[p")
            .append(i)
            .append("]crop=80:80:")
            .append(80 * i)
            .append(":160,")
            .append(toHdr(transfer, SCENE_HIGHLIGHT_NITS[i]))
            .append("[h")
            .append(i)
            .append("];");
      }
      graph.append("[h0][h1][h2][h3]hstack=4[b];[t][b]vstack,format=yuv420p10le[out]");
      command.addAll(
          List.of(
              "-filter_complex",
              graph.toString(),
              "-map",
              "[out]",
              "-c:v",
              "libx265",
              "-preset",
              "ultrafast",
              "-crf",
              "12",
              "-x265-params",
              "log-level=error:colorprim=bt2020:colormatrix=bt2020nc:transfer=" + transfer,
              "-color_primaries",
              "bt2020",
              "-colorspace",
              "bt2020nc"));
    }
    command.addAll(List.of("-color_trc", transfer, file.toString()));
    run(command, file);
    Files.delete(png);
    return file;
  }

  /** zscale from sRGB-ish BT.709 to a 10-bit HDR signal in which white is {@code nits} bright. */
  private static String toHdr(String transfer, int nits) {
    return "zscale=tin=bt709:pin=bt709:min=bt709:t=linear:p=bt709:m=bt709,format=gbrpf32le,"
        + "zscale=t="
        + transfer
        + ":p=bt2020:m=bt2020nc:r=tv:npl="
        + nits
        + ",format=yuv420p10le";
  }

  /**
   * A 1 s 320x240 10-bit SDR (BT.709) HEVC clip of a shallow horizontal grey ramp: luma 400 to 440
   * of 1023 from left to right, ten 8-bit steps, which banding would show as ten stripes.
   */
  public static Path tenBitRamp(Path file) throws Exception {
    run(
        ffmpeg(
            "-f",
            "lavfi",
            "-i",
            "color=black:size=320x240:rate=25",
            "-t",
            "1",
            "-vf",
            "format=yuv420p10le,geq=lum='400+40*X/W':cb=512:cr=512",
            "-c:v",
            "libx265",
            "-preset",
            "ultrafast",
            "-x265-params",
            "log-level=error:lossless=1",
            "-color_primaries",
            "bt709",
            "-color_trc",
            "bt709",
            "-colorspace",
            "bt709",
            file.toString()),
        file);
    return file;
  }

  /**
   * A variable-frame-rate clip as phones record in low light: 0.5 s at 60 fps, then 1.5 s at 15 fps
   * (52 frames: 26 per second on average, but 60 per second at first).
   */
  public static Path variableRate(Path file) throws Exception {
    run(
        ffmpeg(
            "-filter_complex",
            "testsrc2=size=160x120:rate=60,trim=duration=0.5,setpts=PTS-STARTPTS[a];"
                + "testsrc2=size=160x120:rate=15,trim=duration=1.5,setpts=PTS-STARTPTS[b];"
                + "[a][b]concat=n=2:v=1[out]",
            "-map",
            "[out]",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-fps_mode",
            "vfr",
            file.toString()),
        file);
    return file;
  }

  /**
   * A 1920x1080, 30 fps clip with a sine tone, as a phone records in low light: a moving test
   * picture, darkened, with fresh sensor-like noise in every frame, so it compresses like a real
   * clip (uncapped at CRF 23 about 25 Mbit/s), not like a test card. Stored at CRF {@code crf}
   * (about 14 for nearly lossless).
   */
  public static Path noisyPhoneClip(Path file, double seconds, int crf) throws Exception {
    return make(
        file,
        "testsrc2=size=1920x1080:rate=30,eq=brightness=-0.15,noise=alls=18:allf=t+u",
        seconds,
        true,
        "-crf",
        String.valueOf(crf));
  }

  /**
   * One decoded frame (the first) of a video as 8-bit RGB rows, read with the BT.709 matrix.
   *
   * @return {@code [height][width * 3]}
   */
  public static int[][] firstFrame(Path video, int width, int height) throws Exception {
    return decode(video, "scale=in_color_matrix=bt709:in_range=tv,format=rgb24", width * 3, height);
  }

  /**
   * The luma plane of a video's first frame as stored (8 bits, 16 to 235): no conversion rounds it.
   *
   * @return {@code [height][width]}
   */
  public static int[][] firstLuma(Path video, int width, int height) throws Exception {
    return decode(video, "format=yuv420p", width, height);
  }

  /** The number of frames in a video's first video stream, as its container states. */
  public static long frameCount(Path video) throws Exception {
    Process process =
        new ProcessBuilder(
                "ffprobe",
                "-v",
                "error",
                "-select_streams",
                "v:0",
                "-show_entries",
                "stream=nb_frames",
                "-of",
                "csv=p=0",
                video.toString())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String answer = new String(process.getInputStream().readAllBytes()).trim();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      throw new IOException("ffprobe did not answer for " + video);
    }
    return Long.parseLong(answer);
  }

  private static int[][] decode(Path video, String filter, int rowBytes, int height)
      throws Exception {
    Process process =
        new ProcessBuilder(
                "ffmpeg",
                "-v",
                "error",
                "-nostdin",
                "-i",
                video.toString(),
                "-frames:v",
                "1",
                "-vf",
                filter,
                "-f",
                "rawvideo",
                "-")
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    byte[] bytes = process.getInputStream().readAllBytes();
    if (!process.waitFor(60, TimeUnit.SECONDS) || bytes.length < rowBytes * height) {
      throw new IOException("ffmpeg could not decode the first frame of " + video);
    }
    int[][] rows = new int[height][rowBytes];
    for (int y = 0; y < height; y++) {
      for (int i = 0; i < rowBytes; i++) {
        rows[y][i] = bytes[y * rowBytes + i] & 0xFF;
      }
    }
    return rows;
  }

  /** ffmpeg, quiet and overwriting, with {@code args}. */
  private static List<String> ffmpeg(String... args) {
    List<String> command =
        new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y"));
    command.addAll(List.of(args));
    return command;
  }

  private static void run(List<String> command, Path file) throws Exception {
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IOException("ffmpeg could not make test video " + file + " (is ffmpeg installed?)");
    }
  }

  /**
   * Marks an MP4's first track as "rotate 90° clockwise for display", the way phones store portrait
   * video, by writing the rotation matrix into its track header.
   */
  public static Path rotateQuarterTurn(Path mp4) throws IOException {
    byte[] bytes = Files.readAllBytes(mp4);
    int p = indexOf(bytes, new byte[] {'t', 'k', 'h', 'd'});
    int matrix = p + 44 + (bytes[p + 4] == 1 ? 12 : 0);
    ByteBuffer.wrap(bytes, matrix, 36)
        .putInt(0)
        .putInt(0x10000)
        .putInt(0)
        .putInt(-0x10000)
        .putInt(0)
        .putInt(0)
        .putInt(0)
        .putInt(0)
        .putInt(0x40000000);
    Files.write(mp4, bytes);
    return mp4;
  }

  private static int indexOf(byte[] data, byte[] pattern) {
    outer:
    for (int i = 0; i + pattern.length <= data.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (data[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new IllegalArgumentException("no tkhd box");
  }
}
