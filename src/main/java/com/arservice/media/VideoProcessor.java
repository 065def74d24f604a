package com.arservice.media;

import com.arservice.imageio.FileType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The pipeline's video step: checks a customer's video with ffprobe and re-encodes it with ffmpeg
 * into the MP4 the viewer plays on the photo.
 *
 * <p>The video is refused (not transient) when ffprobe cannot read it, when it has no video track
 * or is a still image, or when it exceeds the {@link Limits}. It is then cut to the photo's shape
 * and scaled as {@link VideoPlan} decides: the longer side at most {@link Limits#maxOutputSide()},
 * the area at most {@link Limits#maxOutputPixels()}; frame rates above {@link
 * Limits#maxFrameRate()} are reduced to it. Both caps keep the stream within H.264 level 4.1
 * (1080p30), which every phone's hardware decoder plays while it also runs the camera and tracking.
 * {@link VideoCommands} has the encoding settings.
 *
 * <p>The encode stops one second past the duration limit and its output is probed again, so a file
 * whose header understates its length is refused rather than converted in full.
 *
 * <p>The tools run without a shell, each path one argument, bounded by a timeout and a {@link
 * StopSignal}; {@link VideoFailures} says which failures are transient. Thread-safe.
 */
public final class VideoProcessor {

  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(60);
  private static final int MAX_PROBE_OUTPUT = 4 << 20;

  /**
   * What the processor accepts and produces.
   *
   * @param maxDurationSeconds longest accepted video
   * @param maxBytes largest accepted file
   * @param maxSourceSide largest accepted frame side of the input, in pixels
   * @param maxOutputSide longest side of the output, in pixels
   * @param maxOutputPixels largest output frame area, in pixels
   * @param maxFrameRate highest output frame rate; faster sources are resampled to it
   * @param timeout longest time one ffmpeg run may take (an encode of more than 1080p at 30 fps for
   *     the longest duration: see {@link #encodeTimeout})
   */
  public record Limits(
      double maxDurationSeconds,
      long maxBytes,
      int maxSourceSide,
      int maxOutputSide,
      long maxOutputPixels,
      double maxFrameRate,
      Duration timeout) {

    /** 120 s, 500 MB, 8192 px in; out 1920 px, 1920×1080 px area, 30 fps; 10 minutes per encode. */
    public static Limits defaults() {
      return new Limits(
          120, 500L * 1024 * 1024, 8192, 1920, 1920L * 1080, 30, Duration.ofMinutes(10));
    }

    /** These limits with another longest accepted duration. */
    public Limits withMaxDurationSeconds(double seconds) {
      return new Limits(
          seconds, maxBytes, maxSourceSide, maxOutputSide, maxOutputPixels, maxFrameRate, timeout);
    }

    /**
     * How long the encode of {@code source} may take: {@link #timeout} covers the longest clip at
     * 1080p and 30 fps, and a source with more pixels to decode per second (4K, 60 fps) gets
     * proportionally more, so a long 4K HDR clip on a busy machine is not killed as if hung.
     */
    public Duration encodeTimeout(VideoInfo source) {
      double rate = Double.isNaN(source.peakFrameRate()) ? 30 : source.peakFrameRate();
      double seconds =
          Double.isNaN(source.durationSeconds()) ? maxDurationSeconds : source.durationSeconds();
      double work = (double) source.width() * source.height() * rate * seconds;
      double covered = 1920.0 * 1080 * 30 * maxDurationSeconds;
      return work > covered ? timeout.multipliedBy((long) Math.ceil(work / covered)) : timeout;
    }

    /** These limits with another timeout per ffmpeg run. */
    public Limits withTimeout(Duration newTimeout) {
      return new Limits(
          maxDurationSeconds,
          maxBytes,
          maxSourceSide,
          maxOutputSide,
          maxOutputPixels,
          maxFrameRate,
          newTimeout);
    }
  }

  /**
   * A transcoded video.
   *
   * @param source the input as probed
   * @param output the written main MP4 as probed (the sharpest rendition)
   * @param cropped whether the centre was cut out to match the photo's aspect ratio
   * @param renditions every written MP4, sharpest first, the main one included
   * @param poster the JPEG of the first frame
   */
  public record Result(
      VideoInfo source,
      VideoInfo output,
      boolean cropped,
      List<Rendition> renditions,
      Path poster) {
    public Result {
      renditions = List.copyOf(renditions);
    }
  }

  /**
   * One written MP4.
   *
   * @param file where it is
   * @param info the file as probed
   * @param maxKbps its video's bit-rate cap
   */
  public record Rendition(Path file, VideoInfo info, int maxKbps) {
    /** Its mean bit rate (video and sound), in kbit/s. */
    public int kbps() {
      return (int) Math.round(info.sizeBytes() * 8 / info.durationSeconds() / 1000);
    }
  }

  /**
   * The file beside {@code main} that holds the rung with {@code suffix}, e.g. video-0-360p.mp4.
   */
  static Path renditionFile(Path main, String suffix) {
    String name = main.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return main.resolveSibling(name.substring(0, dot) + suffix + name.substring(dot));
  }

  /** The poster beside {@code main}, e.g. video-0-poster.jpg. */
  public static Path posterFile(Path main) {
    String name = main.getFileName().toString();
    return main.resolveSibling(name.substring(0, name.lastIndexOf('.')) + "-poster.jpg");
  }

  private final String ffmpeg;
  private final String ffprobe;
  private final Limits limits;

  /**
   * @param ffmpeg the ffmpeg executable: a path, or a bare name looked up on PATH
   * @param ffprobe the ffprobe executable: a path, or a bare name looked up on PATH
   */
  public VideoProcessor(String ffmpeg, String ffprobe, Limits limits) {
    this.ffmpeg = requireText(ffmpeg, "ffmpeg");
    this.ffprobe = requireText(ffprobe, "ffprobe");
    this.limits = limits;
  }

  /** The limits this processor enforces. */
  public Limits limits() {
    return limits;
  }

  /**
   * Refuses a photo or an audio file given as the video (their containers can look like MP4's) with
   * what it is, before ffprobe would answer something misleading.
   */
  private static void refuseNonVideo(Path video) throws MediaException {
    Optional<FileType> type;
    try {
      type = FileType.sniff(video);
    } catch (IOException e) {
      throw MediaException.transientFailure("The video could not be read from storage", e);
    }
    if (type.isPresent() && type.get().media() == FileType.Media.AUDIO) {
      throw MediaException.badInput(
          "The video is an " + type.get().displayName() + " file: it has no picture");
    }
    if (type.isPresent() && type.get().media() == FileType.Media.IMAGE) {
      throw MediaException.badInput(
          "The video is a " + type.get().displayName() + " still image, not a video");
    }
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
      throw MediaException.badInput(
          String.format(
              Locale.ROOT,
              "The video file is too large: at most %d MB are allowed, this one has %d MB",
              limits.maxBytes() >> 20,
              size >> 20));
    }
    refuseNonVideo(video);
    ProcessRunner.Outcome outcome = probeRun(video);
    if (outcome.exitCode() != 0) {
      throw VideoFailures.unreadable(outcome);
    }
    VideoInfo info;
    try {
      info = ProbeParser.parse(outcome.stdout(), size);
    } catch (IllegalArgumentException e) {
      throw new MediaException(
          "The video could not be read: the video tool gave an unexpected answer",
          true,
          e.getMessage(),
          e);
    }
    if (Double.isNaN(info.durationSeconds())) {
      info = withDuration(info, lastPacketTime(video));
    }
    check(info);
    return info;
  }

  /**
   * The time of the last video packet within the first {@code maxDurationSeconds + 1} seconds, for
   * files whose header states no duration (e.g. recorded live to WebM); reading stops past the
   * limit, so a huge file costs no more than a too-long one.
   */
  double lastPacketTime(Path video) throws MediaException {
    List<String> command =
        VideoCommands.packetTimes(ffprobe, video, Math.ceil(limits.maxDurationSeconds()) + 1);
    ProcessRunner.Outcome outcome =
        VideoFailures.run(command, PROBE_TIMEOUT, MAX_PROBE_OUTPUT, "checked", StopSignal.NEVER);
    double last =
        outcome.exitCode() == 0 ? ProbeParser.lastPacketTime(outcome.stdout()) : Double.NaN;
    if (Double.isNaN(last) || last <= 0) {
      throw new MediaException(
          "The video could not be read: its length could not be determined",
          false,
          outcome.stderrTail(),
          null);
    }
    return last;
  }

  private static VideoInfo withDuration(VideoInfo info, double seconds) {
    return new VideoInfo(
        seconds,
        info.width(),
        info.height(),
        info.rotation(),
        info.sampleAspect(),
        info.frameRate(),
        info.nominalFrameRate(),
        info.videoCodec(),
        info.pixelFormat(),
        info.hasAudio(),
        info.audioCodec(),
        info.formatName(),
        info.sizeBytes(),
        info.colorTransfer(),
        info.colorPrimaries(),
        info.colorSpace(),
        info.colorRange());
  }

  /** {@link #transcode(Path, int, int, Path, StopSignal)} that is never asked to stop. */
  public Result transcode(Path input, int photoWidth, int photoHeight, Path output)
      throws MediaException {
    return transcode(input, photoWidth, photoHeight, output, StopSignal.NEVER);
  }

  /**
   * Probes {@code input}, then writes the re-encoded MP4 to {@code output} (atomically; parent
   * folders created), shaped for a photo of the given size, its lighter renditions beside it
   * ({@code -720p}, {@code -360p} where the video is large enough) and its poster ({@link
   * #posterFile}). The encode stops just past the duration limit and the output is probed again, so
   * a file whose header understates its length is refused.
   *
   * @param stop asked while ffmpeg runs; when it answers true ffmpeg is killed
   * @throws MediaException not transient for unusable input (also when ffmpeg fails on it);
   *     transient when ffmpeg crashes, times out or is stopped, the disk is full ({@link
   *     MediaException#DISK_FULL}) or storage fails
   */
  public Result transcode(Path input, int photoWidth, int photoHeight, Path output, StopSignal stop)
      throws MediaException {
    if (photoWidth <= 0 || photoHeight <= 0) {
      throw new IllegalArgumentException("photo size " + photoWidth + "x" + photoHeight);
    }
    VideoInfo source = probe(input);
    VideoPlan plan =
        VideoPlan.of(
            source,
            (double) photoWidth / photoHeight,
            limits.maxOutputSide(),
            limits.maxOutputPixels());
    List<VideoPlan.Rung> ladder = plan.ladder();
    Path dir = output.toAbsolutePath().getParent();
    List<Path> finals = new ArrayList<>();
    ladder.forEach(r -> finals.add(renditionFile(output, r.suffix())));
    finals.add(posterFile(output));
    List<Path> temps = new ArrayList<>();
    try {
      Files.createDirectories(dir);
      for (Path f : finals) {
        String name = f.getFileName().toString();
        temps.add(
            Files.createTempFile(dir, "." + name, ".tmp" + name.substring(name.indexOf('.'))));
      }
    } catch (IOException e) {
      deleteAll(temps);
      throw VideoFailures.storage(e);
    }
    try {
      ProcessRunner.Outcome outcome =
          VideoFailures.run(
              VideoCommands.encode(
                  ffmpeg,
                  input,
                  source,
                  plan,
                  limits,
                  ladder,
                  temps.subList(0, ladder.size()),
                  temps.get(ladder.size())),
              limits.encodeTimeout(source),
              1 << 16,
              "converted",
              stop);
      if (outcome.exitCode() != 0) {
        throw VideoFailures.encode(outcome);
      }
      VideoInfo written = probeWritten(temps.get(0));
      if (written.durationSeconds()
          > limits.maxDurationSeconds() + VideoCommands.ENCODE_MARGIN_SECONDS / 2) {
        throw MediaException.badInput(
            String.format(
                Locale.ROOT,
                "The video is too long: at most %s seconds are allowed, and it plays for longer than the %s seconds"
                    + " its file header states",
                VideoCommands.seconds(limits.maxDurationSeconds()),
                VideoCommands.seconds(source.durationSeconds())));
      }
      List<Rendition> renditions = new ArrayList<>();
      for (int i = 0; i < ladder.size(); i++) {
        VideoInfo info = i == 0 ? written : probeWritten(temps.get(i));
        renditions.add(new Rendition(finals.get(i), info, ladder.get(i).maxKbps()));
      }
      // the main file last: whoever sees it sees the others
      for (int i = finals.size() - 1; i >= 0; i--) {
        ImageFiles.moveIntoPlace(temps.get(i), finals.get(i));
      }
      return new Result(source, written, plan.crop(), renditions, finals.get(ladder.size()));
    } catch (IOException e) {
      throw VideoFailures.storage(e);
    } finally {
      deleteAll(temps);
    }
  }

  /**
   * Deletes what is left of temporary files; a stray one is harmless (the folder goes with the
   * project).
   */
  private static void deleteAll(List<Path> files) {
    for (Path f : files) {
      try {
        Files.deleteIfExists(f);
      } catch (IOException e) {
        // harmless, see above
      }
    }
  }

  private VideoInfo probeWritten(Path file) throws MediaException, IOException {
    ProcessRunner.Outcome outcome = probeRun(file);
    if (outcome.exitCode() != 0) {
      throw new MediaException(
          "The converted video could not be checked", true, outcome.stderrTail(), null);
    }
    try {
      return ProbeParser.parse(outcome.stdout(), Files.size(file));
    } catch (IllegalArgumentException e) {
      throw new MediaException("The converted video could not be checked", true, e.getMessage(), e);
    }
  }

  private ProcessRunner.Outcome probeRun(Path file) throws MediaException {
    return VideoFailures.run(
        VideoCommands.probe(ffprobe, file),
        PROBE_TIMEOUT,
        MAX_PROBE_OUTPUT,
        "checked",
        StopSignal.NEVER);
  }

  private void check(VideoInfo info) throws MediaException {
    if (info.durationSeconds() > limits.maxDurationSeconds()) {
      throw MediaException.badInput(
          String.format(
              Locale.ROOT,
              "The video is too long: at most %s seconds are allowed, this one lasts %s seconds",
              VideoCommands.seconds(limits.maxDurationSeconds()),
              VideoCommands.seconds(info.durationSeconds())));
    }
    if (Math.max(info.width(), info.height()) > limits.maxSourceSide()) {
      throw MediaException.badInput(
          String.format(
              Locale.ROOT,
              "The video resolution is too high: at most %d pixels per side are allowed, this one has %dx%d",
              limits.maxSourceSide(),
              info.width(),
              info.height()));
    }
  }

  private static String requireText(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " executable not given");
    }
    return value;
  }
}
