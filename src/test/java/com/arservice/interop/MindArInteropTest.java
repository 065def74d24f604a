package com.arservice.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.arservice.mind.MindCompiler;
import com.arservice.mind.MindFile;
import com.arservice.mind.MindTarget;
import com.arservice.mind.detect.GreyImage;
import com.arservice.mind.io.ImageLoader;
import com.arservice.mind.quality.QualityAnalyzer;
import com.arservice.mind.quality.QualityPhotos;
import com.arservice.mind.quality.QualityReport;
import com.arservice.mind.runtime.RuntimeDetection;
import com.arservice.mind.runtime.RuntimeGrey;
import com.arservice.mind.runtime.RuntimeTarget;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Checks our {@code .mind} files against the real MindAR 1.2.5 compiler and runtime, run under Node
 * by {@code src/test/interop/check.mjs}: same structure and feature points as MindAR's own file for
 * the same photos, and MindAR's runtime detector and matcher find our targets in synthetic camera
 * frames as reliably and precisely as its own, and never in frames of an unrelated photo.
 *
 * <p>Needs {@code node} and {@code npm}: without them the test is skipped, except when the
 * environment variable {@code CI} is {@code "true"}, where it fails. Installs {@code
 * src/test/interop/}'s locked packages with {@code npm ci --ignore-scripts} when they are missing
 * (the native build of mind-ar's {@code canvas} dependency is never needed). Work files stay in
 * {@code target/interop-check/} for inspection.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MindArInteropTest {

  private static final List<String> PHOTOS =
      List.of("landscape-800x640.jpg", "portrait-640x800.jpg", "wide-1024x768.jpg");
  private static final String NEGATIVE = "negative-bookshelf-720x540.jpg";
  private static final int FRAMES_PER_PHOTO = 12;
  private static final int NEGATIVE_FRAMES = 8;
  private static final int FRAME_SEED = 100;
  private static final double MIN_WITHIN_5PX = 0.9;
  private static final int HARD_FRAMES_PER_PHOTO = 8;
  private static final int HARD_FRAME_SEED = 200;
  private static final int OTHER_PHOTO_FRAMES = 4;
  private static final int VALIDITY_FRAMES = 8;
  private static final int VALIDITY_SEED = 500;
  private static final String VALIDITY_HARDNESS = "0.5";
  private static final double MAX_FOUND_CORNER_ERROR = 10;
  private static final Duration NODE_TIMEOUT = Duration.ofMinutes(10);

  /** The Node.js executable; {@code -Dinterop.node=PATH} overrides it. */
  private static final String NODE = System.getProperty("interop.node", "node");

  private Path project;
  private Path interop;
  private Path work;
  private List<Path> photos; // the test photos as PNG
  private Path referenceMind;
  private Path oursMind;
  private final List<JsonObject> referenceResults = new ArrayList<>();
  private final List<Path> frameDirs = new ArrayList<>();
  private Path negativeFrames;
  private String nodeMissing;

  @BeforeAll
  void compileReferenceAndRenderFrames() throws Exception {
    project = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
    interop = project.resolve("src/test/interop");
    nodeMissing = nodeMissing();
    if (nodeMissing != null) {
      return;
    }
    if (!Files.exists(interop.resolve("node_modules/mind-ar/package.json"))) {
      run(interop, "npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error");
    }
    work = project.resolve("target/interop-check");
    deleteRecursively(work);
    Files.createDirectories(work);
    Path photoDir = project.resolve("src/test/resources/photos");
    // JPEG decoders differ by a grey level here and there (ImageIO, jpeg-js, browsers), which would
    // blur the point-by-point comparison: both compilers get the same decoded pixels as PNG
    photos = new ArrayList<>();
    for (String name : PHOTOS) {
      photos.add(toPng(photoDir.resolve(name), work));
    }

    referenceMind = work.resolve("mindar.mind");
    List<String> compile = new ArrayList<>(List.of("compile"));
    photos.forEach(p -> compile.add(p.toString()));
    compile.add(referenceMind.toString());
    negativeFrames = work.resolve("frames-negative");
    Path negative = toPng(photoDir.resolve(NEGATIVE), work);
    // each step is one single-threaded Node process: two at a time, one per core
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<JsonObject>> steps = new ArrayList<>();
      steps.add(pool.submit(() -> check(compile.toArray(String[]::new))));
      for (int i = 0; i < photos.size(); i++) {
        Path dir = work.resolve("frames-" + i);
        String photo = photos.get(i).toString();
        String seed = String.valueOf(FRAME_SEED + i);
        steps.add(
            pool.submit(
                () ->
                    check(
                        "frames", photo, dir.toString(), String.valueOf(FRAMES_PER_PHOTO), seed)));
        frameDirs.add(dir);
      }
      steps.add(
          pool.submit(
              () ->
                  check(
                      "frames",
                      negative.toString(),
                      negativeFrames.toString(),
                      String.valueOf(NEGATIVE_FRAMES),
                      String.valueOf(FRAME_SEED - 1))));
      for (Future<JsonObject> step : steps) {
        step.get();
      }
      List<Future<JsonObject>> matches = new ArrayList<>();
      for (int i = 0; i < photos.size(); i++) {
        String dir = frameDirs.get(i).toString();
        String target = String.valueOf(i);
        matches.add(pool.submit(() -> check("match-set", referenceMind.toString(), dir, target)));
      }
      for (Future<JsonObject> match : matches) {
        referenceResults.add(match.get());
      }
    } finally {
      pool.shutdown();
    }
  }

  // skipping here, not in @BeforeAll, makes every test show up as skipped with the reason
  @BeforeEach
  void skipWithoutNode() {
    Assumptions.assumeTrue(nodeMissing == null, nodeMissing);
  }

  /**
   * Compiles {@code photos}, one target each in order, into one {@code .mind} with our compiler.
   */
  private static void compileOurs(List<Path> photos, Path out) throws Exception {
    ImageLoader loader = new ImageLoader();
    List<GreyImage> images = new ArrayList<>();
    for (Path p : photos) {
      images.add(loader.load(p));
    }
    Files.write(out, MindCompiler.compile(images).mind());
  }

  private Path ours() throws Exception {
    if (oursMind == null) {
      Path out = work.resolve("ours.mind");
      compileOurs(photos, out);
      oursMind = out;
    }
    return oursMind;
  }

  @Test
  void mindArFindsItsOwnTargetsPreciselyInTheRenderedFrames() {
    // validates the harness itself: frames, truth homographies and corner error
    for (int i = 0; i < photos.size(); i++) {
      JsonObject r = referenceResults.get(i);
      assertTrue(
          r.getInteger("within5px") >= MIN_WITHIN_5PX * r.getInteger("frames"),
          PHOTOS.get(i) + ": MindAR's own target " + summary(r));
    }
  }

  @Test
  void mindArNeverFindsItsOwnTargetsInFramesOfAnotherPhoto() throws Exception {
    JsonObject r = check("match-set", referenceMind.toString(), negativeFrames.toString(), "all");
    assertEquals(0, r.getInteger("found"), "MindAR's own targets in negative frames " + summary(r));
  }

  @Test
  void ourTargetsHaveMindArsKeyframesAndPointCounts() throws Exception {
    JsonObject c = check("compare", ours().toString(), referenceMind.toString());
    assertTrue(
        c.getBoolean("structureEqual"),
        "keyframe sizes/scales differ: ours "
            + c.getJsonArray("ours")
            + " vs MindAR "
            + c.getJsonArray("ref"));
    // relative, with a floor of 2 points for the smallest keyframes
    JsonObject worst = c.getJsonObject("worstKeyframe");
    if (worst != null) {
      int o = worst.getInteger("ours");
      int r = worst.getInteger("ref");
      assertTrue(
          Math.abs(o - r) <= Math.max(2, 0.10 * r), "point count off by more than 10%: " + worst);
    }
  }

  @Test
  void ourFeaturePointsMatchMindArsPointByPoint() throws Exception {
    JsonObject c = check("compare", ours().toString(), referenceMind.toString());
    String detail = c.copy().put("ours", "...").put("ref", "...").encode();
    assertTrue(c.getDouble("keypointRecall") >= 0.95, "keypoint recall below 95%: " + detail);
    assertTrue(
        c.getDouble("meanDescriptorDistance") <= 8,
        "mean descriptor distance above 8 bits: " + detail);
    assertTrue(c.getDouble("trackingRecall") >= 0.90, "tracking point recall below 90%: " + detail);
  }

  @Test
  void mindArFindsOurTargetsAsReliablyAsItsOwn() throws Exception {
    Path ours = ours();
    for (int i = 0; i < photos.size(); i++) {
      JsonObject r =
          check("match-set", ours.toString(), frameDirs.get(i).toString(), String.valueOf(i));
      JsonObject ref = referenceResults.get(i);
      assertTrue(
          r.getInteger("within5px") >= MIN_WITHIN_5PX * r.getInteger("frames"),
          PHOTOS.get(i) + ": our target " + summary(r));
      assertTrue(
          r.getInteger("within5px") >= ref.getInteger("within5px"),
          PHOTOS.get(i)
              + ": our target "
              + summary(r)
              + " found less often than MindAR's own "
              + summary(ref));
    }
  }

  @Test
  void mindArNeverFindsOurTargetsInFramesOfAnotherPhoto() throws Exception {
    JsonObject r = check("match-set", ours().toString(), negativeFrames.toString(), "all");
    assertEquals(0, r.getInteger("found"), "our targets in negative frames " + summary(r));
  }

  @Test
  void ourRuntimePortDecidesAsMindArsRuntimeDoesOnTheSameFrames() throws Exception {
    // frame sets, each run against one target: the photo's own easy and hard frames, a few frames
    // of another photo, and frames of the unrelated negative photo
    Path runtime = work.resolve("runtime");
    // MindAR's runtime and renderer (Node, one core each, two at a time) run ahead while the port
    // checks the sets already done
    ExecutorService node = Executors.newFixedThreadPool(2);
    List<Future<JsonObject>> renders = new ArrayList<>();
    for (int i = 0; i < photos.size(); i++) {
      String photo = photos.get(i).toString();
      String hard = work.resolve("frames-hard-" + i).toString();
      String seed = String.valueOf(HARD_FRAME_SEED + i);
      renders.add(
          node.submit(
              () ->
                  check("frames", photo, hard, String.valueOf(HARD_FRAMES_PER_PHOTO), seed, "1")));
    }
    for (Future<JsonObject> render : renders) {
      render.get();
    }
    Map<String, Integer> targetOf = new LinkedHashMap<>();
    for (int i = 0; i < photos.size(); i++) {
      Path hard = work.resolve("frames-hard-" + i);
      targetOf.put(framesAsPng(frameDirs.get(i), runtime.resolve("easy-" + i), 99), i);
      targetOf.put(framesAsPng(hard, runtime.resolve("hard-" + i), 99), i);
      Path other = frameDirs.get((i + 1) % photos.size());
      targetOf.put(framesAsPng(other, runtime.resolve("other-" + i), OTHER_PHOTO_FRAMES), i);
    }
    targetOf.put(framesAsPng(negativeFrames, runtime.resolve("negative"), 99), 0);

    String mind = ours().toString();
    Map<String, Future<JsonObject>> references = new LinkedHashMap<>();
    for (Map.Entry<String, Integer> set : targetOf.entrySet()) {
      String dir = runtime.resolve(set.getKey()).toString();
      String target = String.valueOf(set.getValue());
      references.put(set.getKey(), node.submit(() -> check("runtime", mind, dir, target)));
    }
    node.shutdown();
    List<MindTarget> targets = MindFile.read(Files.readAllBytes(ours()));
    int frames = 0;
    int sameDecision = 0;
    int bothFound = 0;
    int sameKeyframe = 0;
    int sameStep = 0;
    int cornersWithin1px = 0;
    int found = 0;
    double worstCorner = 0;
    List<String> differences = new ArrayList<>();
    for (Map.Entry<String, Integer> set : targetOf.entrySet()) {
      Path dir = runtime.resolve(set.getKey());
      MindTarget target = targets.get(set.getValue());
      RuntimeTarget port = new RuntimeTarget(target);
      JsonArray reference = references.get(set.getKey()).get().getJsonArray("frames");
      for (int f = 0; f < reference.size(); f++) {
        JsonObject ref = reference.getJsonObject(f);
        BufferedImage image = ImageIO.read(dir.resolve(ref.getString("frame")).toFile());
        int w = image.getWidth();
        int h = image.getHeight();
        float[] grey = new float[w * h];
        RuntimeGrey.fromRgb(image.getRGB(0, 0, w, h, null, 0, w), grey);
        RuntimeDetection.Still ours = new RuntimeDetection(w, h).detectStill(grey, port);
        String where = set.getKey() + "/" + ref.getString("frame");
        frames++;
        boolean refFound = ref.getInteger("step") >= 0;
        boolean ourFound = ours.step() >= 0;
        found += refFound ? 1 : 0;
        if (refFound != ourFound) {
          differences.add(
              where + ": MindAR step " + ref.getInteger("step") + ", ours " + ours.step());
          continue;
        }
        sameDecision++;
        if (!refFound) {
          continue;
        }
        bothFound++;
        sameStep += ref.getInteger("step") == ours.step() ? 1 : 0;
        if (ref.getInteger("keyframe") != ours.result().keyframe()) {
          differences.add(
              where
                  + ": keyframe "
                  + ref.getInteger("keyframe")
                  + " vs "
                  + ours.result().keyframe());
          continue;
        }
        sameKeyframe++;
        double[] corners = ours.result().corners(target.width(), target.height());
        JsonArray refCorners = ref.getJsonArray("corners");
        double worst = Double.POSITIVE_INFINITY;
        if (corners != null && refCorners != null) {
          worst = 0;
          for (int k = 0; k < 4; k++) {
            double dx = corners[2 * k] - refCorners.getDouble(2 * k);
            double dy = corners[2 * k + 1] - refCorners.getDouble(2 * k + 1);
            worst = Math.max(worst, Math.hypot(dx, dy));
          }
        } else if (corners == null && refCorners == null) {
          worst = 0;
        }
        worstCorner = Math.max(worstCorner, worst);
        if (worst <= 1) {
          cornersWithin1px++;
        } else {
          differences.add(where + ": corners " + worst + " px apart");
        }
      }
    }
    JsonObject figures =
        new JsonObject()
            .put("frames", frames)
            .put("mindArFound", found)
            .put("sameDecision", sameDecision)
            .put("bothFound", bothFound)
            .put("sameStep", sameStep)
            .put("sameKeyframe", sameKeyframe)
            .put("cornersWithin1px", cornersWithin1px)
            .put("worstCornerPx", worstCorner)
            .put("differences", new JsonArray(differences));
    Files.writeString(work.resolve("runtime-faithfulness.json"), figures.encodePrettily());
    String detail = figures.encode();
    assertTrue(found > 0 && found < frames, "the frames must hold both outcomes: " + detail);
    assertTrue(sameDecision >= 0.98 * frames, "found/not found differ: " + detail);
    assertTrue(sameKeyframe >= 0.95 * bothFound, "keyframes differ: " + detail);
    assertTrue(cornersWithin1px >= 0.95 * bothFound, "corners differ: " + detail);
  }

  @Test
  void theQualityScoreRanksPhotosAsMindArsRuntimeFindsThem() throws Exception {
    // the report renders its own views (Java, BoofCV, its seed); the truth here is the real runtime
    // on frames check.mjs renders (JavaScript, another seed), compiled by our compiler
    Path dir = work.resolve("quality-validity");
    Files.createDirectories(dir);
    Map<String, GreyImage> photos = QualityPhotos.all();
    List<String> names = new ArrayList<>(photos.keySet());
    List<GreyImage> images = new ArrayList<>(photos.values());
    Path mind = dir.resolve("targets.mind");
    Files.write(mind, MindCompiler.compile(images).mind());
    // each photo's frames, runtime and report on its own thread: Node and the analyser each keep
    // one core busy, and the machine has two
    List<Future<double[]>> results = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int i = 0; i < names.size(); i++) {
        int index = i;
        results.add(pool.submit(() -> rateAndScore(dir, mind, names.get(index), images, index)));
      }
      double[] scores = new double[names.size()];
      double[] rates = new double[names.size()];
      JsonArray table = new JsonArray();
      for (int i = 0; i < names.size(); i++) {
        rates[i] = results.get(i).get()[0];
        scores[i] = results.get(i).get()[1];
        table.add(
            new JsonObject()
                .put("photo", names.get(i))
                .put("score", (int) scores[i])
                .put("mindArRate", rates[i]));
      }
      assertRanked(dir, names, scores, rates, table);
    } finally {
      pool.shutdownNow();
    }
  }

  /** The share of its frames MindAR's runtime finds photo {@code i} in, and its quality score. */
  private double[] rateAndScore(Path dir, Path mind, String name, List<GreyImage> images, int i)
      throws Exception {
    GreyImage photo = images.get(i);
    Path png = QualityPhotos.writePng(photo, dir.resolve(name + ".png"));
    Path jpegs = dir.resolve("frames-" + name);
    check(
        "frames",
        png.toString(),
        jpegs.toString(),
        String.valueOf(VALIDITY_FRAMES),
        String.valueOf(VALIDITY_SEED + i),
        VALIDITY_HARDNESS);
    Path frames = dir.resolve(framesAsPng(jpegs, dir.resolve("png-" + name), 99));
    JsonArray result =
        check("runtime", mind.toString(), frames.toString(), String.valueOf(i))
            .getJsonArray("frames");
    int found = 0;
    for (int f = 0; f < result.size(); f++) {
      JsonObject r = result.getJsonObject(f);
      Double err = r.getDouble("cornerErr");
      found += r.getInteger("step") >= 0 && err != null && err <= MAX_FOUND_CORNER_ERROR ? 1 : 0;
    }
    return new double[] {
      found / (double) result.size(), new QualityAnalyzer().analyze(photo, false).score()
    };
  }

  private static void assertRanked(
      Path dir, List<String> names, double[] scores, double[] rates, JsonArray table)
      throws IOException {
    double rho = spearman(scores, rates);
    JsonObject summary = new JsonObject().put("spearman", rho).put("photos", table);
    Files.writeString(dir.resolve("table.json"), summary.encodePrettily());
    assertTrue(rho >= 0.8, "Spearman below 0.8: " + summary.encode());
    for (int i = 0; i < names.size(); i++) {
      if (rates[i] < 0.3) {
        assertTrue(scores[i] < QualityReport.POOR, names.get(i) + ": " + summary.encode());
      } else if (rates[i] >= 0.6) {
        assertTrue(scores[i] >= QualityReport.GOOD, names.get(i) + ": " + summary.encode());
      }
    }
  }

  /** Spearman's rank correlation, ties given their mean rank. */
  static double spearman(double[] a, double[] b) {
    double[] ra = ranks(a);
    double[] rb = ranks(b);
    double ma = 0;
    double mb = 0;
    for (int i = 0; i < a.length; i++) {
      ma += ra[i] / a.length;
      mb += rb[i] / a.length;
    }
    double cov = 0;
    double va = 0;
    double vb = 0;
    for (int i = 0; i < a.length; i++) {
      cov += (ra[i] - ma) * (rb[i] - mb);
      va += (ra[i] - ma) * (ra[i] - ma);
      vb += (rb[i] - mb) * (rb[i] - mb);
    }
    return cov / Math.sqrt(va * vb);
  }

  private static double[] ranks(double[] v) {
    double[] r = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      int below = 0;
      int equal = 0;
      for (double w : v) {
        below += w < v[i] ? 1 : 0;
        equal += w == v[i] ? 1 : 0;
      }
      r[i] = below + (equal + 1) / 2.0;
    }
    return r;
  }

  /**
   * Writes the first {@code max} JPEG frames of {@code from} as PNG into {@code to}, so that Node
   * and Java read the same pixels (JPEG decoders differ); returns the folder's name.
   */
  private static String framesAsPng(Path from, Path to, int max) throws IOException {
    Files.createDirectories(to);
    List<Path> jpegs;
    try (Stream<Path> files = Files.list(from)) {
      jpegs = files.filter(p -> p.toString().endsWith(".jpg")).sorted().limit(max).toList();
    }
    for (Path jpeg : jpegs) {
      toPng(jpeg, to);
    }
    if (Files.exists(from.resolve("truth.json"))) {
      Files.copy(
          from.resolve("truth.json"),
          to.resolve("truth.json"),
          StandardCopyOption.REPLACE_EXISTING);
    }
    return to.getFileName().toString();
  }

  private static String summary(JsonObject matchSet) {
    StringBuilder s =
        new StringBuilder()
            .append(matchSet.getInteger("within5px"))
            .append('/')
            .append(matchSet.getInteger("frames"))
            .append(" within 5 px, ")
            .append(matchSet.getInteger("found"))
            .append(" found, mean corner error ")
            .append(matchSet.getValue("meanCornerErr"))
            .append(" px; per frame:");
    JsonArray frames = matchSet.getJsonArray("perFrame");
    for (int i = 0; i < frames.size(); i++) {
      JsonObject f = frames.getJsonObject(i);
      s.append(' ')
          .append(f.getBoolean("found") ? String.valueOf(f.getValue("cornerErr")) : "miss");
    }
    return s.toString();
  }

  /** Why node/npm cannot run, or null; fails instead when {@code CI=true}. */
  private String nodeMissing() {
    try {
      run(project, NODE, "--version");
      run(project, "npm", "--version");
      return null;
    } catch (Exception e) {
      String message = "node/npm not available (" + e.getMessage() + "); run .ci/setup-interop.sh";
      if ("true".equals(System.getenv("CI"))) {
        fail(message);
      }
      return message;
    }
  }

  /** Runs one check.mjs subcommand and parses the JSON object it prints last on stdout. */
  private JsonObject check(String... args) throws Exception {
    List<String> command =
        new ArrayList<>(List.of(NODE, "--no-warnings", interop.resolve("check.mjs").toString()));
    command.addAll(List.of(args));
    String out = run(interop, command.toArray(String[]::new));
    List<String> lines = out.lines().filter(l -> l.startsWith("{")).toList();
    if (lines.isEmpty()) {
      fail("no JSON from check.mjs " + String.join(" ", args) + ":\n" + out);
    }
    JsonObject result = new JsonObject(lines.get(lines.size() - 1));
    if (result.containsKey("error")) {
      fail("check.mjs " + String.join(" ", args) + ": " + result.getString("error"));
    }
    return result;
  }

  /** Runs a process to completion; returns its stdout, fails with both streams when it fails. */
  private static String run(Path dir, String... command) throws IOException, InterruptedException {
    Path err = Files.createTempFile("interop", ".err");
    try {
      Process p =
          new ProcessBuilder(command).directory(dir.toFile()).redirectError(err.toFile()).start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(NODE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("timed out: " + String.join(" ", command));
      }
      if (p.exitValue() != 0) {
        throw new IOException(
            "exit "
                + p.exitValue()
                + ": "
                + String.join(" ", command)
                + "\n"
                + out
                + Files.readString(err));
      }
      return out;
    } finally {
      Files.deleteIfExists(err);
    }
  }

  private static Path toPng(Path photo, Path dir) throws IOException {
    BufferedImage image = ImageIO.read(photo.toFile());
    Path png = dir.resolve(photo.getFileName().toString().replaceFirst("\\.[^.]+$", ".png"));
    if (image == null || !ImageIO.write(image, "png", png.toFile())) {
      throw new IOException("cannot convert " + photo + " to PNG");
    }
    return png;
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
