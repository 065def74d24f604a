package com.arservice.mind.runtime;

import com.arservice.mind.ClusterNode;
import com.arservice.mind.MatchingKeyframe;
import com.arservice.mind.MindTarget;
import java.util.ArrayList;
import java.util.List;

/**
 * A compiled target laid out for the runtime matcher: per matching keyframe, its maxima and minima
 * as primitive arrays with their clustering trees. Immutable, so one instance serves any number of
 * threads and frames.
 */
public final class RuntimeTarget {

  /** One keyframe's points of one extremum kind and their tree. */
  record Kind(Points points, ClusterNode tree) {}

  /** One matching keyframe. */
  record Keyframe(int width, int height, double scale, Kind maxima, Kind minima) {}

  private final int width;
  private final int height;
  private final List<Keyframe> keyframes;

  /**
   * Lays out a compiled target (the model {@code MindCompiler} makes or {@code MindFile} reads).
   */
  public RuntimeTarget(MindTarget target) {
    width = target.width();
    height = target.height();
    List<Keyframe> list = new ArrayList<>();
    for (MatchingKeyframe k : target.matchingData()) {
      list.add(
          new Keyframe(
              k.width(),
              k.height(),
              k.scale(),
              new Kind(new Points(k.maximaPoints()), k.maximaCluster()),
              new Kind(new Points(k.minimaPoints()), k.minimaCluster())));
    }
    keyframes = List.copyOf(list);
  }

  /** Photo width in pixels. */
  public int width() {
    return width;
  }

  /** Photo height in pixels. */
  public int height() {
    return height;
  }

  /** Number of matching keyframes. */
  public int keyframeCount() {
    return keyframes.size();
  }

  List<Keyframe> keyframes() {
    return keyframes;
  }
}
