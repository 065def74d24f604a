package com.arservice.mind.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class DetectorTest {

  @Test
  void buildsUpToFiveOctavesOfFlooredHalfSizes() {
    Detector detector = new Detector(800, 640);
    assertEquals(5, detector.numOctaves());
    assertArrayEquals(new int[] {800, 400, 200, 100, 50}, detector.octaveWidth);
    assertArrayEquals(new int[] {640, 320, 160, 80, 40}, detector.octaveHeight);

    Detector small = new Detector(125, 101);
    assertEquals(4, small.numOctaves());
    assertArrayEquals(new int[] {125, 62, 31, 15}, small.octaveWidth);
    assertArrayEquals(new int[] {101, 50, 25, 12}, small.octaveHeight);
  }

  @Test
  void stopsHalvingWhenASideDropsBelowEightPixels() {
    assertEquals(2, new Detector(31, 40).numOctaves());
    assertEquals(1, new Detector(9, 8).numOctaves());
    assertEquals(0, new Detector(7, 100).numOctaves());
  }

  @Test
  void findsNoPointsInImagesTooSmallForThreeOctaves() {
    Random random = new Random(5);
    for (int[] size : new int[][] {{20, 20}, {7, 100}, {100, 9}, {1, 1}}) {
      byte[] grey = new byte[size[0] * size[1]];
      random.nextBytes(grey);
      assertTrue(new Detector(size[0], size[1]).detect(grey).isEmpty());
    }
  }

  @Test
  void rejectsAnImageOfTheWrongSize() {
    assertThrows(IllegalArgumentException.class, () -> new Detector(10, 10).detect(new byte[99]));
  }

  @Test
  void findsAMaximumAtTheCentreOfABrightBlob() {
    FeaturePoint p =
        nearest(new Detector(128, 112).detect(blob(128, 112, 60, 50, 5, 60, 200)), 60, 50);
    assertNotNull(p);
    assertTrue(p.maxima());
    assertTrue(Math.hypot(p.x() - 60, p.y() - 50) < 1.5, p.toString());
  }

  @Test
  void findsAMinimumAtTheCentreOfADarkBlob() {
    FeaturePoint p =
        nearest(new Detector(128, 112).detect(blob(128, 112, 70, 55, 5, 200, 40)), 70, 55);
    assertNotNull(p);
    assertFalse(p.maxima());
    assertTrue(Math.hypot(p.x() - 70, p.y() - 55) < 1.5, p.toString());
  }

  @Test
  void givesIdenticalPointsForTheSameInput() throws IOException {
    GreyImage image = fixtureImage();
    Detector detector = new Detector(image.width(), image.height());
    List<FeaturePoint> first = detector.detect(image.data());
    List<FeaturePoint> again = detector.detect(image.data());
    List<FeaturePoint> fresh = new Detector(image.width(), image.height()).detect(image.data());
    assertEquals(render(first), render(again));
    assertEquals(render(first), render(fresh));
  }

  @Test
  void reproducesMindArPointsAndDescriptorsExactly() throws IOException {
    GreyImage image = fixtureImage();
    assertSamePoints(
        "small120-points.txt", new Detector(image.width(), image.height()).detect(image.data()));
  }

  @Test
  void matchesMindArIntermediateStagesOnTheFixture() throws IOException {
    GreyImage image = fixtureImage();
    Detector detector = new Detector(image.width(), image.height());
    detector.detect(image.data());
    double tolerance = 1.0001e-4; // the oracle rounds to 4 decimals
    boolean[] expectedSlot = new boolean[Detector.MAX_FEATURES];
    for (String line : resourceLines("small120-stages.txt")) {
      String[] f = line.split(" ");
      if (f[0].equals("dog")) {
        int octave = Integer.parseInt(f[1]);
        int row = Integer.parseInt(f[2]);
        int w = detector.octaveWidth[octave];
        assertEquals(w, f.length - 3, "dog row width");
        for (int x = 0; x < w; x++) {
          assertEquals(
              Double.parseDouble(f[3 + x]),
              detector.dog[octave][row * w + x],
              tolerance,
              "dog octave " + octave + " row " + row + " x " + x);
        }
        continue;
      }
      int slot = Integer.parseInt(f[0]);
      expectedSlot[slot] = true;
      String where = "pruned slot " + slot;
      assertEquals(Double.parseDouble(f[1]), detector.prunedScore[slot], tolerance, where);
      assertEquals(Integer.parseInt(f[2]), detector.prunedOctave[slot], where);
      assertEquals(Integer.parseInt(f[3]), detector.prunedY[slot], where);
      assertEquals(Integer.parseInt(f[4]), detector.prunedX[slot], where);
      assertEquals(Double.parseDouble(f[5]), detector.localY[slot], tolerance, where);
      assertEquals(Double.parseDouble(f[6]), detector.localX[slot], tolerance, where);
      assertEquals(Double.parseDouble(f[7]), detector.angles[slot], tolerance, where);
    }
    for (int slot = 0; slot < Detector.MAX_FEATURES; slot++) {
      if (!expectedSlot[slot]) {
        assertEquals(0, detector.prunedScore[slot], "empty slot " + slot);
      }
    }
  }

  @Test
  void reproducesMindArPointsOnAnImageResizedByMindArResize() throws IOException {
    GreyImage image = fixtureImage();
    GreyImage resized = ImageList.resize(image.data(), image.width(), image.height(), 0.7);
    assertEquals(84, resized.width());
    assertEquals(70, resized.height());
    assertSamePoints("small120-scale0.7-points.txt", new Detector(84, 70).detect(resized.data()));
  }

  @Test
  void setsTheMostSignificantBitOfTheFirstWordForTheFirstComparison() {
    float[] values = new float[FreakPattern.POINT_COUNT];
    for (int k = 0; k < values.length; k++) {
      values[k] = 100 - k; // strictly decreasing: no comparison v[i] < v[j] + 0.01 holds
    }
    assertTrue(
        Arrays.stream(Detector.freakDescriptor(values, new double[FreakPattern.POINT_COUNT]))
            .allMatch(w -> w == 0));

    values[0] = 98.5f; // now only point 0 < point 1 (comparison 0)
    int[] words = Detector.freakDescriptor(values, new double[FreakPattern.POINT_COUNT]);
    assertEquals(0x80000000, words[0]);
    assertTrue(Arrays.stream(words, 1, words.length).allMatch(w -> w == 0));
  }

  @Test
  void putsTheLastComparisonInBit30OfTheLastWord() {
    float[] values = new float[FreakPattern.POINT_COUNT];
    for (int k = 0; k < values.length; k++) {
      values[k] = 100 - k;
    }
    values[36] = values[35] + 0.5f; // only comparison 665 = (35, 36) holds
    int[] words = Detector.freakDescriptor(values, new double[FreakPattern.POINT_COUNT]);
    assertEquals(21, words.length);
    assertEquals(0x40, words[20]); // byte 83, bit 6 (comparison 665 = 83 * 8 + 1)
    assertTrue(Arrays.stream(words, 0, 20).allMatch(w -> w == 0));
  }

  @Test
  void comparesWithMindArsToleranceOfOneHundredth() {
    float[] values = new float[FreakPattern.POINT_COUNT];
    for (int k = 0; k < values.length; k++) {
      values[k] = 100 - k;
    }
    values[0] = 99.005f; // not below 99, but below 99 + 0.01
    assertEquals(
        0x80000000, Detector.freakDescriptor(values, new double[FreakPattern.POINT_COUNT])[0]);
  }

  private static byte[] blob(
      int w, int h, double cx, double cy, double sigma, int background, int peak) {
    byte[] grey = new byte[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double g = Math.exp(-((x - cx) * (x - cx) + (y - cy) * (y - cy)) / (2 * sigma * sigma));
        grey[y * w + x] = (byte) Math.round(background + (peak - background) * g);
      }
    }
    return grey;
  }

  private static FeaturePoint nearest(List<FeaturePoint> points, double x, double y) {
    FeaturePoint best = null;
    for (FeaturePoint p : points) {
      if (best == null
          || Math.hypot(p.x() - x, p.y() - y) < Math.hypot(best.x() - x, best.y() - y)) {
        best = p;
      }
    }
    return best;
  }

  static GreyImage fixtureImage() throws IOException {
    try (InputStream in = DetectorTest.class.getResourceAsStream("/detect/small120.png")) {
      BufferedImage img = ImageIO.read(in);
      int w = img.getWidth();
      int h = img.getHeight();
      return new GreyImage(ImageList.greyFromArgb(img.getRGB(0, 0, w, h, null, 0, w)), w, h);
    }
  }

  private static void assertSamePoints(String resource, List<FeaturePoint> actual)
      throws IOException {
    List<String> expected = new ArrayList<>();
    for (String line : resourceLines(resource)) {
      expected.add(normalise(line));
    }
    assertEquals(expected, render(actual));
  }

  /** The resource's lines without {@code #} comments. */
  private static List<String> resourceLines(String resource) throws IOException {
    List<String> lines = new ArrayList<>();
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(
                DetectorTest.class.getResourceAsStream("/detect/" + resource),
                StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (!line.startsWith("#")) {
          lines.add(line);
        }
      }
    }
    return lines;
  }

  /**
   * One point per line in the fixture's format, numbers parsed and re-printed so spelling does not
   * matter.
   */
  private static String normalise(String line) {
    String[] f = line.trim().split(" ");
    StringBuilder sb = new StringBuilder(f[0]);
    for (int i = 1; i < 5; i++) {
      sb.append(' ').append(Double.parseDouble(f[i]));
    }
    for (int i = 5; i < f.length; i++) {
      sb.append(' ').append(Long.parseLong(f[i]));
    }
    return sb.toString();
  }

  private static List<String> render(List<FeaturePoint> points) {
    List<String> lines = new ArrayList<>();
    for (FeaturePoint p : points) {
      StringBuilder sb = new StringBuilder(p.maxima() ? "1" : "0");
      sb.append(' ')
          .append(p.x())
          .append(' ')
          .append(p.y())
          .append(' ')
          .append(p.scale())
          .append(' ')
          .append(p.angle());
      for (int word : p.descriptors()) {
        sb.append(' ').append(Integer.toUnsignedLong(word));
      }
      lines.add(sb.toString());
    }
    return lines;
  }
}
