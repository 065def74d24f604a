package com.arservice.mind.runtime;

import com.arservice.mind.detect.Detector;
import com.arservice.mind.detect.FeaturePoint;
import java.util.ArrayList;
import java.util.List;

/**
 * MindAR 1.2.5's {@code CropDetector}: the runtime never detects on a whole camera frame but on a
 * square crop whose side is the power of two nearest to half the frame's shorter side; while no
 * target is tracked, {@code detectMoving} visits 9 crop positions on a 3x3 grid of half-crop steps
 * around the centre, one per video frame, starting with the centre (position 4).
 *
 * <p>Not thread-safe: it owns the detector's and the crop's buffers.
 */
public final class CropDetector {

  /** The crop position {@code detectMoving} visits first. */
  public static final int FIRST_POSITION = 4;

  /** Number of positions {@code detectMoving} cycles through. */
  public static final int POSITIONS = 9;

  private final int width;
  private final int height;
  private final int cropSize;
  private final Detector detector;
  private final float[] crop;

  /** Prepares the crops of frames of one size. */
  public CropDetector(int frameWidth, int frameHeight) {
    this.width = frameWidth;
    this.height = frameHeight;
    this.cropSize = cropSize(frameWidth, frameHeight);
    this.detector = new Detector(cropSize, cropSize);
    this.crop = new float[cropSize * cropSize];
  }

  /** The crop side the runtime uses for a frame size. */
  public static int cropSize(int frameWidth, int frameHeight) {
    double minDimension = Math.min(frameWidth, frameHeight) / 2.0;
    return (int) Math.pow(2, Math.round(StrictMath.log(minDimension) / StrictMath.log(2)));
  }

  /** The crop side. */
  public int cropSize() {
    return cropSize;
  }

  /**
   * Top-left corner {@code {x, y}} of crop position {@code position} (0..8, row-major on the 3x3
   * grid), clamped into the frame as the runtime clamps it.
   */
  public int[] origin(int position) {
    int dx = position % 3;
    int dy = position / 3;
    int startY = (int) Math.floor(height / 2.0 - cropSize + dy * cropSize / 2.0);
    int startX = (int) Math.floor(width / 2.0 - cropSize + dx * cropSize / 2.0);
    startX = Math.max(startX, 0);
    startY = Math.max(startY, 0);
    if (startX >= width - cropSize) {
      startX = width - cropSize - 1;
    }
    if (startY >= height - cropSize) {
      startY = height - cropSize - 1;
    }
    return new int[] {startX, startY};
  }

  /**
   * Detects feature points in one crop of a frame.
   *
   * @param grey the frame's runtime grey ({@link RuntimeGrey}), {@code width * height}
   * @param position crop position 0..8
   * @return the points in frame coordinates
   */
  public List<FeaturePoint> detect(float[] grey, int position) {
    int[] o = origin(position);
    for (int y = 0; y < cropSize; y++) {
      System.arraycopy(grey, (o[1] + y) * width + o[0], crop, y * cropSize, cropSize);
    }
    List<FeaturePoint> points = detector.detect(crop);
    List<FeaturePoint> shifted = new ArrayList<>(points.size());
    for (FeaturePoint p : points) {
      shifted.add(
          new FeaturePoint(
              p.maxima(), p.x() + o[0], p.y() + o[1], p.scale(), p.angle(), p.descriptors()));
    }
    return shifted;
  }
}
