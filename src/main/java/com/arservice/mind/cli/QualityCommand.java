package com.arservice.mind.cli;

import com.arservice.mind.detect.GreyImage;
import com.arservice.mind.quality.QualityAnalyzer;
import com.arservice.mind.quality.QualityReport;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code quality [--json] [--heatmap DIR] IMAGE...}: predicts how reliably MindAR's runtime will
 * find each photo when printed ({@link QualityAnalyzer}).
 *
 * <p>With {@code --json} it prints one line per image, {@code {"image":"<path as given>",...}}
 * followed by the report's fields; otherwise a short summary with the English advice. {@code
 * --heatmap DIR} writes {@code DIR/<image name>.quality.png}; {@code --views N} simulates N views
 * instead of 48 (slower, steadier). Any error prints one line naming the file and the reason and
 * exits with status 2, like {@code compile}.
 */
public final class QualityCommand {

  static final String USAGE = "usage: quality [--json] [--heatmap DIR] [--views N] IMAGE...";

  private QualityCommand() {}

  /**
   * Runs the command.
   *
   * @param args the arguments after the word {@code quality}
   * @return the process exit status: 0 on success, 2 on any error
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    boolean json = false;
    Path heatmaps = null;
    int views = QualityAnalyzer.DEFAULT_VIEWS;
    List<Path> inputs = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--json")) {
        json = true;
      } else if (a.equals("--heatmap")) {
        if (i + 1 >= args.length) {
          err.println("error: --heatmap needs a folder; " + USAGE);
          return 2;
        }
        heatmaps = Path.of(args[++i]);
      } else if (a.equals("--views")) {
        try {
          views = Integer.parseInt(args[++i]);
        } catch (ArrayIndexOutOfBoundsException | NumberFormatException e) {
          views = 0;
        }
        if (views < QualityAnalyzer.MIN_VIEWS) {
          err.println(
              "error: --views needs a number of at least "
                  + QualityAnalyzer.MIN_VIEWS
                  + "; "
                  + USAGE);
          return 2;
        }
      } else if (a.startsWith("-") && a.length() > 1) {
        err.println("error: unknown option " + a + "; " + USAGE);
        return 2;
      } else {
        inputs.add(Path.of(a));
      }
    }
    List<GreyImage> images = CompileCommand.loadOrReport(inputs, err, USAGE);
    if (images == null) {
      return 2;
    }
    QualityAnalyzer analyzer = new QualityAnalyzer(views, QualityAnalyzer.DEFAULT_SEED);
    for (int i = 0; i < images.size(); i++) {
      Path input = inputs.get(i);
      QualityReport report = analyzer.analyze(images.get(i), heatmaps != null);
      if (heatmaps != null) {
        Path file = heatmaps.resolve(input.getFileName() + ".quality.png");
        try {
          Files.createDirectories(heatmaps);
          Files.write(file, report.heatmap());
        } catch (IOException e) {
          err.println("error: " + file + ": could not write the heat-map (" + e.getMessage() + ")");
          return 2;
        }
      }
      if (json) {
        out.println(
            "{\"image\":"
                + CompileCommand.jsonString(input.toString())
                + ","
                + report.toJson().substring(1));
      } else {
        out.printf(
            "%s: score %d (%d %s), found in %d of %d simulated views%n",
            input,
            report.score(),
            report.stars(),
            report.stars() == 1 ? "star" : "stars",
            Math.round(report.detectionRate().all() * report.views()),
            report.views());
        for (QualityReport.Advice a : report.advice()) {
          out.println("  - " + a.en());
        }
      }
    }
    return 0;
  }
}
