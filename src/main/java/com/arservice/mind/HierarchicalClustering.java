package com.arservice.mind;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * MindAR 1.2.5's tree of k-medoids clusters over FREAK descriptors (Hamming distance), built exactly as
 * its compiler builds it so that the runtime's search visits the same nodes.
 *
 * <p>Each inner node tries 128 random choices of 8 medoids from a seeded linear congruential generator
 * (seed 1234, one generator per tree, consumed depth first) and keeps the first choice with the least
 * total distance; nodes of at most 16 points, or whose points all fall to one medoid, are leaves.
 * Children are ordered by ascending medoid index, the order JavaScript's {@code Object.keys} gives.
 * Stateless and thread-safe.
 */
public final class HierarchicalClustering {

    private static final int MIN_FEATURE_PER_NODE = 16;
    private static final int NUM_ASSIGNMENT_HYPOTHESES = 128;
    private static final int NUM_CENTERS = 8;
    private static final long SEED = 1234;

    private HierarchicalClustering() {
    }

    /** Builds the tree over the descriptors of {@code points}; leaves refer to indexes in that list. */
    public static ClusterNode build(List<FeaturePoint> points) {
        int[][] descriptors = new int[points.size()][];
        for (int i = 0; i < descriptors.length; i++) {
            descriptors[i] = points.get(i).descriptors();
        }
        return build(descriptors);
    }

    /** Builds the tree over descriptors given as 32-bit words per point. */
    public static ClusterNode build(int[][] descriptors) {
        int[] all = new int[descriptors.length];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        return node(descriptors, all, -1, new long[] {SEED});
    }

    /** Number of differing bits between two descriptors. */
    public static int hamming(int[] a, int[] b) {
        int d = 0;
        for (int i = 0; i < a.length; i++) {
            d += Integer.bitCount(a[i] ^ b[i]);
        }
        return d;
    }

    private static ClusterNode node(int[][] desc, int[] pointIndexes, int center, long[] seed) {
        if (pointIndexes.length > NUM_CENTERS && pointIndexes.length > MIN_FEATURE_PER_NODE) {
            int[] assignment = kMedoids(desc, pointIndexes, seed);
            // medoid point index -> member point indexes, iterated in ascending key order like Object.keys
            TreeMap<Integer, List<Integer>> clusters = new TreeMap<>();
            for (int i = 0; i < assignment.length; i++) {
                clusters.computeIfAbsent(pointIndexes[assignment[i]], k -> new ArrayList<>()).add(pointIndexes[i]);
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

    /** For each point (position in pointIndexes), the position of its medoid in the best hypothesis. */
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
            shuffle(order, NUM_CENTERS, seed);
            long sum = 0;
            for (int j = 0; j < n; j++) {
                int[] dj = desc[pointIndexes[j]];
                int bestD = Integer.MAX_VALUE;
                for (int k = 0; k < NUM_CENTERS; k++) {
                    int d = hamming(dj, desc[pointIndexes[order[k]]]);
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

    /**
     * MindAR's partial shuffle: the first {@code sampleSize} slots swapped with LCG-drawn slots. The LCG
     * is {@code seed = (214013 * seed + 2531011) % 2^31} in doubles; the seed stays non-negative and the
     * product below 2^49, so long arithmetic gives the same values.
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
