package com.arservice.mind.runtime;

import com.arservice.mind.ClusterNode;
import java.util.Arrays;

/**
 * MindAR 1.2.5's matcher ({@code matching/matcher.js}, {@code matching/matching.js}): for each
 * keyframe, every frame point looks up candidates in the keyframe's clustering tree of its extremum
 * kind (best-bin-first with at most 8 extra pops), keeps its nearest candidate when it passes the
 * 0.7 ratio test, the matches go through the Hough vote, RANSAC and a 3 px inlier filter; with 6 or
 * more inliers a second pass matches every frame point against the keyframe points within 10 px of
 * where H^-1 puts it, and Hough, RANSAC and the inlier filter run again. The keyframe with the most
 * final inliers wins (the first on ties).
 *
 * <p>Not thread-safe: it owns scratch buffers. One instance per thread and frame size.
 */
final class Matcher {

  private static final double INLIER_THRESHOLD = 3;
  private static final int MIN_INLIERS = 6;
  private static final int CLUSTER_MAX_POP = 8;
  private static final double RATIO = 0.7;
  private static final double SECOND_PASS_RADIUS2 = 10 * 10;
  private static final int NONE = Integer.MAX_VALUE;

  /** What the matcher found in one keyframe: the homography and its inlier matches. */
  record KeyframeMatch(int keyframe, double[] h, Matches inliers) {}

  private final int queryWidth;
  private final int queryHeight;
  private final Matches first = new Matches();
  private final Matches second = new Matches();
  private final Matches voted = new Matches();
  private int[] candidates = new int[256];
  private int candidateCount;
  private long[] votes = new long[0];
  private double[] bins = new double[0];
  private int[] keep = new int[0];
  private final Queue queue = new Queue();

  Matcher(int queryWidth, int queryHeight) {
    this.queryWidth = queryWidth;
    this.queryHeight = queryHeight;
  }

  /** The best keyframe's match of the frame's points, or null when no keyframe matches. */
  KeyframeMatch match(RuntimeTarget target, Points query) {
    KeyframeMatch best = null;
    for (int i = 0; i < target.keyframes().size(); i++) {
      KeyframeMatch m = matchKeyframe(i, target.keyframes().get(i), query);
      if (m != null && (best == null || best.inliers().count < m.inliers().count)) {
        best = m;
      }
    }
    return best;
  }

  private KeyframeMatch matchKeyframe(int index, RuntimeTarget.Keyframe kf, Points query) {
    first.clear();
    for (int j = 0; j < query.size; j++) {
      RuntimeTarget.Kind kind = query.maxima[j] ? kf.maxima() : kf.minima();
      if (kind.points().size == 0) {
        continue;
      }
      candidateCount = 0;
      queue.clear();
      query(kind.tree(), kind.points(), query, j, 0);
      int best = -1;
      int d1 = NONE;
      int d2 = NONE;
      for (int c = 0; c < candidateCount; c++) {
        int d = Points.hamming(kind.points(), candidates[c], query, j);
        if (d < d1) {
          d2 = d1;
          d1 = d;
          best = candidates[c];
        } else if (d < d2) {
          d2 = d;
        }
      }
      if (passes(best, d1, d2)) {
        first.add(query, j, kind.points(), best);
      }
    }
    if (first.count < MIN_INLIERS) {
      return null;
    }
    double[] h = houghRansac(first, kf);
    if (h == null) {
      return null;
    }
    if (countInliers(h, voted) < MIN_INLIERS) {
      return null;
    }
    double[] hInv = Homography.inverse(h, 0.00001);
    second.clear();
    for (int j = 0; j < query.size; j++) {
      double mx = Homography.mapX(hInv, query.x[j], query.y[j]);
      double my = Homography.mapY(hInv, query.x[j], query.y[j]);
      Points keys = (query.maxima[j] ? kf.maxima() : kf.minima()).points();
      int best = -1;
      int d1 = NONE;
      int d2 = NONE;
      for (int k = 0; k < keys.size; k++) {
        double dx = keys.x[k] - mx;
        double dy = keys.y[k] - my;
        if (dx * dx + dy * dy > SECOND_PASS_RADIUS2) {
          continue;
        }
        int d = Points.hamming(keys, k, query, j);
        if (d < d1) {
          d2 = d1;
          d1 = d;
          best = k;
        } else if (d < d2) {
          d2 = d;
        }
      }
      if (passes(best, d1, d2)) {
        second.add(query, j, keys, best);
      }
    }
    double[] h2 = houghRansac(second, kf);
    if (h2 == null) {
      return null;
    }
    Matches inliers = new Matches();
    double t2 = INLIER_THRESHOLD * INLIER_THRESHOLD;
    for (int i = 0; i < voted.count; i++) {
      if (inlier(h2, voted, i, t2)) {
        inliers.addFrom(voted, i);
      }
    }
    return new KeyframeMatch(index, h2, inliers);
  }

  private static boolean passes(int best, int d1, int d2) {
    return best != -1 && (d2 == NONE || (1.0 * d1 / d2) < RATIO);
  }

  /** Hough-filters {@code m} into {@link #voted}, then fits RANSAC on the survivors. */
  private double[] houghRansac(Matches m, RuntimeTarget.Keyframe kf) {
    if (votes.length < 16 * m.count) {
      votes = new long[16 * m.count];
      bins = new double[4 * m.count];
      keep = new int[m.count];
    }
    int kept = Hough.select(m, kf.width(), kf.height(), queryWidth, queryHeight, votes, bins, keep);
    voted.clear();
    for (int i = 0; i < kept; i++) {
      voted.addFrom(m, keep[i]);
    }
    double[] src = new double[2 * kept];
    double[] dst = new double[2 * kept];
    for (int i = 0; i < kept; i++) {
      src[2 * i] = voted.keyX[i];
      src[2 * i + 1] = voted.keyY[i];
      dst[2 * i] = voted.queryX[i];
      dst[2 * i + 1] = voted.queryY[i];
    }
    return Ransac.homography(src, dst, kept, kf.width(), kf.height());
  }

  private int countInliers(double[] h, Matches m) {
    double t2 = INLIER_THRESHOLD * INLIER_THRESHOLD;
    int n = 0;
    for (int i = 0; i < m.count; i++) {
      if (inlier(h, m, i, t2)) {
        n++;
      }
    }
    return n;
  }

  private static boolean inlier(double[] h, Matches m, int i, double t2) {
    double x = Homography.mapX(h, m.keyX[i], m.keyY[i]) - m.queryX[i];
    double y = Homography.mapY(h, m.keyX[i], m.keyY[i]) - m.queryY[i];
    return x * x + y * y <= t2;
  }

  /**
   * Best-bin-first descent: children at the minimum distance are searched at once, the others
   * queued; then, while fewer than 8 pops were made on this path, the nearest queued node is
   * searched. The pop count travels down the recursion by value, as in the runtime.
   */
  private void query(ClusterNode node, Points keys, Points query, int j, int pops) {
    if (node.leaf()) {
      for (int p : node.pointIndexes()) {
        if (candidateCount == candidates.length) {
          candidates = Arrays.copyOf(candidates, 2 * candidateCount);
        }
        candidates[candidateCount++] = p;
      }
      return;
    }
    int n = node.children().size();
    int[] d = new int[n];
    int min = NONE;
    for (int i = 0; i < n; i++) {
      d[i] = Points.hamming(keys, node.children().get(i).centerPointIndex(), query, j);
      min = Math.min(min, d[i]);
    }
    for (int i = 0; i < n; i++) {
      if (d[i] != min) {
        queue.push(node.children().get(i), d[i]);
      }
    }
    for (int i = 0; i < n; i++) {
      if (d[i] == min) {
        query(node.children().get(i), keys, query, j, pops);
      }
    }
    if (pops < CLUSTER_MAX_POP && queue.size > 0) {
      ClusterNode next = queue.pop();
      query(next, keys, query, j, pops + 1);
    }
  }

  /**
   * A binary min-heap on distance with tinyqueue 2.0.3's sift rules, so nodes at equal distances
   * come out in the runtime's order.
   */
  static final class Queue {
    private ClusterNode[] nodes = new ClusterNode[64];
    private int[] dist = new int[64];
    int size;

    void clear() {
      Arrays.fill(nodes, 0, size, null);
      size = 0;
    }

    void push(ClusterNode node, int d) {
      if (size == nodes.length) {
        nodes = Arrays.copyOf(nodes, 2 * size);
        dist = Arrays.copyOf(dist, 2 * size);
      }
      int pos = size++;
      while (pos > 0) {
        int parent = (pos - 1) >> 1;
        if (d - dist[parent] >= 0) {
          break;
        }
        nodes[pos] = nodes[parent];
        dist[pos] = dist[parent];
        pos = parent;
      }
      nodes[pos] = node;
      dist[pos] = d;
    }

    ClusterNode pop() {
      ClusterNode top = nodes[0];
      size--;
      ClusterNode bottom = nodes[size];
      int bottomD = dist[size];
      nodes[size] = null;
      if (size > 0) {
        int pos = 0;
        int half = size >> 1;
        while (pos < half) {
          int left = (pos << 1) + 1;
          int right = left + 1;
          if (right < size && dist[right] - dist[left] < 0) {
            left = right;
          }
          if (dist[left] - bottomD >= 0) {
            break;
          }
          nodes[pos] = nodes[left];
          dist[pos] = dist[left];
          pos = left;
        }
        nodes[pos] = bottom;
        dist[pos] = bottomD;
      }
      return top;
    }
  }
}
