package com.arservice.media;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Runs the video tools and says what their failures mean, as {@link MediaException}s whose {@link
 * MediaException#detail()} holds the tool's last stderr lines.
 *
 * <p>A tool that cannot start, crashes, times out or is stopped, a full disk ({@link
 * MediaException#DISK_FULL}) or a system error is transient; ffprobe refusing a file, or ffmpeg
 * failing with an error of its own on a file ffprobe accepted, is the file's fault.
 */
final class VideoFailures {

  /** Words in a failed encoder's last messages that mean the system, not the file, is at fault. */
  private static final List<String> SYSTEM_FAILURES =
      List.of(
          "Cannot allocate memory",
          "Input/output error",
          "Resource temporarily unavailable",
          "Too many open files");

  private VideoFailures() {}

  /**
   * Runs {@code command}; {@code verb} completes "The video could not be ..." when it cannot start,
   * takes longer than {@code timeout}, is stopped or is interrupted.
   */
  static ProcessRunner.Outcome run(
      List<String> command, Duration timeout, int maxOutput, String verb, StopSignal stop)
      throws MediaException {
    try {
      return ProcessRunner.run(command, timeout, maxOutput, stop);
    } catch (IOException e) {
      throw new MediaException(
          "The video could not be " + verb + " because the video tool is not available",
          true,
          "cannot run " + command.get(0) + ": " + e.getMessage(),
          e);
    } catch (ProcessRunner.TimeoutException e) {
      throw new MediaException(
          "The video could not be " + verb + " in time",
          true,
          e.getMessage() + (e.stderrTail.isEmpty() ? "" : "\n" + e.stderrTail),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MediaException(
          "The video could not be " + verb + ": the job was interrupted", true, null, e);
    }
  }

  /**
   * Why ffprobe could not read an uploaded file: a crash is transient, any other error is the
   * file's.
   */
  static MediaException unreadable(ProcessRunner.Outcome outcome) {
    if (outcome.exitCode() >= 128) {
      return new MediaException(
          "The video could not be checked because the video tool crashed",
          true,
          outcome.stderrTail(),
          null);
    }
    return new MediaException(
        "The video could not be read: the file is damaged or not a video format"
            + " we support (use MP4, MOV or WebM)",
        false,
        outcome.stderrTail(),
        null);
  }

  /**
   * Why ffmpeg failed. Its input was probed and the command is the same every time, so a plain
   * error exit means the file cannot be converted; only a crash (a signal), a full disk or a system
   * error named in its last messages is worth retrying.
   */
  static MediaException encode(ProcessRunner.Outcome outcome) {
    String tail = outcome.stderrTail();
    if (MediaException.isDiskFull(tail)) {
      return MediaException.diskFull(tail, null);
    }
    if (outcome.exitCode() >= 128) {
      return new MediaException(
          "The video could not be converted because the video tool crashed", true, tail, null);
    }
    if (SYSTEM_FAILURES.stream().anyMatch(tail::contains)) {
      return new MediaException(
          "The video could not be converted because the server had a problem", true, tail, null);
    }
    return new MediaException(
        "The video could not be converted: the file is damaged or uses a variant we cannot"
            + " convert (export it again as a standard MP4)",
        false,
        tail,
        null);
  }

  /** Writing the converted video failed: a full disk or another, transient, storage problem. */
  static MediaException storage(IOException e) {
    return MediaException.isDiskFull(e)
        ? MediaException.diskFull(e.getMessage(), e)
        : MediaException.transientFailure("The converted video could not be written to storage", e);
  }
}
