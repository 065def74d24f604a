package com.arservice.media;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * What the video step needs of an ffmpeg build beyond decoding: the libx264 encoder, zimg's {@code
 * zscale} and the {@code tonemap} filter (HDR and 10-bit sources) and the {@code -fps_mode} option
 * (ffmpeg 5.1 or newer). A build without one of them encodes some videos wrongly or not at all, so
 * the health check names what is missing. Results are remembered per binary once complete.
 */
public final class FfmpegFeatures {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final int MAX_OUTPUT = 1 << 20;
  private static final Map<String, List<String>> COMPLETE = new ConcurrentHashMap<>();
  private static final Map<String, CompletableFuture<List<String>>> RUNNING =
      new ConcurrentHashMap<>();

  private FfmpegFeatures() {}

  /**
   * The features {@code ffmpeg} lacks, by name ("libx264", "zscale", "tonemap", "-fps_mode"); empty
   * when it has them all.
   *
   * @throws IOException when ffmpeg cannot be run or does not answer
   */
  public static List<String> missing(String ffmpeg) throws IOException {
    List<String> known = COMPLETE.get(ffmpeg);
    if (known != null) {
      return known;
    }
    List<String> missing = new ArrayList<>();
    if (!listed(ask(ffmpeg, "-encoders"), "libx264")) {
      missing.add("libx264");
    }
    String filters = ask(ffmpeg, "-filters");
    for (String filter : List.of("zscale", "tonemap")) {
      if (!listed(filters, filter)) {
        missing.add(filter);
      }
    }
    if (!ask(ffmpeg, "-h", "long").contains("\n-fps_mode ")) {
      missing.add("-fps_mode");
    }
    List<String> result = List.copyOf(missing);
    COMPLETE.put(ffmpeg, result);
    return result;
  }

  /**
   * {@link #missing} on a thread of its own, started once per binary (again after a failure): a
   * health check can wait for it briefly instead of running three ffmpeg processes within its
   * deadline.
   */
  public static CompletableFuture<List<String>> inBackground(String ffmpeg) {
    CompletableFuture<List<String>> probe =
        RUNNING.computeIfAbsent(
            ffmpeg,
            f ->
                CompletableFuture.supplyAsync(
                    () -> {
                      try {
                        return missing(f);
                      } catch (IOException e) {
                        throw new UncheckedIOException(e);
                      }
                    },
                    command -> {
                      Thread thread = new Thread(command, "ffmpeg-features");
                      thread.setDaemon(true);
                      thread.start();
                    }));
    probe.whenComplete(
        (missing, failure) -> {
          if (failure != null) {
            RUNNING.remove(ffmpeg, probe);
          }
        });
    return probe;
  }

  /** A line of {@code -filters} or {@code -encoders} output naming {@code name} in its column. */
  private static boolean listed(String listing, String name) {
    return Pattern.compile("(?m)^ \\S+ " + Pattern.quote(name) + " ").matcher(listing).find();
  }

  private static String ask(String ffmpeg, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(ffmpeg, "-hide_banner"));
    command.addAll(List.of(args));
    try {
      ProcessRunner.Outcome outcome =
          ProcessRunner.run(command, TIMEOUT, MAX_OUTPUT, StopSignal.NEVER);
      if (outcome.exitCode() != 0) {
        throw new IOException(ffmpeg + " " + String.join(" ", args) + " failed");
      }
      return outcome.stdout();
    } catch (ProcessRunner.TimeoutException e) {
      throw new IOException(ffmpeg + " did not answer within " + TIMEOUT.toSeconds() + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
