package com.arservice.mind;

import com.arservice.mind.detect.FeaturePoint;
import java.util.Arrays;
import java.util.List;

/**
 * MindAR 1.2.5's tree of k-medoids clusters over FREAK descriptors (Hamming distance), built
 * exactly as its compiler builds it so that the runtime's search visits the same nodes.
 *
 * <p>Each inner node tries 128 random choices of 8 medoids from a seeded linear congruential
 * generator (seed 1234, one generator per tree, consumed depth first) and keeps the first choice
 * with the least total distance; nodes of at most 16 points, or whose points all fall to one
 * medoid, are leaves. Children are ordered by ascending medoid index, the order JavaScript's {@code
 * Object.keys} gives. Stateless and thread-safe.
 */
public final class HierarchicalClustering {

  private static final int MIN_FEATURE_PER_NODE = 16;
  private static final int NUM_ASSIGNMENT_HYPOTHESES = 128;
  private static final int NUM_CENTERS = 8;
  private static final long SEED = 1234;

  private HierarchicalClustering() {}

  /**
   * Builds the tree over the descriptors of {@code points}; leaves refer to indexes in that list.
   */
  public static ClusterNode build(List<FeaturePoint> points) {
    int[][] descriptors = new int[points.size()][];
    for (int i = 0; i < descriptors.length; i++) {
      descriptors[i] = points.get(i).descriptors();
    }
    return build(descriptors);
  }

  /** Builds the tree over descriptors given as 32-bit words per point (all of the same length). */
  public static ClusterNode build(int[][] descriptors) {
    int n = descriptors.length;
    int words = n == 0 ? 0 : descriptors[0].length;
    int[] flat = new int[n * words];
    int[] all = new int[n];
    for (int i = 0; i < n; i++) {
      System.arraycopy(descriptors[i], 0, flat, i * words, words);
      all[i] = i;
    }
    return new Builder(flat, words).node(all, -1);
  }

  /** Number of differing bits between two descriptors. */
  public static int hamming(int[] a, int[] b) {
    int d = 0;
    for (int i = 0; i < a.length; i++) {
      d += Integer.bitCount(a[i] ^ b[i]);
    }
    return d;
  }

  /**
   * One tree build: the descriptors in one flat array and the generator state, consumed depth
   * first.
   */
  private static final class Builder {
    private final int[] desc;
    private final int words;
    private final long[] seed = {SEED};

    Builder(int[] desc, int words) {
      this.desc = desc;
      this.words = words;
    }

    ClusterNode node(int[] pointIndexes, int center) {
      int n = pointIndexes.length;
      if (n > NUM_CENTERS && n > MIN_FEATURE_PER_NODE) {
        int[] assignment = kMedoids(pointIndexes);
        // children keyed by medoid point index, in ascending order like Object.keys; members in
        // order
        int[] keys = new int[NUM_CENTERS];
        int[] sizes = new int[NUM_CENTERS];
        int clusters = 0;
        int[] slot = new int[n];
        for (int i = 0; i < n; i++) {
          int key = pointIndexes[assignment[i]];
          int c = 0;
          while (c < clusters && keys[c] != key) {
            c++;
          }
          if (c == clusters) {
            keys[clusters++] = key;
          }
          sizes[c]++;
          slot[i] = c;
        }
        if (clusters > 1) {
          int[][] members = new int[clusters][];
          for (int c = 0; c < clusters; c++) {
            members[c] = new int[sizes[c]];
            sizes[c] = 0;
          }
          for (int i = 0; i < n; i++) {
            int c = slot[i];
            members[c][sizes[c]++] = pointIndexes[i];
          }
          int[] sortedKeys = Arrays.copyOf(keys, clusters);
          Arrays.sort(sortedKeys);
          ClusterNode[] children = new ClusterNode[clusters];
          for (int k = 0; k < clusters; k++) {
            int c = 0;
            while (keys[c] != sortedKeys[k]) {
              c++;
            }
            children[k] = node(members[c], keys[c]);
          }
          return new ClusterNode(center, false, new int[0], List.of(children));
        }
      }
      return new ClusterNode(center, true, pointIndexes.clone(), List.of());
    }

    /**
     * For each point (position in pointIndexes), the position of its medoid in the best hypothesis.
     * Only the first hypothesis with the least total distance matters, so summing a hypothesis
     * stops once it reaches the best total so far: it could no longer be chosen.
     */
    private int[] kMedoids(int[] pointIndexes) {
      int n = pointIndexes.length;
      Distances dist = new Distances(desc, words, pointIndexes);
      int[] order = new int[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      int[] bestCenters = new int[NUM_CENTERS];
      long bestSum = Long.MAX_VALUE;
      for (int h = 0; h < NUM_ASSIGNMENT_HYPOTHESES; h++) {
        shuffle(order, NUM_CENTERS, seed);
        int[] c0 = dist.column(order[0], 0);
        int[] c1 = dist.column(order[1], 1);
        int[] c2 = dist.column(order[2], 2);
        int[] c3 = dist.column(order[3], 3);
        int[] c4 = dist.column(order[4], 4);
        int[] c5 = dist.column(order[5], 5);
        int[] c6 = dist.column(order[6], 6);
        int[] c7 = dist.column(order[7], 7);
        long sum = 0;
        int j = 0;
        for (; j < n && sum < bestSum; j++) {
          sum +=
              Math.min(
                  Math.min(Math.min(c0[j], c1[j]), Math.min(c2[j], c3[j])),
                  Math.min(Math.min(c4[j], c5[j]), Math.min(c6[j], c7[j])));
        }
        if (j == n && sum < bestSum) {
          bestSum = sum;
          System.arraycopy(order, 0, bestCenters, 0, NUM_CENTERS);
        }
      }
      int[][] columns = new int[NUM_CENTERS][];
      for (int k = 0; k < NUM_CENTERS; k++) {
        columns[k] = dist.column(bestCenters[k], k);
      }
      int[] assignment = new int[n];
      for (int j = 0; j < n; j++) {
        // first centre at the least distance, as MindAR's strict comparison keeps
        int bestD = Integer.MAX_VALUE;
        for (int k = 0; k < NUM_CENTERS; k++) {
          int d = columns[k][j];
          if (d < bestD) {
            bestD = d;
            assignment[j] = bestCenters[k];
          }
        }
      }
      return assignment;
    }
  }

  /**
   * Hamming distances from chosen points of one node to all its points ("columns"). Descriptors are
   * stored word-major so a column is a few loops over contiguous arrays, which HotSpot vectorises
   * (with a vector popcount where the CPU has one). Columns are kept for reuse by later hypotheses
   * unless the node is too large for an n-by-n cache.
   */
  private static final class Distances {
    private static final int CACHE_LIMIT = 4096;
    private final int n;
    private final int[][] byWord;
    private final int[][] cache;
    private final int[][] scratch;

    Distances(int[] desc, int words, int[] pointIndexes) {
      n = pointIndexes.length;
      byWord = new int[words][n];
      for (int j = 0; j < n; j++) {
        int base = pointIndexes[j] * words;
        for (int w = 0; w < words; w++) {
          byWord[w][j] = desc[base + w];
        }
      }
      cache = n <= CACHE_LIMIT ? new int[n][] : null;
      scratch = cache == null ? new int[NUM_CENTERS][n] : null;
    }

    /**
     * Distances from point p (position in the node) to every point; slot names a scratch column.
     */
    int[] column(int p, int slot) {
      if (cache == null) {
        fill(scratch[slot], p);
        return scratch[slot];
      }
      int[] c = cache[p];
      if (c == null) {
        c = new int[n];
        fill(c, p);
        cache[p] = c;
      }
      return c;
    }

    private void fill(int[] out, int p) {
      Arrays.fill(out, 0);
      int words = byWord.length;
      int w = 0;
      // three words per pass: fewer passes over out, still a shape HotSpot vectorises
      for (; w + 2 < words; w += 3) {
        int[] a0 = byWord[w];
        int[] a1 = byWord[w + 1];
        int[] a2 = byWord[w + 2];
        int v0 = a0[p];
        int v1 = a1[p];
        int v2 = a2[p];
        for (int j = 0; j < n; j++) {
          out[j] +=
              Integer.bitCount(a0[j] ^ v0)
                  + Integer.bitCount(a1[j] ^ v1)
                  + Integer.bitCount(a2[j] ^ v2);
        }
      }
      for (; w < words; w++) {
        int[] a = byWord[w];
        int v = a[p];
        for (int j = 0; j < n; j++) {
          out[j] += Integer.bitCount(a[j] ^ v);
        }
      }
    }
  }

  /**
   * MindAR's partial shuffle: the first {@code sampleSize} slots swapped with LCG-drawn slots. The
   * LCG is {@code seed = (214013 * seed + 2531011) % 2^31} in doubles; the seed stays non-negative
   * and the product below 2^49, so long arithmetic gives the same values.
   */
  static void shuffle(int[] arr, int sampleSize, long[] seed) {
    for (int i = 0; i < sampleSize; i++) {
      seed[0] = (214013L * seed[0] + 2531011L) % (1L << 31);
      int k = (int) ((seed[0] >> 16) & 0x7fff) % arr.length;
      int tmp = arr[i];
      arr[i] = arr[k];
      arr[k] = tmp;
    }
  }
}
