package com.arservice.mind.runtime;

import com.arservice.mind.detect.FeaturePoint;
import java.util.List;

/**
 * MindAR 1.2.5's detection of a target in camera frames, as its controller runs it until tracking
 * starts: the frame's grey ({@link RuntimeGrey}), one {@link CropDetector} crop per frame, the
 * matcher over the target's keyframes, and the homography of the matched pairs that places the
 * target in the frame.
 *
 * <p>Not thread-safe (it owns detector and matcher buffers); one instance per thread and frame
 * size. The target is immutable and may be shared.
 */
public final class RuntimeDetection {

  /**
   * The outcome on one crop.
   *
   * @param found whether the runtime would start tracking
   * @param keyframe index of the matching keyframe that won, or -1
   * @param matches inlier pairs behind the pose (0 when not found)
   * @param homography target pixels to frame pixels, row-major, or null (not found, or the pairs
   *     admit no fit)
   */
  public record Result(boolean found, int keyframe, int matches, double[] homography) {

    static final Result NONE = new Result(false, -1, 0, null);

    /**
     * The target's corners {@code (0,0), (w,0), (w,h), (0,h)} in the frame, interleaved, or null.
     */
    public double[] corners(int width, int height) {
      return homography == null ? null : Homography.corners(homography, width, height);
    }
  }

  private final CropDetector crops;
  private final Matcher matcher;

  /** Prepares for frames of one size. */
  public RuntimeDetection(int frameWidth, int frameHeight) {
    crops = new CropDetector(frameWidth, frameHeight);
    matcher = new Matcher(frameWidth, frameHeight);
  }

  /** The crops this detection uses. */
  public CropDetector crops() {
    return crops;
  }

  /** Runs detection and matching on one crop position of a frame's grey. */
  public Result detect(float[] grey, int position, RuntimeTarget target) {
    return match(crops.detect(grey, position), target);
  }

  /**
   * Matches frame feature points against a target: the runtime's {@code matchDetection}; the pose
   * comes from the least-squares homography of the inlier pairs, world coordinates in target pixels
   * ({@code (keypoint + 0.5) / keyframe scale}).
   */
  public Result match(List<FeaturePoint> points, RuntimeTarget target) {
    Matcher.KeyframeMatch m = matcher.match(target, new Points(points));
    if (m == null) {
      return Result.NONE;
    }
    Matches in = m.inliers();
    double scale = target.keyframes().get(m.keyframe()).scale();
    double[] world = new double[2 * in.count];
    double[] screen = new double[2 * in.count];
    for (int i = 0; i < in.count; i++) {
      world[2 * i] = (in.keyX[i] + 0.5) / scale;
      world[2 * i + 1] = (in.keyY[i] + 0.5) / scale;
      screen[2 * i] = in.queryX[i];
      screen[2 * i + 1] = in.queryY[i];
    }
    double[] h = in.count >= 4 ? Homography.solve(world, screen, in.count) : null;
    return new Result(true, m.keyframe(), in.count, h);
  }

  /**
   * What a still camera sees over consecutive video frames: the positions in the runtime's order
   * from {@link CropDetector#FIRST_POSITION} until one finds the target.
   *
   * @return the result and the number of crops tried before it ({@code step}, 0..8), or a not-found
   *     result after all 9
   */
  public Still detectStill(float[] grey, RuntimeTarget target) {
    for (int step = 0; step < CropDetector.POSITIONS; step++) {
      int position = (CropDetector.FIRST_POSITION + step) % CropDetector.POSITIONS;
      Result r = detect(grey, position, target);
      if (r.found()) {
        return new Still(r, step);
      }
    }
    return new Still(Result.NONE, -1);
  }

  /**
   * A still-camera detection.
   *
   * @param result the first crop's result that found the target, or a not-found one
   * @param step how many crops came before it (0..8), -1 when none found it
   */
  public record Still(Result result, int step) {}
}
