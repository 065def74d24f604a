package com.arservice.bench;

import com.arservice.mind.MindCompiler;
import com.arservice.mind.MindTarget;
import com.arservice.mind.detect.GreyImage;
import com.arservice.mind.quality.QualityAnalyzer;
import com.arservice.mind.quality.QualityPhotos;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Speed and stability of the quality report on {@code QualityPhotos} plus the 1024x768 test photo:
 * the median CPU time of one report (one thread) after a warm-up, and, per view count, how far the
 * score moves over five seeds (max - min).
 *
 * <pre>
 * mvn -q test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=com.arservice.bench.QualityBench [-Dexec.args="24 48 96 192"] \
 *   [-Dbench.photos=logo,text-strip]
 * </pre>
 *
 * <p>{@code bench.photos} limits the run to the named photos (names as printed), since the spread
 * at many views takes minutes per photo.
 */
public final class QualityBench {
  private static final int SEEDS = 5;
  private static final int RUNS = 3;

  private QualityBench() {}

  public static void main(String[] args) throws Exception {
    int[] counts =
        args.length == 0
            ? new int[] {24, 48, 96, 192}
            : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
    Map<String, GreyImage> photos = new LinkedHashMap<>(QualityPhotos.all());
    photos.put("wide-1024x768", QualityPhotos.resource("wide-1024x768.jpg"));
    String only = System.getProperty("bench.photos");
    if (only != null) {
      photos.keySet().retainAll(List.of(only.split(",")));
    }
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    QualityAnalyzer report = new QualityAnalyzer();
    report.analyze(QualityPhotos.resource("wide-1024x768.jpg"), true); // warm-up
    for (Map.Entry<String, GreyImage> e : photos.entrySet()) {
      long[] cpu = new long[RUNS];
      long[] compile = new long[RUNS];
      for (int r = 0; r < RUNS; r++) {
        long t0 = threads.getCurrentThreadCpuTime();
        MindTarget target = MindCompiler.compileTarget(e.getValue());
        long t1 = threads.getCurrentThreadCpuTime();
        report.analyze(e.getValue(), target, true);
        compile[r] = (t1 - t0) / 1_000_000;
        cpu[r] = (threads.getCurrentThreadCpuTime() - t0) / 1_000_000;
      }
      Arrays.sort(cpu);
      Arrays.sort(compile);
      List<String> spread = new ArrayList<>();
      MindTarget compiled = MindCompiler.compileTarget(e.getValue());
      for (int n : counts) {
        int min = 101;
        int max = -1;
        for (long seed = 1; seed <= SEEDS; seed++) {
          int s = new QualityAnalyzer(n, seed).analyze(e.getValue(), compiled, false).score();
          min = Math.min(min, s);
          max = Math.max(max, s);
        }
        spread.add(n + " views: " + min + ".." + max);
      }
      System.out.printf(
          "%s %dx%d: %d ms CPU per report (%d of them compiling); scores over %d seeds: %s%n",
          e.getKey(),
          e.getValue().width(),
          e.getValue().height(),
          cpu[RUNS / 2],
          compile[RUNS / 2],
          SEEDS,
          String.join(", ", spread));
    }
  }
}
