package com.arservice.mind;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.arservice.mind.detect.Detector;
import com.arservice.mind.detect.FeaturePoint;
import com.arservice.mind.detect.GreyImage;
import com.arservice.mind.detect.ImageList;
import com.arservice.mind.io.ImageLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HierarchicalClusteringTest {

  /** clustering.json: descriptor sets and the trees MindAR 1.2.5's build() made of them. */
  @Test
  void buildsTheSameTreesAsMindAr() throws Exception {
    Map<?, ?> fixture = (Map<?, ?>) TestJson.resource("/mind/clustering.json");
    for (Object o : (List<?>) fixture.get("cases")) {
      Map<?, ?> c = (Map<?, ?>) o;
      List<?> raw = (List<?>) c.get("descriptors");
      int[][] desc = new int[raw.size()][];
      for (int i = 0; i < desc.length; i++) {
        List<?> words = (List<?>) raw.get(i);
        desc[i] = new int[words.size()];
        for (int w = 0; w < desc[i].length; w++) {
          desc[i][w] = (int) (long) (double) (Double) words.get(w);
        }
      }
      Map<?, ?> expectedRoot = (Map<?, ?>) ((Map<?, ?>) c.get("tree")).get("rootNode");
      assertNull(expectedRoot.get("centerPointIndex"));
      assertSameNode(expectedRoot, HierarchicalClustering.build(desc), "root");
    }
  }

  @Test
  void buildsIdenticalTreesOnRepeatedCalls() {
    int[][] desc = new int[200][21];
    long s = 99;
    for (int[] d : desc) {
      for (int w = 0; w < 21; w++) {
        s = s * 6364136223846793005L + 1442695040888963407L;
        d[w] = (int) (s >>> 32);
      }
    }
    assertSameTree(HierarchicalClustering.build(desc), HierarchicalClustering.build(desc));
  }

  /** The fast loops must build exactly what the plain transcription of MindAR builds. */
  @Test
  void buildsTheSameTreesAsTheReferenceTranscription() throws Exception {
    List<int[][]> sets = new ArrayList<>();
    GreyImage photo = new ImageLoader().load(TestJson.bytes("/mind/med.png"));
    for (double scale : new double[] {1.0, 0.6, 0.3}) {
      GreyImage img = ImageList.resize(photo.data(), photo.width(), photo.height(), scale);
      List<FeaturePoint> points = new Detector(img.width(), img.height()).detect(img.data());
      for (boolean maxima : new boolean[] {true, false}) {
        sets.add(
            points.stream()
                .filter(p -> p.maxima() == maxima)
                .map(FeaturePoint::descriptors)
                .toArray(int[][]::new));
      }
    }
    Random random = new Random(3);
    for (int n : new int[] {0, 1, 9, 17, 40, 300, 1500, 4100}) {
      sets.add(randomDescriptors(random, n, 0));
      // near-duplicates around a few prototypes: many equal distances and ties
      sets.add(randomDescriptors(random, n, 5));
    }
    for (int[][] desc : sets) {
      assertSameTree(
          ReferenceHierarchicalClustering.build(desc), HierarchicalClustering.build(desc));
    }
  }

  /** n 21-word descriptors: uniform if prototypes is 0, else prototypes with a few flipped bits. */
  private static int[][] randomDescriptors(Random random, int n, int prototypes) {
    int[][] protos = new int[Math.max(prototypes, 1)][21];
    for (int[] p : protos) {
      for (int w = 0; w < 21; w++) {
        p[w] = random.nextInt();
      }
    }
    int[][] desc = new int[n][21];
    for (int[] d : desc) {
      if (prototypes == 0) {
        for (int w = 0; w < 21; w++) {
          d[w] = random.nextInt();
        }
      } else {
        System.arraycopy(protos[random.nextInt(prototypes)], 0, d, 0, 21);
        for (int f = random.nextInt(4); f > 0; f--) {
          d[random.nextInt(21)] ^= 1 << random.nextInt(32);
        }
      }
    }
    return desc;
  }

  @Test
  void drawsMindArsLinearCongruentialSequence() {
    // first draws of MindAR's randomizer (seed 1234): (seed >> 16) & 0x7fff of each new seed
    long[] seed = {1234};
    int[] arr = new int[1 << 15];
    for (int i = 0; i < arr.length; i++) {
      arr[i] = i;
    }
    HierarchicalClustering.shuffle(arr, 3, seed);
    long s = 1234;
    int[] expected = new int[3];
    for (int i = 0; i < 3; i++) {
      s = (214013L * s + 2531011L) % 2147483648L;
      expected[i] = (int) (s >> 16) & 0x7fff;
    }
    assertEquals(4068, expected[0]);
    assertEquals(expected[0], arr[0]);
  }

  @Test
  void countsDifferingBits() {
    assertEquals(0, HierarchicalClustering.hamming(new int[] {5, -1}, new int[] {5, -1}));
    assertEquals(33, HierarchicalClustering.hamming(new int[] {0, -1}, new int[] {1, 0}));
  }

  private static void assertSameTree(ClusterNode a, ClusterNode b) {
    assertEquals(a.centerPointIndex(), b.centerPointIndex());
    assertEquals(a.leaf(), b.leaf());
    assertArrayEquals(a.pointIndexes(), b.pointIndexes());
    assertEquals(a.children().size(), b.children().size());
    for (int i = 0; i < a.children().size(); i++) {
      assertSameTree(a.children().get(i), b.children().get(i));
    }
  }

  private static void assertSameNode(Map<?, ?> expected, ClusterNode actual, String path) {
    Object center = expected.get("centerPointIndex");
    assertEquals(
        center == null ? -1 : Integer.parseInt((String) center), actual.centerPointIndex(), path);
    assertEquals(expected.get("leaf"), actual.leaf(), path);
    if (actual.leaf()) {
      List<?> idx = (List<?>) expected.get("pointIndexes");
      int[] exp = idx.stream().mapToInt(v -> (int) (double) (Double) v).toArray();
      assertArrayEquals(exp, actual.pointIndexes(), path);
    } else {
      List<?> children = (List<?>) expected.get("children");
      assertEquals(children.size(), actual.children().size(), path);
      for (int i = 0; i < children.size(); i++) {
        assertSameNode((Map<?, ?>) children.get(i), actual.children().get(i), path + "/" + i);
      }
    }
  }
}
