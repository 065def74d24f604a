package com.arservice.media;

import java.util.ArrayList;
import java.util.List;

/**
 * How one video is cut to the photo's shape and scaled, in the displayed (upright, square-pixel)
 * frame: when the video's aspect ratio differs from the photo's by more than {@value
 * #ASPECT_TOLERANCE}, the centre part with the photo's aspect ratio is kept; the result is scaled
 * down (never up) to the side and area caps, with even dimensions (H.264 in yuv420p needs them).
 * Phones get the {@link #ladder()} of renditions at capped bit rates and a poster frame.
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

  /**
   * One encoded size of the video.
   *
   * @param width frame width, in pixels
   * @param height frame height, in pixels
   * @param maxKbps the video's bit-rate cap (the VBV buffer holds two seconds of it)
   * @param audioKbps the AAC bit rate
   * @param suffix what its file name adds to the main file's, empty for the main file
   */
  record Rung(int width, int height, int maxKbps, int audioKbps, String suffix) {}

  /**
   * The sizes phones get: {@code {area, video kbit/s, audio kbit/s, suffix}}, sharpest first. On a
   * phone the plane covers part of the screen, so 1080p looks sharp at 4 Mbit/s even from a noisy
   * sensor (uncapped at CRF 23 such a clip takes 25 Mbit/s); 360p at 0.6 Mbit/s plays without
   * stalling on Slow 4G (1.6 Mbit/s).
   */
  private static final int[][] LADDER = {
    {1920 * 1080, 4000, 128}, {1280 * 720, 2000, 96}, {640 * 360, 600, 64}
  };

  private static final String[] SUFFIXES = {"", "-720p", "-360p"};

  /** A lower rung is encoded only when it has at most this fraction of the main file's area. */
  static final double SMALLER_RUNG = 0.7;

  /** The poster's longer side at most, in pixels: a few KB, shown until the video plays. */
  static final int POSTER_SIDE = 480;

  /**
   * The renditions to encode: the main file at this plan's size, capped as the smallest rung that
   * holds it, then each rung whose area is at most {@link #SMALLER_RUNG} of the main file's, scaled
   * down to that area with this plan's aspect ratio; never scaled up.
   */
  List<Rung> ladder() {
    long area = (long) width * height;
    List<Rung> out = new ArrayList<>();
    int main = 0;
    while (main + 1 < LADDER.length && LADDER[main + 1][0] >= area) {
      main++;
    }
    out.add(new Rung(width, height, LADDER[main][1], LADDER[main][2], SUFFIXES[0]));
    for (int i = main + 1; i < LADDER.length; i++) {
      if (LADDER[i][0] <= area * SMALLER_RUNG) {
        double scale = Math.sqrt(LADDER[i][0] / (double) area);
        out.add(
            new Rung(
                even(width * scale, width),
                even(height * scale, height),
                LADDER[i][1],
                LADDER[i][2],
                SUFFIXES[i]));
      }
    }
    return out;
  }

  /** The poster's size: the lightest rendition's, its longer side at most {@link #POSTER_SIDE}. */
  int[] posterSize(Rung lightest) {
    double scale =
        Math.min(1.0, POSTER_SIDE / (double) Math.max(lightest.width(), lightest.height()));
    return new int[] {
      even(lightest.width() * scale, lightest.width()),
      even(lightest.height() * scale, lightest.height())
    };
  }

  private static int even(double size, int max) {
    int value = 2 * (int) Math.round(size / 2);
    return Math.max(2, Math.min(value, max - max % 2));
  }
}
