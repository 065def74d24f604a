package com.arservice.mind;

import java.util.List;

/**
 * One tracking keyframe: the photo resized to one tracking scale, kept as grey pixels (the runtime
 * matches templates on them), and the template centres chosen on it.
 *
 * @param data grey pixels, row-major, {@code width * height} bytes
 * @param width image width in pixels
 * @param height image height in pixels
 * @param scale image size divided by the photo size
 * @param points template centres in this image's pixels, in the order they were chosen
 */
public record TrackingImage(byte[] data, int width, int height, double scale, List<Point> points) {

  /** A template centre, in pixels. */
  public record Point(int x, int y) {}
}
