package com.arservice.media;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Pipeline step 4: checks a customer's video with ffprobe and re-encodes it with ffmpeg into the MP4
 * the viewer plays on the photo.
 *
 * <p>The video is refused (not transient) when ffprobe cannot read it, when it has no video track or
 * is a still image, or when it exceeds the {@link Limits}. It is then cut to the photo's shape: when
 * its displayed aspect ratio (after rotation metadata and non-square pixels) differs from the photo's
 * by more than {@value #ASPECT_TOLERANCE}, the centre part with the photo's aspect ratio is kept.
 * The result is scaled down (never up) so its longer side is at most {@link Limits#maxOutputSide()}
 * and its area at most {@link Limits#maxOutputPixels()}, with even dimensions; frame rates above
 * {@link Limits#maxFrameRate()} are reduced to it. Both caps keep the stream within H.264 level 4.1
 * (1080p30), which every phone's hardware decoder plays while it also runs the camera and tracking.
 * It is encoded as H.264 (libx264, CRF 23, preset fast, yuv420p, square pixels)
 * in an MP4 with {@code +faststart}; the first audio track is kept as AAC, other tracks and all
 * metadata (e.g. GPS) are dropped. ffmpeg applies the rotation metadata while decoding, so the output
 * is upright and carries no rotation.
 *
 * <p>The encode stops one second past the duration limit and its output is probed again, so a file
 * whose header understates its length is refused rather than converted in full.
 *
 * <p>The tools run without a shell, each path one argument, bounded by a timeout and a
 * {@link StopSignal}. A tool that cannot start, crashes, times out or is stopped, a full disk
 * ({@link MediaException#DISK_FULL}) or a system error gives a transient {@link MediaException};
 * ffmpeg failing with an error of its own on a file ffprobe accepted is the file's fault and is not
 * transient. {@link MediaException#detail()} holds the tool's last stderr lines. Thread-safe.
 */
public final class VideoProcessor {

  /** Largest aspect-ratio difference (width / height) left uncropped. */
  public static final double ASPECT_TOLERANCE = 0.05;
  /**
   * How far past the duration limit an encode runs, so that a file whose content outlasts what its
   * header says shows itself in the output instead of being silently cut.
   */
  static final double ENCODE_MARGIN_SECONDS = 1.0;

  /** Words in a failed encoder's last messages that mean the system, not the file, is at fault. */
  private static final List<String> SYSTEM_FAILURES = List.of("Cannot allocate memory", "Input/output error",
      "Resource temporarily unavailable", "Too many open files");

  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(60);
  private static final int MAX_PROBE_OUTPUT = 4 << 20;

  /**
   * What the processor accepts and produces.
   *
   * @param maxDurationSeconds longest accepted video
   * @param maxBytes           largest accepted file
   * @param maxSourceSide      largest accepted frame side of the input, in pixels
   * @param maxOutputSide      longest side of the output, in pixels
   * @param maxOutputPixels    largest output frame area, in pixels
   * @param maxFrameRate       highest output frame rate; faster sources are resampled to it
   * @param timeout            longest time one ffmpeg run may take
   */
  public record Limits(double maxDurationSeconds, long maxBytes, int maxSourceSide, int maxOutputSide,
                       long maxOutputPixels, double maxFrameRate, Duration timeout) {

    /** 120 s, 500 MB, 8192 px in; out 1920 px, 1920×1080 px area, 30 fps; 10 minutes per encode. */
    public static Limits defaults() {
      return new Limits(120, 500L * 1024 * 1024, 8192, 1920, 1920L * 1080, 30, Duration.ofMinutes(10));
    }

    /** These limits with another longest accepted duration. */
    public Limits withMaxDurationSeconds(double seconds) {
      return new Limits(seconds, maxBytes, maxSourceSide, maxOutputSide, maxOutputPixels, maxFrameRate, timeout);
    }

    /** These limits with another timeout per ffmpeg run. */
    public Limits withTimeout(Duration newTimeout) {
      return new Limits(maxDurationSeconds, maxBytes, maxSourceSide, maxOutputSide, maxOutputPixels, maxFrameRate,
          newTimeout);
    }
  }

  /**
   * A transcoded video.
   *
   * @param source  the input as probed
   * @param output  the written MP4 as probed
   * @param cropped whether the centre was cut out to match the photo's aspect ratio
   */
  public record Result(VideoInfo source, VideoInfo output, boolean cropped) {
  }

  /** Crop and scale decisions for one video, in the displayed (upright, square-pixel) frame. */
  record Plan(boolean crop, boolean cropWidth, double aspect, int width, int height) {
  }

  /**
   * Encoding runs at a lower CPU priority where {@code nice} exists, so request handling keeps
   * its latency while videos encode on the same cores.
   */
  private static final List<String> NICE = Files.isExecutable(Path.of("/usr/bin/nice"))
      ? List.of("/usr/bin/nice", "-n", "10") : List.of();

  private final String ffmpeg;
  private final String ffprobe;
  private final Limits limits;

  /**
   * @param ffmpeg  the ffmpeg executable: a path, or a bare name looked up on PATH
   * @param ffprobe the ffprobe executable: a path, or a bare name looked up on PATH
   */
  public VideoProcessor(String ffmpeg, String ffprobe, Limits limits) {
    this.ffmpeg = requireText(ffmpeg, "ffmpeg");
    this.ffprobe = requireText(ffprobe, "ffprobe");
    this.limits = limits;
  }

  /**
   * A processor using {@code FFMPEG_PATH} and {@code FFPROBE_PATH} when set, otherwise
   * {@code ffmpeg} and {@code ffprobe} from PATH.
   */
  public static VideoProcessor fromEnvironment(Limits limits) {
    return new VideoProcessor(envOr("FFMPEG_PATH", "ffmpeg"), envOr("FFPROBE_PATH", "ffprobe"), limits);
  }

  /** {@link #fromEnvironment(Limits)} with {@link Limits#defaults()}. */
  public static VideoProcessor fromEnvironment() {
    return fromEnvironment(Limits.defaults());
  }

  /** The limits this processor enforces. */
  public Limits limits() {
    return limits;
  }

  /**
   * Reads a video's properties and checks them against the limits.
   *
   * @throws MediaException not transient for unreadable, unsuitable or oversized videos
   */
  public VideoInfo probe(Path video) throws MediaException {
    long size;
    try {
      size = Files.size(video);
    } catch (NoSuchFileException e) {
      throw MediaException.badInput("The video file is missing", e);
    } catch (IOException e) {
      throw MediaException.transientFailure("The video could not be read from storage", e);
    }
    if (size > limits.maxBytes()) {
      throw MediaException.badInput(String.format(Locale.ROOT,
          "The video file is too large: at most %d MB are allowed, this one has %d MB",
          limits.maxBytes() >> 20, size >> 20));
    }
    List<String> command = List.of(ffprobe, "-v", "error", "-print_format", "json", "-show_format",
        "-show_streams", "--", video.toAbsolutePath().toString());
    ProcessRunner.Outcome outcome = runTool(command, PROBE_TIMEOUT, MAX_PROBE_OUTPUT, "checked", StopSignal.NEVER);
    if (outcome.exitCode() != 0) {
      if (outcome.exitCode() >= 128) {
        throw new MediaException("The video could not be checked because the video tool crashed", true,
            outcome.stderrTail(), null);
      }
      throw new MediaException("The video could not be read: the file is damaged or not a video format"
          + " we support (use MP4, MOV or WebM)", false, outcome.stderrTail(), null);
    }
    VideoInfo info;
    try {
      info = parseProbe(outcome.stdout(), size);
    } catch (IllegalArgumentException | ClassCastException e) {
      throw new MediaException("The video could not be read: the video tool gave an unexpected answer", true,
          e.getMessage(), e);
    }
    if (Double.isNaN(info.durationSeconds())) {
      info = withDuration(info, lastPacketTime(video));
    }
    check(info);
    return info;
  }

  /**
   * The time of the last video packet within the first {@code maxDurationSeconds + 1} seconds, for
   * files whose header states no duration (e.g. recorded live to WebM); reading stops past the limit,
   * so a huge file costs no more than a too-long one.
   */
  double lastPacketTime(Path video) throws MediaException {
    String interval = String.format(Locale.ROOT, "%%+%.0f", Math.ceil(limits.maxDurationSeconds()) + 1);
    List<String> command = List.of(ffprobe, "-v", "error", "-select_streams", "v:0", "-read_intervals", interval,
        "-show_entries", "packet=pts_time", "-of", "csv=p=0", "--", video.toAbsolutePath().toString());
    ProcessRunner.Outcome outcome = runTool(command, PROBE_TIMEOUT, MAX_PROBE_OUTPUT, "checked", StopSignal.NEVER);
    double last = Double.NaN;
    if (outcome.exitCode() == 0) {
      for (String line : outcome.stdout().split("\\R")) {
        double t = number(line.split(",")[0]);
        if (!Double.isNaN(t) && (Double.isNaN(last) || t > last)) {
          last = t;
        }
      }
    }
    if (Double.isNaN(last) || last <= 0) {
      throw new MediaException("The video could not be read: its length could not be determined", false,
          outcome.stderrTail(), null);
    }
    return last;
  }

  private static VideoInfo withDuration(VideoInfo info, double seconds) {
    return new VideoInfo(seconds, info.width(), info.height(), info.rotation(), info.sampleAspect(),
        info.frameRate(), info.videoCodec(), info.pixelFormat(), info.hasAudio(), info.audioCodec(), info.formatName(),
        info.sizeBytes());
  }

  /** {@link #transcode(Path, int, int, Path, StopSignal)} that is never asked to stop. */
  public Result transcode(Path input, int photoWidth, int photoHeight, Path output) throws MediaException {
    return transcode(input, photoWidth, photoHeight, output, StopSignal.NEVER);
  }

  /**
   * Probes {@code input}, then writes the re-encoded MP4 to {@code output} (atomically; parent folders
   * created), shaped for a photo of the given size. The encode stops just past the duration limit
   * and the output is probed again, so a file whose header understates its length is refused.
   *
   * @param stop asked while ffmpeg runs; when it answers true ffmpeg is killed
   * @throws MediaException not transient for unusable input (also when ffmpeg fails on it);
   *                        transient when ffmpeg crashes, times out or is stopped, the disk is full
   *                        ({@link MediaException#DISK_FULL}) or storage fails
   */
  public Result transcode(Path input, int photoWidth, int photoHeight, Path output, StopSignal stop)
      throws MediaException {
    if (photoWidth <= 0 || photoHeight <= 0) {
      throw new IllegalArgumentException("photo size " + photoWidth + "x" + photoHeight);
    }
    VideoInfo source = probe(input);
    Plan plan = plan(source, (double) photoWidth / photoHeight, limits.maxOutputSide(), limits.maxOutputPixels());
    Path dir = output.toAbsolutePath().getParent();
    Path tmp;
    try {
      Files.createDirectories(dir);
      tmp = Files.createTempFile(dir, "." + output.getFileName(), ".tmp.mp4");
    } catch (IOException e) {
      throw storageFailure(e);
    }
    try {
      ProcessRunner.Outcome outcome = runTool(encodeCommand(input, source, plan, tmp), limits.timeout(), 1 << 16,
          "converted", stop);
      if (outcome.exitCode() != 0) {
        throw encodeFailure(outcome);
      }
      VideoInfo written = parseWritten(tmp);
      if (written.durationSeconds() > limits.maxDurationSeconds() + ENCODE_MARGIN_SECONDS / 2) {
        throw MediaException.badInput(String.format(Locale.ROOT,
            "The video is too long: at most %s seconds are allowed, and it plays for longer than the %s seconds"
                + " its file header states",
            seconds(limits.maxDurationSeconds()), seconds(source.durationSeconds())));
      }
      ImageFiles.moveIntoPlace(tmp, output);
      return new Result(source, written, plan.crop());
    } catch (IOException e) {
      throw storageFailure(e);
    } finally {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException e) {
        // a stray temporary file is harmless; the project folder is deleted with the project
      }
    }
  }

  private static MediaException storageFailure(IOException e) {
    return MediaException.isDiskFull(e) ? MediaException.diskFull(e.getMessage(), e)
        : MediaException.transientFailure("The converted video could not be written to storage", e);
  }

  /**
   * Why ffmpeg failed. Its input was probed and the command is the same every time, so a plain
   * error exit means the file cannot be converted; only a crash (a signal), a full disk or a system
   * error named in its last messages is worth retrying.
   */
  private static MediaException encodeFailure(ProcessRunner.Outcome outcome) {
    String tail = outcome.stderrTail();
    if (MediaException.isDiskFull(tail)) {
      return MediaException.diskFull(tail, null);
    }
    if (outcome.exitCode() >= 128) {
      return new MediaException("The video could not be converted because the video tool crashed", true, tail, null);
    }
    if (SYSTEM_FAILURES.stream().anyMatch(tail::contains)) {
      return new MediaException("The video could not be converted because the server had a problem", true, tail,
          null);
    }
    return new MediaException("The video could not be converted: the file is damaged or uses a variant we cannot"
        + " convert (export it again as a standard MP4)", false, tail, null);
  }

  private VideoInfo parseWritten(Path file) throws MediaException, IOException {
    List<String> command = List.of(ffprobe, "-v", "error", "-print_format", "json", "-show_format",
        "-show_streams", "--", file.toAbsolutePath().toString());
    ProcessRunner.Outcome outcome = runTool(command, PROBE_TIMEOUT, MAX_PROBE_OUTPUT, "checked", StopSignal.NEVER);
    if (outcome.exitCode() != 0) {
      throw new MediaException("The converted video could not be checked", true, outcome.stderrTail(), null);
    }
    try {
      return parseProbe(outcome.stdout(), Files.size(file));
    } catch (IllegalArgumentException | ClassCastException e) {
      throw new MediaException("The converted video could not be checked", true, e.getMessage(), e);
    }
  }

  private void check(VideoInfo info) throws MediaException {
    if (info.durationSeconds() > limits.maxDurationSeconds()) {
      throw MediaException.badInput(String.format(Locale.ROOT,
          "The video is too long: at most %s seconds are allowed, this one lasts %s seconds",
          seconds(limits.maxDurationSeconds()), seconds(info.durationSeconds())));
    }
    if (Math.max(info.width(), info.height()) > limits.maxSourceSide()) {
      throw MediaException.badInput(String.format(Locale.ROOT,
          "The video resolution is too high: at most %d pixels per side are allowed, this one has %dx%d",
          limits.maxSourceSide(), info.width(), info.height()));
    }
  }

  /** Where and how much to crop, and the output size. */
  static Plan plan(VideoInfo info, double photoAspect, int maxSide, long maxPixels) {
    double dw = info.displayWidth();
    double dh = info.displayHeight();
    double videoAspect = dw / dh;
    boolean crop = Math.abs(videoAspect - photoAspect) > ASPECT_TOLERANCE;
    boolean cropWidth = crop && videoAspect > photoAspect;
    double keptW = cropWidth ? dh * photoAspect : dw;
    double keptH = crop && !cropWidth ? dw / photoAspect : dh;
    double scale = Math.min(1.0, Math.min(maxSide / Math.max(keptW, keptH), Math.sqrt(maxPixels / (keptW * keptH))));
    return new Plan(crop, cropWidth, photoAspect, even(keptW * scale, maxSide), even(keptH * scale, maxSide));
  }

  private static int even(double size, int max) {
    int value = 2 * (int) Math.round(size / 2);
    return Math.max(2, Math.min(value, max - max % 2));
  }

  private List<String> encodeCommand(Path input, VideoInfo source, Plan plan, Path out) {
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
    command.addAll(List.of(ffmpeg, "-hide_banner", "-nostdin", "-nostats", "-loglevel",
        "error", "-y", "-i", input.toAbsolutePath().toString(), "-map", "0:v:0"));
    if (source.hasAudio()) {
      command.addAll(List.of("-map", "0:a:0"));
    }
    command.addAll(List.of("-vf", String.join(",", filters), "-c:v", "libx264", "-preset", "fast", "-crf", "23",
        "-pix_fmt", "yuv420p", "-map_metadata", "-1", "-map_chapters", "-1", "-sn", "-dn"));
    if (source.hasAudio()) {
      command.addAll(List.of("-c:a", "aac", "-b:a", "128k"));
    } else {
      command.add("-an");
    }
    // stop just past the limit: a file longer than its header says is then refused after the encode
    command.addAll(List.of("-t", seconds(limits.maxDurationSeconds() + ENCODE_MARGIN_SECONDS)));
    command.addAll(List.of("-movflags", "+faststart", "-f", "mp4", out.toAbsolutePath().toString()));
    return command;
  }

  private static ProcessRunner.Outcome runTool(List<String> command, Duration timeout, int maxOutput, String verb,
                                              StopSignal stop) throws MediaException {
    try {
      return ProcessRunner.run(command, timeout, maxOutput, stop);
    } catch (IOException e) {
      throw new MediaException("The video could not be " + verb + " because the video tool is not available",
          true, "cannot run " + command.get(0) + ": " + e.getMessage(), e);
    } catch (ProcessRunner.TimeoutException e) {
      throw new MediaException("The video could not be " + verb + " in time", true,
          e.getMessage() + (e.stderrTail.isEmpty() ? "" : "\n" + e.stderrTail), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MediaException("The video could not be " + verb + ": the job was interrupted", true, null, e);
    }
  }

  /** Turns ffprobe's JSON into a {@link VideoInfo}; refuses files without a real video track. */
  static VideoInfo parseProbe(String json, long sizeBytes) throws MediaException {
    @SuppressWarnings("unchecked")
    Map<String, Object> root = (Map<String, Object>) Json.parse(json);
    Map<String, Object> format = map(root.get("format"));
    List<Object> streams = root.get("streams") instanceof List<?> list ? new ArrayList<>(list) : List.of();
    Map<String, Object> video = null;
    Map<String, Object> audio = null;
    for (Object s : streams) {
      Map<String, Object> stream = map(s);
      String type = string(stream.get("codec_type"));
      boolean coverArt = number(map(stream.get("disposition")).get("attached_pic")) == 1;
      if (video == null && "video".equals(type) && !coverArt) {
        video = stream;
      } else if (audio == null && "audio".equals(type)) {
        audio = stream;
      }
    }
    if (video == null) {
      throw MediaException.badInput("The video could not be used: the file has no video track");
    }
    String formatName = string(format.get("format_name"));
    double duration = number(format.get("duration"));
    if (Double.isNaN(duration) || duration <= 0) {
      duration = number(video.get("duration"));
    }
    boolean still = formatName != null && (formatName.endsWith("_pipe") || formatName.equals("image2"));
    if (still) {
      throw MediaException.badInput("The video could not be used: the file is a still image, not a video");
    }
    if (duration <= 0) {
      duration = Double.NaN;
    }
    int width = (int) number(video.get("width"));
    int height = (int) number(video.get("height"));
    if (width <= 0 || height <= 0) {
      throw MediaException.badInput("The video could not be read: its frame size is unknown");
    }
    return new VideoInfo(duration, width, height, rotation(video), sampleAspect(video),
        frameRate(video), string(video.get("codec_name")), string(video.get("pix_fmt")), audio != null, audio == null ? null : string(audio.get("codec_name")),
        formatName, sizeBytes);
  }

  /** Clockwise display rotation from the display matrix (counter-clockwise degrees) or the older rotate tag. */
  private static int rotation(Map<String, Object> video) {
    double degrees = Double.NaN;
    if (video.get("side_data_list") instanceof List<?> sideData) {
      for (Object entry : sideData) {
        double r = number(map(entry).get("rotation"));
        if (!Double.isNaN(r)) {
          degrees = -r;
          break;
        }
      }
    }
    if (Double.isNaN(degrees)) {
      degrees = number(map(video.get("tags")).get("rotate"));
    }
    if (Double.isNaN(degrees)) {
      return 0;
    }
    int quarter = (int) Math.round(degrees / 90);
    return Math.floorMod(quarter, 4) * 90;
  }

  /** Average frame rate ("30000/1001"), else the nominal one; NaN when neither is stated. */
  private static double frameRate(Map<String, Object> video) {
    for (String key : new String[] {"avg_frame_rate", "r_frame_rate"}) {
      double rate = ratio(string(video.get(key)));
      if (rate > 0) {
        return rate;
      }
    }
    return Double.NaN;
  }

  private static double ratio(String text) {
    if (text == null) {
      return Double.NaN;
    }
    String[] parts = text.split("/");
    try {
      double num = Double.parseDouble(parts[0]);
      double den = parts.length > 1 ? Double.parseDouble(parts[1]) : 1;
      return den > 0 ? num / den : Double.NaN;
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  private static double sampleAspect(Map<String, Object> video) {
    String sar = string(video.get("sample_aspect_ratio"));
    if (sar == null) {
      return 1;
    }
    String[] parts = sar.split(":");
    try {
      double num = Double.parseDouble(parts[0]);
      double den = parts.length > 1 ? Double.parseDouble(parts[1]) : 1;
      return num > 0 && den > 0 ? num / den : 1;
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  private static String string(Object value) {
    return value == null ? null : value instanceof Double d && d == Math.rint(d) ? String.valueOf(d.longValue())
        : value.toString();
  }

  /** ffprobe writes many numbers as strings ("2.000000", "N/A"): both forms are read, anything else is NaN. */
  private static double number(Object value) {
    if (value instanceof Double d) {
      return d;
    }
    if (value instanceof String s) {
      try {
        return Double.parseDouble(s.trim());
      } catch (NumberFormatException e) {
        return Double.NaN;
      }
    }
    return Double.NaN;
  }

  private static String seconds(double value) {
    return value == Math.rint(value) ? String.valueOf((long) value) : String.format(Locale.ROOT, "%.1f", value);
  }

  private static String envOr(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value.trim();
  }

  private static String requireText(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " executable not given");
    }
    return value;
  }
}
