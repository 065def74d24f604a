package com.arservice.mind.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * Expected values were printed by MindAR 1.2.5's own image-list.js / utils/images.js code under
 * Node.
 */
class ImageListTest {

  @Test
  void matchingScalesAreMindArsForLandscapeImages() {
    assertArrayEquals(
        new double[] {
          1,
          0.7874506561842958,
          0.625,
          0.49606282874006236,
          0.3937253280921479,
          0.3125,
          0.24803141437003118,
          0.19686266404607394,
          0.15625
        },
        ImageList.matchingScales(800, 640),
        0);
    assertArrayEquals(
        new double[] {
          1,
          0.8267713812334373,
          0.6562088801535798,
          0.5208333333333334,
          0.41338569061671865,
          0.3281044400767899,
          0.2604166666666667,
          0.20669284530835932,
          0.16405222003839495,
          0.13020833333333334
        },
        ImageList.matchingScales(1024, 768),
        0);
    assertArrayEquals(
        new double[] {
          1,
          0.8333333333333336,
          0.66141710498675,
          0.524967104122864,
          0.41666666666666674,
          0.33070855249337494,
          0.2624835520614319,
          0.20833333333333334
        },
        ImageList.matchingScales(640, 480),
        0);
  }

  @Test
  void matchingScalesAreMindArsForPortraitImages() {
    assertArrayEquals(
        new double[] {
          1,
          0.8399473665965822,
          0.6666666666666667,
          0.5291336839893999,
          0.4199736832982911,
          0.33333333333333337,
          0.26456684199469993,
          0.20998684164914552,
          0.16666666666666666
        },
        ImageList.matchingScales(600, 800),
        0);
  }

  @Test
  void smallImagesGetTheFullScaleTwiceOrAnEnlargement() {
    assertArrayEquals(new double[] {1, 1}, ImageList.matchingScales(1000, 100), 0);
    assertArrayEquals(new double[] {1, 2}, ImageList.matchingScales(50, 80), 0);
  }

  @Test
  void trackingScalesBringTheShorterSideTo256And128() {
    assertArrayEquals(new double[] {0.4, 0.2}, ImageList.trackingScales(800, 640), 0);
    assertArrayEquals(
        new double[] {256.0 / 600, 128.0 / 600}, ImageList.trackingScales(600, 800), 0);
  }

  @Test
  void roundsScaledSizesHalfUp() {
    assertEquals(397, ImageList.scaledSize(800, 0.49606282874006236));
    assertEquals(4, ImageList.scaledSize(7, 0.5)); // 3.5 rounds up
    assertEquals(3, ImageList.scaledSize(5, 0.5)); // 2.5 rounds up
  }

  @Test
  void resizeAveragesBoxesAndFloorsLikeMindAr() {
    byte[] grey = ramp();
    check(
        ImageList.resize(grey, 7, 5, 0.5),
        4,
        3,
        31,
        105,
        179,
        234,
        37,
        111,
        185,
        240,
        41,
        115,
        189,
        245);
    check(
        ImageList.resize(grey, 7, 5, 0.7),
        5,
        4,
        11,
        66,
        122,
        177,
        233,
        15,
        71,
        126,
        182,
        237,
        20,
        75,
        131,
        186,
        242,
        23,
        78,
        134,
        189,
        245);
    check(ImageList.resize(grey, 7, 5, 0.3), 2, 2, 51, 180, 58, 188);
  }

  @Test
  void resizeLeavesEmptyBoxesBlackWhenEnlarging() {
    check(
        ImageList.resize(ramp(), 7, 5, 1.3),
        9,
        7,
        11,
        48,
        0,
        85,
        122,
        159,
        0,
        196,
        233,
        14,
        51,
        0,
        88,
        125,
        162,
        0,
        199,
        236,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        17,
        54,
        0,
        91,
        128,
        165,
        0,
        202,
        239,
        20,
        57,
        0,
        94,
        131,
        168,
        0,
        205,
        242,
        23,
        60,
        0,
        97,
        134,
        171,
        0,
        208,
        245,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0);
  }

  @Test
  void resizeByOneCopiesTheImage() {
    byte[] grey = ramp();
    assertArrayEquals(grey, ImageList.resize(grey, 7, 5, 1.0).data());
  }

  @Test
  void resizeRejectsAMismatchedPixelCount() {
    assertThrows(IllegalArgumentException.class, () -> ImageList.resize(new byte[10], 7, 5, 0.5));
  }

  @Test
  void greyIsTheFlooredMeanOfRedGreenAndBlue() {
    assertArrayEquals(
        new byte[] {(byte) 255, 0, 2, 85},
        ImageList.greyFromArgb(new int[] {0xffffffff, 0xff000000, 0x00020203, 0xffff0000}));
  }

  /** A 7x5 image with pixel i = (37 i + 11) mod 256. */
  private static byte[] ramp() {
    byte[] grey = new byte[35];
    for (int i = 0; i < grey.length; i++) {
      grey[i] = (byte) ((i * 37 + 11) % 256);
    }
    return grey;
  }

  private static void check(GreyImage image, int width, int height, int... pixels) {
    assertEquals(width, image.width());
    assertEquals(height, image.height());
    byte[] expected = new byte[pixels.length];
    for (int i = 0; i < pixels.length; i++) {
      expected[i] = (byte) pixels[i];
    }
    assertArrayEquals(expected, image.data());
  }
}
