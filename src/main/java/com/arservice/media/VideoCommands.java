package com.arservice.media;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The ffprobe and ffmpeg command lines, each path one argument (they run without a shell).
 *
 * <p>The encode is H.264 (libx264, CRF 23, preset fast, yuv420p, square pixels) in an MP4 with
 * {@code +faststart}; the first audio track is kept as AAC, other tracks and all metadata (e.g.
 * GPS) are dropped. ffmpeg applies the rotation metadata while decoding, so the output is upright
 * and carries no rotation.
 */
final class VideoCommands {

  /**
   * How far past the duration limit an encode runs, so that a file whose content outlasts what its
   * header says shows itself in the output instead of being silently cut.
   */
  static final double ENCODE_MARGIN_SECONDS = 1.0;

  /**
   * Encoding runs at a lower CPU priority where {@code nice} exists, so request handling keeps its
   * latency while videos encode on the same cores.
   */
  private static final List<String> NICE =
      Files.isExecutable(Path.of("/usr/bin/nice"))
          ? List.of("/usr/bin/nice", "-n", "10")
          : List.of();

  private VideoCommands() {}

  /** ffprobe's description of {@code file}'s format and streams, as JSON. */
  static List<String> probe(String ffprobe, Path file) {
    return List.of(
        ffprobe,
        "-v",
        "error",
        "-print_format",
        "json",
        "-show_format",
        "-show_streams",
        "--",
        file.toAbsolutePath().toString());
  }

  /**
   * The times of the first video stream's packets within the first {@code seconds}, one per line.
   */
  static List<String> packetTimes(String ffprobe, Path file, double seconds) {
    String interval = String.format(Locale.ROOT, "%%+%.0f", seconds);
    return List.of(
        ffprobe,
        "-v",
        "error",
        "-select_streams",
        "v:0",
        "-read_intervals",
        interval,
        "-show_entries",
        "packet=pts_time",
        "-of",
        "csv=p=0",
        "--",
        file.toAbsolutePath().toString());
  }

  /** The ffmpeg run that writes {@code input} shaped by {@code plan} to {@code out}. */
  static List<String> encode(
      String ffmpeg,
      Path input,
      VideoInfo source,
      VideoPlan plan,
      VideoProcessor.Limits limits,
      Path out) {
    List<String> filters = new ArrayList<>();
    if (plan.crop()) {
      // crop sizes are in stored pixels of the upright frame, hence the sample aspect ratio
      String a = String.format(Locale.ROOT, "%.6f", plan.aspect());
      filters.add(plan.cropWidth() ? "crop=w=ih*" + a + "/sar:h=ih" : "crop=w=iw:h=iw*sar/" + a);
    }
    filters.add("scale=" + plan.width() + ":" + plan.height() + ":flags=lanczos");
    if (source.frameRate() > limits.maxFrameRate() + 0.01) {
      filters.add(String.format(Locale.ROOT, "fps=%s", seconds(limits.maxFrameRate())));
    }
    filters.add("setsar=1");
    filters.add("format=yuv420p");
    List<String> command = new ArrayList<>(NICE);
    command.addAll(
        List.of(
            ffmpeg,
            "-hide_banner",
            "-nostdin",
            "-nostats",
            "-loglevel",
            "error",
            "-y",
            "-i",
            input.toAbsolutePath().toString(),
            "-map",
            "0:v:0"));
    if (source.hasAudio()) {
      command.addAll(List.of("-map", "0:a:0"));
    }
    command.addAll(
        List.of(
            "-vf",
            String.join(",", filters),
            "-c:v",
            "libx264",
            "-preset",
            "fast",
            "-crf",
            "23",
            "-pix_fmt",
            "yuv420p",
            "-map_metadata",
            "-1",
            "-map_chapters",
            "-1",
            "-sn",
            "-dn"));
    if (source.hasAudio()) {
      command.addAll(List.of("-c:a", "aac", "-b:a", "128k"));
    } else {
      command.add("-an");
    }
    // stop just past the limit: a file longer than its header says is then refused after the encode
    command.addAll(List.of("-t", seconds(limits.maxDurationSeconds() + ENCODE_MARGIN_SECONDS)));
    command.addAll(
        List.of("-movflags", "+faststart", "-f", "mp4", out.toAbsolutePath().toString()));
    return command;
  }

  /**
   * A number of seconds as ffmpeg and the messages write it: whole numbers bare, others with one
   * decimal.
   */
  static String seconds(double value) {
    return value == Math.rint(value)
        ? String.valueOf((long) value)
        : String.format(Locale.ROOT, "%.1f", value);
  }
}
