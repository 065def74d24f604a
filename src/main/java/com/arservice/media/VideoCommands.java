package com.arservice.media;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The ffprobe and ffmpeg command lines, each path one argument (they run without a shell).
 *
 * <p>The encode is H.264 (libx264, CRF 23, preset fast, yuv420p, square pixels, SDR BT.709 and
 * tagged so, constant frame rate) in an MP4 with {@code +faststart}; the first audio track is kept
 * as AAC, other tracks and all metadata (e.g. GPS) are dropped. ffmpeg applies the rotation
 * metadata while decoding, so the output is upright and carries no rotation. HDR (PQ, HLG) is tone
 * mapped and wide-gamut colour mapped with zscale (zimg), deeper than 8-bit sources are dithered.
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

  /** BT.2408's reference white: SDR's 100 % in an HDR signal, in cd/m². */
  static final int SDR_WHITE_NITS = 203;

  /** The brightest HDR light kept distinct, in cd/m²; brighter is white. */
  static final int HDR_PEAK_NITS = 1000;

  /**
   * The fraction of SDR white (in linear light) below which tone mapping changes nothing: higher
   * keeps SDR whites brighter, lower leaves more room to tell highlights apart.
   */
  static final double TONE_MAP_KNEE = 0.7;

  private static final Set<String> ZSCALE_TRANSFERS =
      Set.of(
          "bt709",
          "bt470m",
          "bt470bg",
          "smpte170m",
          "linear",
          "log100",
          "log316",
          "bt2020-10",
          "bt2020-12",
          "smpte2084",
          "iec61966-2-4",
          "iec61966-2-1",
          "arib-std-b67");
  private static final Set<String> ZSCALE_PRIMARIES =
      Set.of(
          "bt709",
          "bt470m",
          "bt470bg",
          "smpte170m",
          "smpte240m",
          "film",
          "bt2020",
          "smpte428",
          "smpte431",
          "smpte432",
          "jedec-p22",
          "ebu3213");
  private static final Set<String> ZSCALE_MATRICES =
      Set.of("bt709", "fcc", "bt470bg", "smpte170m", "ycgco", "bt2020nc", "bt2020c");

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

  /**
   * The one ffmpeg run that writes {@code input} shaped by {@code plan}: each rung of {@code
   * ladder} to its file of {@code outs} (the same order), and the first frame to {@code poster}.
   * The source is decoded, cut and colour-converted once, then split: the lower rungs are scaled
   * down from the main file's frames.
   */
  static List<String> encode(
      String ffmpeg,
      Path input,
      VideoInfo source,
      VideoPlan plan,
      VideoProcessor.Limits limits,
      List<VideoPlan.Rung> ladder,
      List<Path> outs,
      Path poster) {
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
            "-filter_complex",
            graph(source, plan, limits, ladder)));
    for (int i = 0; i < ladder.size(); i++) {
      command.addAll(rendition(source, limits, ladder.get(i), i, outs.get(i)));
    }
    command.addAll(
        List.of(
            "-map",
            "[poster]",
            "-frames:v",
            "1",
            "-c:v",
            "mjpeg",
            "-q:v",
            String.valueOf(POSTER_QUALITY),
            "-map_metadata",
            "-1",
            "-f",
            "image2",
            poster.toAbsolutePath().toString()));
    return command;
  }

  /** mjpeg's quantiser for the poster (2 best, 31 worst): a 480 px frame in a few KB. */
  static final int POSTER_QUALITY = 6;

  /**
   * The filter graph: the main chain (frame-rate cap, crop, scale, colour) into a split, one branch
   * per rung ({@code [r<i>]}) and one for the poster ({@code [poster]}).
   */
  private static String graph(
      VideoInfo source, VideoPlan plan, VideoProcessor.Limits limits, List<VideoPlan.Rung> ladder) {
    List<String> filters = new ArrayList<>();
    // the nominal rate too: a variable-rate video averaging 30 fps may hold 60 fps stretches
    if (source.peakFrameRate() > limits.maxFrameRate() + 0.01) {
      filters.add(String.format(Locale.ROOT, "fps=%s", seconds(limits.maxFrameRate())));
    }
    if (plan.crop()) {
      // crop sizes are in stored pixels of the upright frame, hence the sample aspect ratio
      String a = String.format(Locale.ROOT, "%.6f", plan.aspect());
      filters.add(plan.cropWidth() ? "crop=w=ih*" + a + "/sar:h=ih" : "crop=w=iw:h=iw*sar/" + a);
    }
    String size = plan.width() + ":" + plan.height();
    if (source.hdr() || source.wideGamut()) {
      // scaled first (cheaper than converting every 4K pixel), kept at 10 bits for zscale
      filters.add("scale=" + size + ":flags=lanczos");
      filters.add("format=yuv420p10le");
      filters.addAll(source.hdr() ? toneMap(source) : gamutMap(source));
    } else {
      // swscale dithers deeper sources to 8 bits; an SD matrix becomes HD's, as tagged
      filters.add(
          "scale="
              + size
              + ":flags=lanczos:in_color_matrix="
              + (isBt601(source.colorSpace()) ? "bt601" : "bt709")
              + ":out_color_matrix=bt709");
    }
    filters.add("setsar=1");
    filters.add("format=yuv420p");
    StringBuilder graph = new StringBuilder("[0:v:0]").append(String.join(",", filters));
    graph.append(",split=").append(ladder.size() + 1);
    for (int i = 0; i < ladder.size(); i++) {
      graph.append("[s").append(i).append(']');
    }
    graph.append("[p]");
    for (int i = 0; i < ladder.size(); i++) {
      VideoPlan.Rung rung = ladder.get(i);
      graph.append(";[s").append(i).append(']');
      graph.append(
          i == 0
              ? "null"
              : "scale=" + rung.width() + ":" + rung.height() + ":flags=lanczos,setsar=1");
      graph.append("[r").append(i).append(']');
    }
    // JPEG decoders read BT.601 full range, whatever the video's matrix
    int[] poster = plan.posterSize(ladder.get(ladder.size() - 1));
    graph.append(
        String.format(
            Locale.ROOT,
            ";[p]scale=%d:%d:flags=lanczos:in_color_matrix=bt709:out_color_matrix=bt601"
                + ":in_range=tv:out_range=pc,setsar=1,format=yuvj420p[poster]",
            poster[0],
            poster[1]));
    return graph.toString();
  }

  /** The output options of rung {@code i}, written to {@code out}. */
  private static List<String> rendition(
      VideoInfo source, VideoProcessor.Limits limits, VideoPlan.Rung rung, int i, Path out) {
    List<String> command = new ArrayList<>(List.of("-map", "[r" + i + "]"));
    if (source.hasAudio()) {
      command.addAll(List.of("-map", "0:a:0"));
    }
    command.addAll(
        List.of(
            "-c:v",
            "libx264",
            "-preset",
            "fast",
            "-crf",
            "23",
            // capped CRF: quality as before where it fits, never more than the cap over 2 s
            "-maxrate",
            rung.maxKbps() + "k",
            "-bufsize",
            2 * rung.maxKbps() + "k",
            "-pix_fmt",
            "yuv420p",
            "-color_primaries",
            "bt709",
            "-color_trc",
            "bt709",
            "-colorspace",
            "bt709",
            // at most the filtered rate: without it the muxer may repeat frames up to the nominal
            "-fps_mode",
            "cfr",
            "-map_metadata",
            "-1",
            "-map_chapters",
            "-1",
            "-sn",
            "-dn"));
    if (source.hasAudio()) {
      command.addAll(List.of("-c:a", "aac", "-b:a", rung.audioKbps() + "k"));
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
   * HDR (PQ or HLG) to SDR BT.709: linear light with SDR white (BT.2408's 203 cd/m², 75 % of HLG's
   * signal) at 1.0, BT.2020 primaries to BT.709, Möbius tone mapping that leaves everything up to
   * {@value #TONE_MAP_KNEE} of SDR white unchanged and compresses the rest up to {@value
   * #HDR_PEAK_NITS} cd/m² (HLG's nominal peak, what phones master PQ to) into the top of the range,
   * then BT.709's transfer and matrix with ordered dithering to 8 bits (error diffusion's fine
   * noise is smoothed away by the encoder, ordered dithering's survives).
   */
  private static List<String> toneMap(VideoInfo source) {
    return List.of(
        "zscale=" + input(source, "bt2020", "bt2020nc") + ":t=linear:npl=" + SDR_WHITE_NITS,
        "format=gbrpf32le",
        "zscale=p=709",
        String.format(
            Locale.ROOT,
            "tonemap=mobius:param=%s:desat=0:peak=%.4f",
            TONE_MAP_KNEE,
            (double) HDR_PEAK_NITS / SDR_WHITE_NITS),
        "zscale=t=709:m=709:r=limited:d=ordered");
  }

  /** SDR in the BT.2020 gamut to BT.709, dithered to 8 bits. */
  private static List<String> gamutMap(VideoInfo source) {
    return List.of(
        "zscale=" + input(source, "bt2020", "bt2020nc") + ":t=709:p=709:m=709:r=limited:d=ordered");
  }

  /**
   * zscale's description of the source's signal from its probed tags (zscale knows ffprobe's
   * names), with {@code fallbackPrimaries} and {@code fallbackMatrix} where they are missing or
   * unknown to zscale: it refuses to guess.
   */
  private static String input(VideoInfo source, String fallbackPrimaries, String fallbackMatrix) {
    return "tin="
        + known(source.colorTransfer(), ZSCALE_TRANSFERS, "bt709")
        + ":pin="
        + known(source.colorPrimaries(), ZSCALE_PRIMARIES, fallbackPrimaries)
        + ":min="
        + known(source.colorSpace(), ZSCALE_MATRICES, fallbackMatrix)
        + ":rin="
        + ("pc".equals(source.colorRange()) ? "full" : "limited");
  }

  private static String known(String name, Set<String> names, String fallback) {
    return name != null && names.contains(name) ? name : fallback;
  }

  private static boolean isBt601(String colorSpace) {
    return "smpte170m".equals(colorSpace) || "bt470bg".equals(colorSpace);
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
