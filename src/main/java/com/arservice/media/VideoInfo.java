package com.arservice.media;

import java.util.Set;

/**
 * What ffprobe says about a video file.
 *
 * @param durationSeconds playing time
 * @param width stored frame width, in pixels
 * @param height stored frame height, in pixels
 * @param rotation clockwise rotation to apply for display (0, 90, 180 or 270)
 * @param sampleAspect pixel aspect ratio (1 for square pixels)
 * @param frameRate average frames per second (else the nominal rate), NaN when unknown
 * @param nominalFrameRate ffprobe's {@code r_frame_rate}: the rate every timestamp fits on, at
 *     least the fastest stretch of a variable-rate video; NaN when unknown
 * @param videoCodec ffprobe's name of the video codec, e.g. {@code h264}
 * @param pixelFormat ffprobe's name of the pixel format, e.g. {@code yuv420p}, or {@code null}
 * @param hasAudio whether there is an audio track
 * @param audioCodec ffprobe's name of the first audio codec, or {@code null}
 * @param formatName ffprobe's container name, e.g. {@code mov,mp4,m4a,3gp,3g2,mj2}
 * @param sizeBytes file size
 * @param colorTransfer ffprobe's {@code color_transfer}, e.g. {@code arib-std-b67} (HLG), or {@code
 *     null} when not stated
 * @param colorPrimaries ffprobe's {@code color_primaries}, e.g. {@code bt2020}, or {@code null}
 * @param colorSpace ffprobe's {@code color_space} (the YUV matrix), e.g. {@code bt2020nc}, or
 *     {@code null}
 * @param colorRange ffprobe's {@code color_range}, {@code tv} or {@code pc}, or {@code null}
 */
public record VideoInfo(
    double durationSeconds,
    int width,
    int height,
    int rotation,
    double sampleAspect,
    double frameRate,
    double nominalFrameRate,
    String videoCodec,
    String pixelFormat,
    boolean hasAudio,
    String audioCodec,
    String formatName,
    long sizeBytes,
    String colorTransfer,
    String colorPrimaries,
    String colorSpace,
    String colorRange) {

  /** The transfers of HDR video: PQ (HDR10, Dolby Vision) and HLG (iPhones, broadcast). */
  private static final Set<String> HDR_TRANSFERS = Set.of("smpte2084", "arib-std-b67");

  /** Whether the picture is HDR (PQ or HLG) and needs tone mapping to be shown as SDR. */
  public boolean hdr() {
    return colorTransfer != null && HDR_TRANSFERS.contains(colorTransfer);
  }

  /** Whether the colours are in the wide BT.2020 gamut, which must be mapped into BT.709's. */
  public boolean wideGamut() {
    return colorPrimaries != null && colorPrimaries.startsWith("bt2020");
  }

  /**
   * The fastest frame rate in the file: the larger of the average and the nominal rate (a
   * variable-rate video's average can be far below its fast stretches); NaN when neither is known.
   */
  public double peakFrameRate() {
    if (Double.isNaN(frameRate)) {
      return nominalFrameRate;
    }
    return Double.isNaN(nominalFrameRate) ? frameRate : Math.max(frameRate, nominalFrameRate);
  }

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
