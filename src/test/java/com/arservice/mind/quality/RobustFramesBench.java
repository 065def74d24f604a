package com.arservice.mind.quality;

import com.arservice.mind.MarkerMode;
import com.arservice.mind.MindTarget;
import com.arservice.mind.detect.GreyImage;
import com.arservice.mind.runtime.Homography;
import com.arservice.mind.runtime.RuntimeDetection;
import com.arservice.mind.runtime.RuntimeGrey;
import com.arservice.mind.runtime.RuntimeTarget;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * The two marker modes judged by the runtime port (luma grey, the crops from the centre, as {@code
 * check.mjs runtime} does) on camera frames that {@code check.mjs frames} renders with its own
 * camera model: per photo of the robust photo set, frames found (corners within 10 px) easy and
 * hard, and finds among 4 frames of another photo. On the frames of the comparison (8 + 8
 * per photo, seeds 900 + i and 950 + i) it counts what the real runtime counted: 78 and 80 of 128.
 *
 * <pre>
 * java -cp CP com.arservice.mind.quality.RobustFramesBench photos DIR      # DIR/0.png .. DIR/7.png
 * cd src/test/interop; for i in 0 1 2 3 4 5 6 7; do
 *   node check.mjs frames DIR/$i.png DIR/easy-$i 8 $((900 + i))
 *   node check.mjs frames DIR/$i.png DIR/hard-$i 8 $((950 + i)) 1; done
 * java -cp CP com.arservice.mind.quality.RobustFramesBench eval DIR
 * </pre>
 *
 * (CP: {@code target/classes:target/test-classes} and {@code mvn dependency:build-classpath}.)
 */
public final class RobustFramesBench {

  private static final int OTHER_FRAMES = 4;

  private RobustFramesBench() {}

  /** The photo set of the robust comparison: four rich photos and four weak ones. */
  public static Map<String, GreyImage> photos() throws Exception {
    Map<String, GreyImage> set = new LinkedHashMap<>();
    Map<String, GreyImage> quality = QualityPhotos.all();
    for (String name : List.of("landscape", "bookshelf")) {
      set.put(name, quality.get(name));
    }
    set.put("portrait", QualityPhotos.resource("portrait-640x800.jpg"));
    set.put("wide", QualityPhotos.resource("wide-1024x768.jpg"));
    for (String name : List.of("dark", "low-contrast", "text-strip", "logo")) {
      set.put(name, quality.get(name));
    }
    return set;
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[1]);
    Map<String, GreyImage> set = photos();
    List<String> names = new ArrayList<>(set.keySet());
    List<GreyImage> photos = new ArrayList<>(set.values());
    if (args[0].equals("photos")) {
      Files.createDirectories(dir);
      for (int i = 0; i < photos.size(); i++) {
        QualityPhotos.writePng(photos.get(i), dir.resolve(i + ".png"));
      }
      return;
    }
    MarkerMode[] modes = MarkerMode.values();
    Tally[] all = new Tally[modes.length];
    for (int m = 0; m < modes.length; m++) {
      all[m] = new Tally();
    }
    System.out.println("photo | mode | easy | hard | other photo | bytes | compile ms");
    for (int i = 0; i < photos.size(); i++) {
      for (int m = 0; m < modes.length; m++) {
        long t0 = System.nanoTime();
        MindTarget target = RobustCompiler.compileTarget(photos.get(i), modes[m]);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        Tally t = new Tally();
        int easy = t.found(target, dir.resolve("easy-" + i));
        int hard = t.found(target, dir.resolve("hard-" + i));
        int other = t.anyFound(target, dir.resolve("easy-" + (i == 1 ? 0 : 1)));
        all[m].add(t);
        System.out.printf(
            "%s | %s | %d | %d | %d | %d | %d%n",
            names.get(i),
            modes[m].id(),
            easy,
            hard,
            other,
            RobustCompiler.write(List.of(target), modes[m]).length,
            ms);
      }
    }
    for (int m = 0; m < modes.length; m++) {
      System.out.printf(
          "%s: found %d of %d, other photo %d, port %.2f ms per crop%n",
          modes[m].id(), all[m].found, all[m].frames, all[m].other, all[m].msPerCrop());
    }
  }

  /** Frames, finds and the port's time of one mode. */
  private static final class Tally {
    int frames;
    int found;
    int other;
    long nanos;
    long crops;
    RuntimeDetection detection;
    int detectionSize = -1;

    void add(Tally t) {
      frames += t.frames;
      found += t.found;
      other += t.other;
      nanos += t.nanos;
      crops += t.crops;
    }

    double msPerCrop() {
      return nanos / 1e6 / crops;
    }

    /** Frames of DIR whose target corners the port places within 10 px of truth.json's. */
    int found(MindTarget target, Path dir) throws Exception {
      JsonObject truth = new JsonObject(Files.readString(dir.resolve("truth.json")));
      JsonObject truthFrames = truth.getJsonObject("frames");
      JsonArray size = truth.getJsonArray("target");
      int w = target.width();
      int h = target.height();
      double sx = size.getDouble(0) / w;
      double sy = size.getDouble(1) / h;
      RuntimeTarget port = new RuntimeTarget(target);
      int n = 0;
      for (String name : truthFrames.fieldNames().stream().sorted().toList()) {
        frames++;
        double[] t =
            truthFrames.getJsonArray(name).stream()
                .mapToDouble(v -> ((Number) v).doubleValue())
                .toArray();
        RuntimeDetection.Still still = detect(dir.resolve(name), port);
        double[] c = still.result().corners(w, h);
        if (still.step() < 0 || c == null) {
          continue;
        }
        // truth maps pixel centres, the runtime's world has pixel edges at integers
        double[] edges = {0, 0, w, 0, w, h, 0, h};
        double[] truthCorners = new double[8];
        for (int k = 0; k < 4; k++) {
          double x = edges[2 * k] * sx - 0.5;
          double y = edges[2 * k + 1] * sy - 0.5;
          truthCorners[2 * k] = Homography.mapX(t, x, y);
          truthCorners[2 * k + 1] = Homography.mapY(t, x, y);
        }
        n +=
            Geometry.meanCornerDistance(c, truthCorners) <= QualityAnalyzer.MAX_CORNER_ERROR
                ? 1
                : 0;
      }
      found += n;
      return n;
    }

    /** Frames of another photo in which the target is found at all. */
    int anyFound(MindTarget target, Path dir) throws Exception {
      RuntimeTarget port = new RuntimeTarget(target);
      List<Path> jpegs;
      try (Stream<Path> s = Files.list(dir)) {
        jpegs = s.filter(p -> p.toString().endsWith(".jpg")).sorted().limit(OTHER_FRAMES).toList();
      }
      int n = 0;
      for (Path p : jpegs) {
        n += detect(p, port).step() >= 0 ? 1 : 0;
      }
      other += n;
      return n;
    }

    private RuntimeDetection.Still detect(Path frame, RuntimeTarget port) throws Exception {
      BufferedImage image = ImageIO.read(frame.toFile());
      int w = image.getWidth();
      int h = image.getHeight();
      float[] grey = new float[w * h];
      RuntimeGrey.fromRgb(image.getRGB(0, 0, w, h, null, 0, w), grey);
      long t0 = System.nanoTime();
      if (detectionSize != w * 65536 + h) {
        detection = new RuntimeDetection(w, h);
        detectionSize = w * 65536 + h;
      }
      RuntimeDetection.Still s = detection.detectStill(grey, port);
      nanos += System.nanoTime() - t0;
      crops += s.step() < 0 ? 9 : s.step() + 1;
      return s;
    }
  }
}
