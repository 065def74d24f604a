package com.arservice.media;

/**
 * What ffprobe says about a video file.
 *
 * @param durationSeconds playing time
 * @param width stored frame width, in pixels
 * @param height stored frame height, in pixels
 * @param rotation clockwise rotation to apply for display (0, 90, 180 or 270)
 * @param sampleAspect pixel aspect ratio (1 for square pixels)
 * @param frameRate average frames per second, NaN when unknown
 * @param videoCodec ffprobe's name of the video codec, e.g. {@code h264}
 * @param pixelFormat ffprobe's name of the pixel format, e.g. {@code yuv420p}, or {@code null}
 * @param hasAudio whether there is an audio track
 * @param audioCodec ffprobe's name of the first audio codec, or {@code null}
 * @param formatName ffprobe's container name, e.g. {@code mov,mp4,m4a,3gp,3g2,mj2}
 * @param sizeBytes file size
 */
public record VideoInfo(
    double durationSeconds,
    int width,
    int height,
    int rotation,
    double sampleAspect,
    double frameRate,
    String videoCodec,
    String pixelFormat,
    boolean hasAudio,
    String audioCodec,
    String formatName,
    long sizeBytes) {

  /** Width as shown: after rotation and with square pixels. */
  public double displayWidth() {
    return quarterTurn() ? height : width * sampleAspect;
  }

  /** Height as shown: after rotation and with square pixels. */
  public double displayHeight() {
    return quarterTurn() ? width * sampleAspect : height;
  }

  /** Width / height as shown. */
  public double displayAspect() {
    return displayWidth() / displayHeight();
  }

  /** Duration in whole milliseconds. */
  public long durationMillis() {
    return Math.round(durationSeconds * 1000);
  }

  private boolean quarterTurn() {
    return rotation == 90 || rotation == 270;
  }
}
