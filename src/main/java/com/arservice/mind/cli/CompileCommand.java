package com.arservice.mind.cli;

import com.arservice.imageio.ImageInputException;
import com.arservice.mind.MarkerMode;
import com.arservice.mind.MindCompiler;
import com.arservice.mind.detect.GreyImage;
import com.arservice.mind.io.ImageLoader;
import com.arservice.mind.quality.RobustCompiler;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code compile [-o OUT.mind] [--mode reference|robust] [--json] IMAGE...}: compiles photos (JPEG,
 * PNG, HEIC, AVIF, WebP, TIFF) into one MindAR {@code .mind} file (default {@code targets.mind}),
 * one target per photo in the given order, as MindAR's own compiler does ({@code reference}, the
 * default) or in {@link MarkerMode#ROBUST}.
 *
 * <p>With {@code --json} it prints one line {@code
 * {"output":...,"targets":N,"keyframes":[..],"points":[..],"compileMs":M}}, where compileMs is the
 * in-process compile time without image decoding. Any error prints one line naming the file and the
 * reason and exits with status 2.
 */
public final class CompileCommand {

  static final String USAGE =
      "usage: compile [-o OUT.mind] [--mode reference|robust] [--json] IMAGE...";

  private CompileCommand() {}

  /**
   * Runs the command.
   *
   * @param args the arguments after the word {@code compile}
   * @return the process exit status: 0 on success, 2 on any error
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    Path output = Path.of("targets.mind");
    boolean json = false;
    MarkerMode mode = MarkerMode.REFERENCE;
    List<Path> inputs = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("-o") || a.equals("--output")) {
        if (i + 1 >= args.length) {
          err.println("error: " + a + " needs a file name; " + USAGE);
          return 2;
        }
        output = Path.of(args[++i]);
      } else if (a.equals("--mode")) {
        if (i + 1 >= args.length) {
          err.println("error: --mode needs reference or robust; " + USAGE);
          return 2;
        }
        try {
          mode = MarkerMode.parse(args[++i]);
        } catch (IllegalArgumentException e) {
          err.println("error: --mode '" + args[i] + "' " + e.getMessage() + "; " + USAGE);
          return 2;
        }
      } else if (a.equals("--json")) {
        json = true;
      } else if (a.startsWith("-") && a.length() > 1) {
        err.println("error: unknown option " + a + "; " + USAGE);
        return 2;
      } else {
        inputs.add(Path.of(a));
      }
    }
    List<GreyImage> images = loadOrReport(inputs, err, USAGE);
    if (images == null) {
      return 2;
    }
    long started = System.nanoTime();
    MindCompiler.Result result = RobustCompiler.compile(images, mode);
    long compileMs = (System.nanoTime() - started) / 1_000_000;
    try {
      Files.write(output, result.mind());
    } catch (IOException e) {
      err.println(
          "error: " + output + ": could not write the output file (" + e.getMessage() + ")");
      return 2;
    }

    List<MindCompiler.TargetStats> stats = result.targets();
    if (json) {
      out.println(
          "{\"output\":"
              + jsonString(output.toString())
              + ",\"mode\":"
              + jsonString(mode.id())
              + ",\"targets\":"
              + stats.size()
              + ",\"keyframes\":"
              + jsonInts(stats.stream().map(MindCompiler.TargetStats::keyframes).toList())
              + ",\"points\":"
              + jsonInts(stats.stream().map(MindCompiler.TargetStats::points).toList())
              + ",\"compileMs\":"
              + compileMs
              + "}");
    } else {
      for (int i = 0; i < stats.size(); i++) {
        MindCompiler.TargetStats s = stats.get(i);
        out.printf(
            "%s: %dx%d, %d keyframes, %d points, %d tracking points%n",
            inputs.get(i), s.width(), s.height(), s.keyframes(), s.points(), s.trackingPoints());
      }
      out.printf(
          "wrote %s (%d bytes, %d targets, mode %s) in %d ms%n",
          output, result.mind().length, stats.size(), mode.id(), compileMs);
    }
    return 0;
  }

  /**
   * Decodes every input; on none given or a bad one prints the one-line error to {@code err} and
   * returns null.
   */
  static List<GreyImage> loadOrReport(List<Path> inputs, PrintStream err, String usage) {
    if (inputs.isEmpty()) {
      err.println("error: no image given; " + usage);
      return null;
    }
    try {
      return load(inputs, new ImageLoader());
    } catch (InputError e) {
      err.println("error: " + e.getMessage());
      return null;
    }
  }

  /** Decodes every input, failing on the first bad one with its name in the message. */
  static List<GreyImage> load(List<Path> inputs, ImageLoader loader) throws InputError {
    List<GreyImage> images = new ArrayList<>(inputs.size());
    for (Path p : inputs) {
      if (!Files.isRegularFile(p)) {
        throw new InputError(p + ": file not found");
      }
      try {
        images.add(loader.load(p));
      } catch (ImageInputException e) {
        throw new InputError(p + ": " + e.getMessage());
      }
    }
    return images;
  }

  /** An input that cannot be used; the message already names the file. */
  static final class InputError extends Exception {
    InputError(String message) {
      super(message);
    }
  }

  private static String jsonInts(List<Integer> values) {
    return values.stream().map(String::valueOf).collect(Collectors.joining(",", "[", "]"));
  }

  static String jsonString(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
