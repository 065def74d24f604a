package com.arservice.mind.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.arservice.mind.ClusterNode;
import com.arservice.mind.detect.Detector;
import com.arservice.mind.detect.FeaturePoint;
import com.arservice.mind.detect.GreyImage;
import com.arservice.mind.io.ImageLoader;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RuntimeKernelsTest {

  @Test
  void theFloatDetectorFindsWhatTheByteDetectorFindsOnWholeIntensities() throws Exception {
    GreyImage photo;
    try (InputStream in = getClass().getResourceAsStream("/photos/landscape-800x640.jpg")) {
      photo = new ImageLoader().load(in.readAllBytes());
    }
    int w = 256;
    int h = 256;
    byte[] bytes = new byte[w * h];
    float[] floats = new float[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        bytes[y * w + x] = photo.data()[(y + 300) * photo.width() + x + 200];
        floats[y * w + x] = bytes[y * w + x] & 0xff;
      }
    }
    List<FeaturePoint> a = new Detector(w, h).detect(bytes);
    List<FeaturePoint> b = new Detector(w, h).detect(floats);
    assertTrue(a.size() > 10, "points: " + a.size());
    assertEquals(a.size(), b.size());
    for (int i = 0; i < a.size(); i++) {
      assertEquals(a.get(i).x(), b.get(i).x());
      assertEquals(a.get(i).y(), b.get(i).y());
      assertEquals(a.get(i).angle(), b.get(i).angle());
      assertArrayEquals(a.get(i).descriptors(), b.get(i).descriptors());
    }
  }

  @Test
  void houghKeepsTheMatchesTheReferenceVoteKeeps() {
    Random random = new Random(11);
    for (int round = 0; round < 200; round++) {
      Matches m = new Matches();
      int n = 3 + random.nextInt(58); // within the initial capacity of Matches
      double angle = random.nextDouble() * 2 * Math.PI - Math.PI;
      double scale = Math.pow(2, random.nextInt(4));
      for (int i = 0; i < n; i++) {
        boolean outlier = random.nextInt(3) == 0;
        double kx = random.nextDouble() * 300;
        double ky = random.nextDouble() * 200;
        double c = Math.cos(angle) / scale;
        double s = Math.sin(angle) / scale;
        double qx = outlier ? random.nextDouble() * 640 : 200 + c * kx - s * ky;
        double qy = outlier ? random.nextDouble() * 480 : 100 + s * kx + c * ky;
        int q = m.count++;
        m.queryX[q] = qx + random.nextGaussian();
        m.queryY[q] = qy + random.nextGaussian();
        m.queryScale[q] = outlier ? Math.pow(2, random.nextInt(4)) : 2;
        m.queryAngle[q] = outlier ? random.nextDouble() * 6 - 3 : 0.3 + angle;
        m.keyX[q] = kx;
        m.keyY[q] = ky;
        m.keyScale[q] = 2 * scale;
        m.keyAngle[q] = 0.3;
      }
      long[] votes = new long[16 * n];
      double[] bins = new double[4 * n];
      int[] keep = new int[n];
      int kept = Hough.select(m, 300, 200, 640, 480, votes, bins, keep);
      List<Integer> ours = new ArrayList<>();
      for (int i = 0; i < kept; i++) {
        ours.add(keep[i]);
      }
      assertEquals(ReferenceHough.select(m, 300, 200, 640, 480), ours, "round " + round);
    }
  }

  @Test
  void theQueuePopsNearestFirstAndKeepsTinyQueuesOrderAmongEqualDistances() {
    Random random = new Random(3);
    for (int round = 0; round < 100; round++) {
      Matcher.Queue queue = new Matcher.Queue();
      ReferenceTinyQueue reference = new ReferenceTinyQueue();
      PriorityQueue<Integer> sorted = new PriorityQueue<>();
      for (int op = 0; op < 60; op++) {
        if (random.nextInt(3) > 0 || queue.size == 0) {
          int d = random.nextInt(6);
          ClusterNode node = new ClusterNode(op, true, new int[0], List.of());
          queue.push(node, d);
          reference.push(node, d);
          sorted.add(d);
        } else {
          ClusterNode expected = reference.pop();
          ClusterNode actual = queue.pop();
          assertEquals(expected.centerPointIndex(), actual.centerPointIndex());
          sorted.poll();
        }
      }
      assertEquals(sorted.size(), queue.size);
    }
  }

  @Test
  void theRandomGeneratorDrawsTheRuntimesSequence() {
    // first draws and a shuffle of MindAR's randomizer.js, computed under Node
    Ransac.Lcg lcg = new Ransac.Lcg();
    int[] draws = new int[5];
    for (int i = 0; i < 5; i++) {
      draws[i] = lcg.next();
    }
    assertArrayEquals(new int[] {4068, 213, 12761, 8758, 23056}, draws);
    Ransac.Lcg shuffler = new Ransac.Lcg();
    int[] perm = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    shuffler.shuffle(perm, 10);
    shuffler.shuffle(perm, 4);
    assertArrayEquals(new int[] {7, 3, 6, 0, 9, 8, 5, 1, 2, 4}, perm);
  }

  @Test
  void aLeastSquaresFitRecoversAnExactHomography() {
    double[] h = {1.2, 0.1, 30, -0.05, 0.9, 12, 0.0004, -0.0002, 1};
    Random random = new Random(5);
    int n = 12;
    double[] src = new double[2 * n];
    double[] dst = new double[2 * n];
    for (int i = 0; i < n; i++) {
      src[2 * i] = random.nextDouble() * 400;
      src[2 * i + 1] = random.nextDouble() * 300;
      dst[2 * i] = Homography.mapX(h, src[2 * i], src[2 * i + 1]);
      dst[2 * i + 1] = Homography.mapY(h, src[2 * i], src[2 * i + 1]);
    }
    double[] fit = Homography.solve(src, dst, n);
    assertNotNull(fit);
    for (int i = 0; i < 9; i++) {
      assertEquals(h[i], fit[i], 1e-9 * Math.max(1, Math.abs(h[i])));
    }
    double[] inverse = Homography.inverse(fit, 1e-5);
    assertEquals(src[0], Homography.mapX(inverse, dst[0], dst[1]), 1e-6);
  }

  @Test
  void theCropIsThePowerOfTwoNearestHalfTheShorterSideAndItsPositionsStayInTheFrame() {
    CropDetector crops = new CropDetector(640, 480);
    assertEquals(256, crops.cropSize());
    assertArrayEquals(new int[] {192, 112}, crops.origin(4));
    assertArrayEquals(new int[] {64, 0}, crops.origin(0));
    assertArrayEquals(new int[] {320, 223}, crops.origin(8));
    assertEquals(256, CropDetector.cropSize(1280, 720));
    assertEquals(512, CropDetector.cropSize(1920, 1080));
  }
}
