package com.arservice.bench;

import com.arservice.mind.MarkerMode;
import com.arservice.mind.MindTarget;
import com.arservice.mind.detect.GreyImage;
import com.arservice.mind.quality.QualityAnalyzer;
import com.arservice.mind.quality.QualityPhotos;
import com.arservice.mind.quality.RobustCompiler;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The two marker modes side by side on {@code QualityPhotos} plus the 1024x768 test photo: median
 * CPU time of one compile (one thread, after a warm-up), file size, and the share of simulated
 * views the runtime port finds (the quality report's views, a seed the robust compiler does not
 * judge on).
 *
 * <pre>
 * mvn -q test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=com.arservice.bench.RobustBench [-Dexec.args="VIEWS"] [-Dbench.runs=3]
 * </pre>
 */
public final class RobustBench {
  private static final int RUNS = Integer.getInteger("bench.runs", 3);

  private RobustBench() {}

  public static void main(String[] args) throws Exception {
    int views = args.length == 0 ? 96 : Integer.parseInt(args[0]);
    Map<String, GreyImage> photos = new LinkedHashMap<>(QualityPhotos.all());
    photos.put("wide-1024x768", QualityPhotos.resource("wide-1024x768.jpg"));
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    QualityAnalyzer judge = new QualityAnalyzer(views, 77);
    System.out.println("photo | mode | cpu ms | bytes | points | found % of " + views + " views");
    for (Map.Entry<String, GreyImage> e : photos.entrySet()) {
      for (MarkerMode mode : MarkerMode.values()) {
        long[] cpu = new long[RUNS];
        MindTarget target = RobustCompiler.compileTarget(e.getValue(), mode);
        for (int r = 0; r < RUNS; r++) {
          long t0 = threads.getCurrentThreadCpuTime();
          target = RobustCompiler.compileTarget(e.getValue(), mode);
          cpu[r] = (threads.getCurrentThreadCpuTime() - t0) / 1_000_000;
        }
        Arrays.sort(cpu);
        int bytes = RobustCompiler.write(List.of(target), mode).length;
        int score = judge.analyze(e.getValue(), target, false).score();
        System.out.printf(
            "%s | %s | %d | %d | %d | %d%n",
            e.getKey(), mode.id(), cpu[RUNS / 2], bytes, target.matchingPointCount(), score);
      }
    }
  }
}
