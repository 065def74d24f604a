package com.arservice.media;

/**
 * How one video is cut to the photo's shape and scaled, in the displayed (upright, square-pixel)
 * frame: when the video's aspect ratio differs from the photo's by more than {@value
 * #ASPECT_TOLERANCE}, the centre part with the photo's aspect ratio is kept; the result is scaled
 * down (never up) to the side and area caps, with even dimensions (H.264 in yuv420p needs them).
 *
 * @param crop whether the centre is cut out
 * @param cropWidth whether the width is cut (the video is wider than the photo), else the height
 * @param aspect the photo's aspect ratio (width / height)
 * @param width output width, in pixels
 * @param height output height, in pixels
 */
record VideoPlan(boolean crop, boolean cropWidth, double aspect, int width, int height) {

  /** Largest aspect-ratio difference (width / height) left uncropped. */
  static final double ASPECT_TOLERANCE = 0.05;

  /**
   * The plan for {@code info} on a photo of {@code photoAspect}, at most {@code maxSide} and {@code
   * maxPixels}.
   */
  static VideoPlan of(VideoInfo info, double photoAspect, int maxSide, long maxPixels) {
    double dw = info.displayWidth();
    double dh = info.displayHeight();
    double videoAspect = dw / dh;
    boolean crop = Math.abs(videoAspect - photoAspect) > ASPECT_TOLERANCE;
    boolean cropWidth = crop && videoAspect > photoAspect;
    double keptW = cropWidth ? dh * photoAspect : dw;
    double keptH = crop && !cropWidth ? dw / photoAspect : dh;
    double scale =
        Math.min(
            1.0,
            Math.min(maxSide / Math.max(keptW, keptH), Math.sqrt(maxPixels / (keptW * keptH))));
    return new VideoPlan(
        crop, cropWidth, photoAspect, even(keptW * scale, maxSide), even(keptH * scale, maxSide));
  }

  private static int even(double size, int max) {
    int value = 2 * (int) Math.round(size / 2);
    return Math.max(2, Math.min(value, max - max % 2));
  }
}
