package com.arservice.mind.cli;

import com.arservice.mind.MindCompiler;
import com.arservice.mind.detect.GreyImage;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code bench [--runs N] IMAGE...}: compiles the whole set 5 times to warm up, then each photo N
 * times (default 5), and prints the median compile time per photo (decoding excluded) and the JVM's
 * peak heap use. Errors print one line and exit with status 2.
 */
public final class BenchCommand {

  static final String USAGE = "usage: bench [--runs N] IMAGE...";
  private static final int WARM_UP_ROUNDS = 5;

  private BenchCommand() {}

  /**
   * Runs the command.
   *
   * @param args the arguments after the word {@code bench}
   * @return 0 on success, 2 on any error
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    int runs = 5;
    List<Path> inputs = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--runs")) {
        try {
          runs = Integer.parseInt(args[++i]);
        } catch (ArrayIndexOutOfBoundsException | NumberFormatException e) {
          runs = 0;
        }
        if (runs < 1) {
          err.println("error: --runs needs a positive number; " + USAGE);
          return 2;
        }
      } else if (args[i].startsWith("-")) {
        err.println("error: unknown option " + args[i] + "; " + USAGE);
        return 2;
      } else {
        inputs.add(Path.of(args[i]));
      }
    }
    List<GreyImage> images = CompileCommand.loadOrReport(inputs, err, USAGE);
    if (images == null) {
      return 2;
    }
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      pool.resetPeakUsage();
    }
    // Warm-up over the whole set, so the first photo is not measured while the JIT still compiles.
    for (int w = 0; w < WARM_UP_ROUNDS; w++) {
      for (GreyImage img : images) {
        MindCompiler.compile(List.of(img));
      }
    }
    double[] medians = new double[images.size()];
    for (int i = 0; i < images.size(); i++) {
      GreyImage img = images.get(i);
      long[] ms = new long[runs];
      for (int r = 0; r < runs; r++) {
        long t0 = System.nanoTime();
        MindCompiler.compile(List.of(img));
        ms[r] = (System.nanoTime() - t0) / 1_000_000;
      }
      Arrays.sort(ms);
      medians[i] = runs % 2 == 1 ? ms[runs / 2] : (ms[runs / 2 - 1] + ms[runs / 2]) / 2.0;
      out.printf(
          "%s %dx%d: median %.0f ms over %d runs (min %d, max %d)%n",
          inputs.get(i), img.width(), img.height(), medians[i], runs, ms[0], ms[runs - 1]);
    }
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    out.printf(
        "mean of medians %.0f ms per photo; peak heap %d MB%n",
        Arrays.stream(medians).average().orElse(0), peak >> 20);
    return 0;
  }
}
