package com.arservice.testing;

import com.arservice.config.DatabaseUrl;
import com.arservice.db.EmbeddedDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The shaded jar run as a process, the way users run it: jar tests, the load benchmark and the
 * fault drills start it, wait for it and make test media with the same few calls.
 */
public final class ServiceProcess {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private ServiceProcess() {}

  /**
   * The jar under test: failsafe passes its path; a bench run from the project folder finds it in
   * target/.
   */
  public static Path jar() {
    return Path.of(System.getProperty("ar.jar", "target/ar-service.jar")).toAbsolutePath();
  }

  /**
   * {@code java -jar ar-service.jar args...} with only {@code env} of the service's variables (none
   * inherited from the caller's environment), its output in {@code log}.
   */
  public static Process start(Map<String, String> env, Path log, String... args)
      throws IOException {
    return start(List.of(), List.of(), env, log, args);
  }

  /**
   * {@link #start(Map, Path, String...)} with {@code wrapper} run first (e.g. a namespace launcher
   * that then runs the java command it is given) and {@code jvmOptions} (e.g. {@code -Xmx512m}).
   */
  public static Process start(
      List<String> wrapper,
      List<String> jvmOptions,
      Map<String, String> env,
      Path log,
      String... args)
      throws IOException {
    List<String> command = new ArrayList<>(wrapper);
    command.add(Processes.javaBin());
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", jar().toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    Processes.clearServiceEnvironment(pb);
    pb.environment().putAll(env);
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    return pb.start();
  }

  /**
   * Waits until {@code GET path} on {@code port} answers 200; fails when the process exits first or
   * time runs out.
   */
  public static void awaitOk(int port, String path, Process process, Duration timeout) {
    Await.until(
        "GET " + path + " on port " + port + " answers 200",
        timeout,
        () -> {
          Await.alive(process);
          try {
            return HTTP.send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                        HttpResponse.BodyHandlers.discarding())
                    .statusCode()
                == 200;
          } catch (IOException notYet) {
            return false;
          }
        });
  }

  /**
   * SIGTERM, then waits for the exit; false when the process did not stop within a minute (it is
   * killed then).
   */
  public static boolean stop(Process process) throws InterruptedException {
    process.destroy();
    if (process.waitFor(60, TimeUnit.SECONDS)) {
      return true;
    }
    process.destroyForcibly();
    return false;
  }

  /**
   * The embedded database of a service running with {@code AR_DATA_DIR=dataDir}, the way an
   * operator finds it: the port in the server's pid file, the password in the file the service
   * generated.
   */
  public static DatabaseUrl embeddedDatabase(Path dataDir) throws IOException {
    Path pg = dataDir.resolve("postgres");
    return new DatabaseUrl(
        "localhost",
        Integer.parseInt(pidFileLine(dataDir, 3)),
        "ar_db",
        "postgres",
        Files.readString(pg.resolve(EmbeddedDatabase.PASSWORD_FILE)).trim());
  }

  /** The pid of the embedded server of a service running with {@code AR_DATA_DIR=dataDir}. */
  public static long embeddedServerPid(Path dataDir) throws IOException {
    return Long.parseLong(pidFileLine(dataDir, 0));
  }

  private static String pidFileLine(Path dataDir, int line) throws IOException {
    return Files.readAllLines(dataDir.resolve("postgres").resolve("postmaster.pid"))
        .get(line)
        .trim();
  }

  /** An H.264 + AAC test video made by ffmpeg. */
  public static void makeVideo(Path out, int width, int height, int fps, int seconds)
      throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                "ffmpeg",
                "-loglevel",
                "error",
                "-y",
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=" + width + "x" + height + ":rate=" + fps,
                "-f",
                "lavfi",
                "-i",
                "sine=frequency=440",
                "-t",
                Integer.toString(seconds),
                "-c:v",
                "libx264",
                "-preset",
                "ultrafast",
                "-c:a",
                "aac",
                "-shortest",
                out.toString())
            .redirectErrorStream(true)
            .start();
    p.getInputStream().readAllBytes();
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("ffmpeg could not make the test video " + out);
    }
  }
}
