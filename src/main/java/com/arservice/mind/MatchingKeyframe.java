package com.arservice.mind;

import com.arservice.mind.detect.FeaturePoint;
import java.util.List;

/**
 * One matching keyframe of a target: the feature points detected on the photo resized to one scale,
 * split by extremum kind, each kind with its clustering tree.
 *
 * @param width keyframe image width in pixels
 * @param height keyframe image height in pixels
 * @param scale keyframe size divided by the photo size
 * @param maximaPoints points at DoG maxima
 * @param minimaPoints points at DoG minima
 * @param maximaCluster tree over {@code maximaPoints}
 * @param minimaCluster tree over {@code minimaPoints}
 */
public record MatchingKeyframe(
    int width,
    int height,
    double scale,
    List<FeaturePoint> maximaPoints,
    List<FeaturePoint> minimaPoints,
    ClusterNode maximaCluster,
    ClusterNode minimaCluster) {

  /** Maxima plus minima. */
  public int pointCount() {
    return maximaPoints.size() + minimaPoints.size();
  }
}
