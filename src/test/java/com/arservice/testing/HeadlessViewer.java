package com.arservice.testing;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's chromium, headless with software WebGL, driven by {@code src/test/browser/view.mjs}
 * (playwright-core), its fake camera playing an MJPEG file that ffmpeg makes from a photo: what the
 * viewer tests open pages with.
 */
public final class HeadlessViewer {
  public static final String CHROMIUM = System.getProperty("browser.chromium", "/usr/bin/chromium");

  private final Path project;

  private HeadlessViewer(Path project) {
    this.project = project;
  }

  /** The project folder's driver, its packages installed when missing. */
  public static HeadlessViewer create() throws Exception {
    Path project = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
    Path browserTest = project.resolve("src/test/browser");
    if (!Files.exists(browserTest.resolve("node_modules/playwright-core/package.json"))) {
      run(browserTest, "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error");
    }
    return new HeadlessViewer(project);
  }

  /** Why the browser cannot run here, or null when it can. */
  public static String missing() {
    return !Files.isExecutable(Path.of(CHROMIUM))
        ? CHROMIUM + " is not installed (.ci/setup-chromium.sh)"
        : !commandWorks("node", "--version") ? "node is not installed" : null;
  }

  public Path project() {
    return project;
  }

  /** A 2 s, 10 fps MJPEG camera file of {@code photo} through ffmpeg filter {@code filter}. */
  public static Path camera(Path work, Path photo, String filter, String name) throws Exception {
    Path out = work.resolve(name);
    run(
        work,
        "ffmpeg",
        "-loglevel",
        "error",
        "-y",
        "-loop",
        "1",
        "-i",
        photo.toString(),
        "-vf",
        filter + ",format=yuvj420p",
        "-r",
        "10",
        "-t",
        "2",
        "-q:v",
        "3",
        out.toString());
    return out;
  }

  /** Runs one scenario of {@code view.mjs} ({@code options} as it reads them); its report. */
  public JsonObject view(JsonObject options) throws Exception {
    options.put("executable", CHROMIUM);
    String out = run(project.resolve("src/test/browser"), "node", "view.mjs", options.encode());
    return new JsonObject(out.lines().reduce((a, b) -> b).orElse("{}"));
  }

  private static boolean commandWorks(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (Exception e) {
      return false;
    }
  }

  /** Runs {@code command} in {@code dir}; its output, or an assertion error with it. */
  public static String run(Path dir, String... command) throws Exception {
    Process p =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(false).start();
    List<String> err = new ArrayList<>();
    Thread drain = new Thread(() -> p.errorReader().lines().forEach(err::add));
    drain.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish");
    }
    drain.join();
    if (p.exitValue() != 0) {
      throw new AssertionError(String.join(" ", command) + " failed: " + String.join("\n", err));
    }
    return out;
  }
}
