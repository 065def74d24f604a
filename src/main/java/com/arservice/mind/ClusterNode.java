package com.arservice.mind;

import java.util.List;

/**
 * A node of MindAR's hierarchical clustering tree of a keyframe's points (the {@code rootNode} of a
 * {@code maximaPointsCluster} / {@code minimaPointsCluster}).
 *
 * @param centerPointIndex index of the medoid point this node was clustered around, or -1 for the
 *     root (MindAR stores {@code null} there, and the index as a decimal string elsewhere)
 * @param leaf whether this node lists points instead of children
 * @param pointIndexes for a leaf, the indexes of its points in the keyframe's point list; else
 *     empty
 * @param children for an inner node, its children ordered by ascending center index; else empty
 */
public record ClusterNode(
    int centerPointIndex, boolean leaf, int[] pointIndexes, List<ClusterNode> children) {

  /** Number of points below this node. */
  public int pointCount() {
    if (leaf) {
      return pointIndexes.length;
    }
    int n = 0;
    for (ClusterNode c : children) {
      n += c.pointCount();
    }
    return n;
  }
}
