package com.arservice.mind.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class KernelsTest {

  private static final int[][] SIZES = {{37, 29}, {64, 48}, {5, 5}, {4, 7}, {7, 3}, {8, 1}, {9, 2}};

  private static float[] randomImage(Random random, int n) {
    float[] img = new float[n];
    for (int i = 0; i < n; i++) {
      // mixed magnitudes so float rounding of the sums matters
      img[i] = (float) (random.nextDouble() * (random.nextBoolean() ? 255 : 0.01));
    }
    return img;
  }

  @Test
  void fastBinomialFilterMatchesTheReferenceBitForBit() {
    Random random = new Random(1);
    for (int[] size : SIZES) {
      int w = size[0];
      int h = size[1];
      float[] img = randomImage(random, w * h);
      float[] fast = new float[w * h];
      Detector.binomialFilter(img, fast, new double[w], new double[w * h], w, h);
      assertArrayEquals(ReferenceKernels.binomialFilter(img, w, h), fast, 0f, w + "x" + h);
    }
  }

  @Test
  void integerFirstOctaveGivesTheSameFloatsAsTheFloatFilters() {
    Random random = new Random(2);
    for (int[] size : new int[][] {{53, 41}, {32, 32}, {200, 33}}) {
      int w = size[0];
      int h = size[1];
      byte[] grey = new byte[w * h];
      random.nextBytes(grey);
      grey[0] = (byte) 255; // extremes included
      grey[1] = 0;
      float[] input = new float[w * h];
      for (int i = 0; i < grey.length; i++) {
        input[i] = grey[i] & 0xff;
      }
      Detector detector = new Detector(w, h);
      detector.detect(grey);
      float[] g1 = ReferenceKernels.binomialFilter(input, w, h);
      float[] g2 = ReferenceKernels.binomialFilter(g1, w, h);
      assertArrayEquals(g1, detector.gaussian1[0], 0f);
      assertArrayEquals(g2, detector.gaussian2[0], 0f);
    }
  }

  @Test
  void pyramidOctavesFollowTheReferenceDownsampleAndFilter() {
    Random random = new Random(3);
    int w = 90;
    int h = 70;
    byte[] grey = new byte[w * h];
    random.nextBytes(grey);
    Detector detector = new Detector(w, h);
    detector.detect(grey);
    for (int o = 1; o < detector.numOctaves(); o++) {
      float[] expected1 =
          ReferenceKernels.downsample(
              detector.gaussian2[o - 1], detector.octaveWidth[o - 1], detector.octaveHeight[o - 1]);
      assertArrayEquals(expected1, detector.gaussian1[o], 0f);
      float[] expected2 =
          ReferenceKernels.binomialFilter(
              expected1, detector.octaveWidth[o], detector.octaveHeight[o]);
      assertArrayEquals(expected2, detector.gaussian2[o], 0f);
    }
  }

  @Test
  void onDemandDownsampleAndUpsampleMatchTheReferenceImages() {
    Random random = new Random(4);
    for (int[] size : SIZES) {
      int w = size[0];
      int h = size[1];
      float[] img = randomImage(random, w * h);
      float[] down = new float[(w / 2) * (h / 2)];
      Detector.downsample(img, w, down, w / 2, h / 2);
      assertArrayEquals(ReferenceKernels.downsample(img, w, h), down, 0f);
      for (int tw : new int[] {2 * w, 2 * w + 1}) {
        for (int th : new int[] {2 * h, 2 * h + 1}) {
          float[] up = ReferenceKernels.upsample(img, w, h, tw, th);
          double[] wide = new double[img.length];
          for (int i = 0; i < img.length; i++) {
            wide[i] = img[i];
          }
          for (int y = 0; y < th; y++) {
            for (int x = 0; x < tw; x++) {
              assertEquals(up[y * tw + x], Detector.upsampledAt(wide, w, h, y, x), 0f);
            }
          }
        }
      }
    }
  }
}
