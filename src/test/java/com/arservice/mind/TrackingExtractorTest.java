package com.arservice.mind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.arservice.mind.detect.GreyImage;
import com.arservice.mind.detect.ImageList;
import com.arservice.mind.io.ImageLoader;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TrackingExtractorTest {

  /**
   * tracking.json: synthetic textured images and the points MindAR 1.2.5's extract() chose on them.
   */
  @Test
  void choosesTheSamePointsAsMindArOnSyntheticImages() throws Exception {
    Map<?, ?> fixture = (Map<?, ?>) TestJson.resource("/mind/tracking.json");
    for (Object o : (List<?>) fixture.get("cases")) {
      Map<?, ?> c = (Map<?, ?>) o;
      int w = (int) (double) (Double) c.get("width");
      int h = (int) (double) (Double) c.get("height");
      GreyImage img = new GreyImage(Base64.getDecoder().decode((String) c.get("data")), w, h);
      List<TrackingImage.Point> expected = new ArrayList<>();
      for (Object p : (List<?>) c.get("points")) {
        List<?> xy = (List<?>) p;
        expected.add(
            new TrackingImage.Point(
                (int) (double) (Double) xy.get(0), (int) (double) (Double) xy.get(1)));
      }
      assertFalse(expected.isEmpty());
      assertEquals(expected, TrackingExtractor.extractPoints(img), w + "x" + h);
    }
  }

  /**
   * med.mind was compiled by MindAR from med.png; its first tracking image is the photo at scale 1.
   */
  @Test
  void choosesTheSamePointsAsMindArsCompilerOnAPhoto() throws Exception {
    TrackingImage ref =
        MindFile.read(TestJson.bytes("/mind/med.mind")).get(0).trackingData().get(0);
    assertEquals(1.0, ref.scale());
    GreyImage img = new GreyImage(ref.data(), ref.width(), ref.height());
    assertEquals(ref.points(), TrackingExtractor.extractPoints(img));
  }

  /** The fast kernels must pick exactly what the plain transcription of MindAR picks. */
  @Test
  void choosesTheSamePointsAsTheReferenceTranscription() throws Exception {
    List<GreyImage> images = new ArrayList<>();
    GreyImage photo = new ImageLoader().load(TestJson.bytes("/mind/med.png"));
    for (double scale : new double[] {1.0, 0.9, 0.75, 0.5, 0.3, 0.2, 0.1}) {
      images.add(ImageList.resize(photo.data(), photo.width(), photo.height(), scale));
    }
    Random random = new Random(7);
    for (int[] size : new int[][] {{320, 256}, {160, 128}, {97, 203}, {25, 14}}) {
      images.add(blurredNoise(random, size[0], size[1], 1));
      images.add(blurredNoise(random, size[0], size[1], 3));
    }
    for (GreyImage img : images) {
      List<TrackingImage.Point> expected = ReferenceTrackingExtractor.extractPoints(img);
      assertEquals(
          expected, TrackingExtractor.extractPoints(img), img.width() + "x" + img.height());
    }
  }

  /** Random pixels averaged over a (2r+1)^2 box, so neighbouring patches correlate. */
  private static GreyImage blurredNoise(Random random, int w, int h, int r) {
    byte[] noise = new byte[w * h];
    random.nextBytes(noise);
    byte[] out = new byte[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int sum = 0;
        int n = 0;
        for (int dy = -r; dy <= r; dy++) {
          for (int dx = -r; dx <= r; dx++) {
            int xx = x + dx;
            int yy = y + dy;
            if (xx >= 0 && xx < w && yy >= 0 && yy < h) {
              sum += noise[yy * w + xx] & 0xff;
              n++;
            }
          }
        }
        out[y * w + x] = (byte) (sum / n);
      }
    }
    return new GreyImage(out, w, h);
  }

  @Test
  void findsNoPointsOnAFlatImage() {
    assertEquals(
        List.of(), TrackingExtractor.extractPoints(new GreyImage(new byte[200 * 150], 200, 150)));
  }

  @Test
  void findsNoPointsOnImagesSmallerThanATemplate() {
    byte[] noise = new byte[30 * 9];
    new java.util.Random(1).nextBytes(noise);
    assertEquals(List.of(), TrackingExtractor.extractPoints(new GreyImage(noise, 30, 9)));
  }
}
