package com.arservice.testing;

import com.arservice.config.ConfigKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the service's main class in a child JVM, the way a user runs it, with a chosen environment.
 */
public final class Processes {
  private Processes() {}

  /** The result of a finished child process. */
  public record Result(int exitCode, String stdout, String stderr) {}

  /** {@code java -cp <this test class path> com.arservice.Main args...} with {@code env} added. */
  public static Result runMain(Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    return run(mainCommand(List.of(), args), env);
  }

  /**
   * Starts {@code java jvmOptions... -cp <this test class path> com.arservice.Main args...} with
   * only {@code env} of the service's variables, its output in {@code log}; the caller stops it.
   */
  public static Process startMain(
      Map<String, String> env, List<String> jvmOptions, Path log, String... args)
      throws IOException {
    ProcessBuilder pb = new ProcessBuilder(mainCommand(jvmOptions, args));
    clearServiceEnvironment(pb);
    pb.environment().putAll(env);
    return pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  private static List<String> mainCommand(List<String> jvmOptions, String... args) {
    List<String> command = new ArrayList<>(List.of(javaBin()));
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "com.arservice.Main"));
    command.addAll(List.of(args));
    return command;
  }

  public static Result run(List<String> command, Map<String, String> env)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command);
    clearServiceEnvironment(pb);
    pb.environment().putAll(env);
    Path out = Files.createTempFile("ar-out", ".txt");
    Path err = Files.createTempFile("ar-err", ".txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("process did not finish: " + command);
    }
    Result r =
        new Result(
            p.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
    Files.deleteIfExists(out);
    Files.deleteIfExists(err);
    return r;
  }

  /**
   * Drops the service's variables a child would inherit, so a test sets exactly the ones it means.
   */
  static void clearServiceEnvironment(ProcessBuilder pb) {
    pb.environment().keySet().removeIf(k -> ConfigKeys.ALL.contains(k));
  }

  /** A TCP port that was free a moment ago, for a server a test starts. */
  public static int freePort() throws IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  public static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
