package com.arservice.media;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

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
    List<String> command =
        new ArrayList<>(
            List.of(
                "ffmpeg",
                "-hide_banner",
                "-loglevel",
                "error",
                "-nostdin",
                "-y",
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=" + width + "x" + height + ":rate=" + fps));
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
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IOException("ffmpeg could not make test video " + file + " (is ffmpeg installed?)");
    }
    return file;
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
