package com.arservice.mind;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Test oracle: the straightforward transcription of MindAR's matching/hierarchical-clustering.js
 * that {@link HierarchicalClustering} replaced with faster loops; both must build the same trees.
 */
final class ReferenceHierarchicalClustering {

  private static final int MIN_FEATURE_PER_NODE = 16;
  private static final int NUM_ASSIGNMENT_HYPOTHESES = 128;
  private static final int NUM_CENTERS = 8;
  private static final long SEED = 1234;

  private ReferenceHierarchicalClustering() {}

  /** Builds the tree over descriptors given as 32-bit words per point. */
  static ClusterNode build(int[][] descriptors) {
    int[] all = new int[descriptors.length];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    return node(descriptors, all, -1, new long[] {SEED});
  }

  private static ClusterNode node(int[][] desc, int[] pointIndexes, int center, long[] seed) {
    if (pointIndexes.length > NUM_CENTERS && pointIndexes.length > MIN_FEATURE_PER_NODE) {
      int[] assignment = kMedoids(desc, pointIndexes, seed);
      // medoid point index -> member point indexes, iterated in ascending key order like
      // Object.keys
      TreeMap<Integer, List<Integer>> clusters = new TreeMap<>();
      for (int i = 0; i < assignment.length; i++) {
        clusters
            .computeIfAbsent(pointIndexes[assignment[i]], k -> new ArrayList<>())
            .add(pointIndexes[i]);
      }
      if (clusters.size() > 1) {
        List<ClusterNode> children = new ArrayList<>(clusters.size());
        for (Map.Entry<Integer, List<Integer>> e : clusters.entrySet()) {
          int[] members = e.getValue().stream().mapToInt(Integer::intValue).toArray();
          children.add(node(desc, members, e.getKey(), seed));
        }
        return new ClusterNode(center, false, new int[0], List.copyOf(children));
      }
    }
    return new ClusterNode(center, true, pointIndexes.clone(), List.of());
  }

  /**
   * For each point (position in pointIndexes), the position of its medoid in the best hypothesis.
   */
  private static int[] kMedoids(int[][] desc, int[] pointIndexes, long[] seed) {
    int n = pointIndexes.length;
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    long bestSum = Long.MAX_VALUE;
    int[] best = null;
    int[] assignment = new int[n];
    for (int h = 0; h < NUM_ASSIGNMENT_HYPOTHESES; h++) {
      HierarchicalClustering.shuffle(order, NUM_CENTERS, seed);
      long sum = 0;
      for (int j = 0; j < n; j++) {
        int[] dj = desc[pointIndexes[j]];
        int bestD = Integer.MAX_VALUE;
        for (int k = 0; k < NUM_CENTERS; k++) {
          int d = HierarchicalClustering.hamming(dj, desc[pointIndexes[order[k]]]);
          if (d < bestD) {
            assignment[j] = order[k];
            bestD = d;
          }
        }
        sum += bestD;
      }
      if (sum < bestSum) {
        bestSum = sum;
        best = assignment.clone();
      }
    }
    return best;
  }
}
