package com.arservice.mind;

import java.util.List;

/**
 * Everything a {@code .mind} file holds for one target image.
 *
 * @param width photo width in pixels
 * @param height photo height in pixels
 * @param trackingData tracking keyframes, largest first
 * @param matchingData matching keyframes, largest (scale 1) first
 */
public record MindTarget(
    int width, int height, List<TrackingImage> trackingData, List<MatchingKeyframe> matchingData) {

  /** Matching points over all keyframes. */
  public int matchingPointCount() {
    int n = 0;
    for (MatchingKeyframe k : matchingData) {
      n += k.pointCount();
    }
    return n;
  }
}
