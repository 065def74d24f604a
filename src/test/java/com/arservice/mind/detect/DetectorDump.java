package com.arservice.mind.detect;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Development aid, not a test: runs the detector on a PNG/JPEG (optionally resized by MindAR's
 * resize) and writes its points as JSON for comparison with {@code mindar-ref stages}; with {@code
 * --bench} it times every scale of the image list instead.
 *
 * <pre>
 * DetectorDump IMAGE OUT.json [SCALE]
 * DetectorDump --bench IMAGE [ROUNDS]
 * </pre>
 */
public final class DetectorDump {

  private DetectorDump() {}

  public static void main(String[] args) throws IOException {
    if (args[0].equals("--bench")) {
      bench(load(args[1]), args.length > 2 ? Integer.parseInt(args[2]) : 20);
      return;
    }
    GreyImage image = load(args[0]);
    if (args.length > 2) {
      image =
          ImageList.resize(
              image.data(), image.width(), image.height(), Double.parseDouble(args[2]));
    }
    List<FeaturePoint> points = new Detector(image.width(), image.height()).detect(image.data());
    try (PrintWriter out = new PrintWriter(args[1], "UTF-8")) {
      out.print("{\"width\":" + image.width() + ",\"height\":" + image.height() + ",\"input\":[");
      for (int i = 0; i < image.data().length; i++) {
        out.print((i > 0 ? "," : "") + (image.data()[i] & 0xff));
      }
      out.print("],\"featurePoints\":[");
      for (int i = 0; i < points.size(); i++) {
        FeaturePoint p = points.get(i);
        out.print(
            (i > 0 ? "," : "")
                + "{\"maxima\":"
                + p.maxima()
                + ",\"x\":"
                + p.x()
                + ",\"y\":"
                + p.y()
                + ",\"scale\":"
                + p.scale()
                + ",\"angle\":"
                + p.angle()
                + ",\"descriptors\":[");
        for (int k = 0; k < p.descriptors().length; k++) {
          out.print((k > 0 ? "," : "") + Integer.toUnsignedString(p.descriptors()[k]));
        }
        out.print("]}");
      }
      out.println("]}");
    }
  }

  static GreyImage load(String path) throws IOException {
    BufferedImage img = ImageIO.read(new File(path));
    int w = img.getWidth();
    int h = img.getHeight();
    return new GreyImage(ImageList.greyFromArgb(img.getRGB(0, 0, w, h, null, 0, w)), w, h);
  }

  private static void bench(GreyImage image, int rounds) {
    double[] scales = ImageList.matchingScales(image.width(), image.height());
    GreyImage[] images = new GreyImage[scales.length];
    Detector[] detectors = new Detector[scales.length];
    for (int s = 0; s < scales.length; s++) {
      images[s] = ImageList.resize(image.data(), image.width(), image.height(), scales[s]);
      detectors[s] = new Detector(images[s].width(), images[s].height());
    }
    long[] best = new long[scales.length];
    long[] bestResize = new long[scales.length];
    java.util.Arrays.fill(best, Long.MAX_VALUE);
    java.util.Arrays.fill(bestResize, Long.MAX_VALUE);
    long bestTotal = Long.MAX_VALUE;
    long bestCpu = Long.MAX_VALUE;
    java.lang.management.ThreadMXBean threads =
        java.lang.management.ManagementFactory.getThreadMXBean();
    for (int r = 0; r < rounds; r++) {
      long total = 0;
      long cpu0 = threads.getCurrentThreadCpuTime();
      for (int s = 0; s < scales.length; s++) {
        long t0 = System.nanoTime();
        GreyImage resized =
            ImageList.resize(image.data(), image.width(), image.height(), scales[s]);
        long t1 = System.nanoTime();
        detectors[s].detect(resized.data());
        long t2 = System.nanoTime();
        bestResize[s] = Math.min(bestResize[s], t1 - t0);
        best[s] = Math.min(best[s], t2 - t1);
        total += t2 - t0;
      }
      bestTotal = Math.min(bestTotal, total);
      bestCpu = Math.min(bestCpu, threads.getCurrentThreadCpuTime() - cpu0);
    }
    for (int s = 0; s < scales.length; s++) {
      System.out.printf(
          "scale %.4f %dx%d: resize %.2f ms, detect %.2f ms%n",
          scales[s], images[s].width(), images[s].height(), bestResize[s] / 1e6, best[s] / 1e6);
    }
    System.out.printf(
        "total (best round) %.2f ms wall, %.2f ms thread CPU%n", bestTotal / 1e6, bestCpu / 1e6);
  }
}
