package com.arservice.media;

import com.arservice.imageio.ImageLimits;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Pipeline step 5: the alpha mask of each video plane, a PNG of the photo's size.
 *
 * <p>Every mask pixel has red = green = blue = alpha: white and opaque where the video shows, black
 * and transparent where it is hidden. Keeping the colour equal to the alpha lets the viewer use the
 * file either through its alpha channel or as a three.js {@code alphaMap} (which reads the green
 * channel).
 *
 * <p>Generated shapes are fitted with {@code contain} (the largest such shape that fits the photo,
 * centred) and fade out over a soft edge of {@value #FEATHER_PERCENT} % of the photo's short side
 * (at least 2 px), reaching full transparency exactly on the outline. Custom masks are stretched to
 * the photo's size; their alpha channel is used when they have any transparent pixel, otherwise
 * their luminance (white shows the video, black hides it). A custom mask must have about the
 * photo's proportions (at most {@value #MAX_ASPECT_FACTOR} times wider or taller) and is decoded
 * with rows and columns skipped down to at most twice the photo's size, so its memory never exceeds
 * a few times the photo's, whatever the file claims. Thread-safe.
 */
public final class MaskGenerator {

  /** Width of the soft edge, in percent of the photo's short side. */
  public static final double FEATHER_PERCENT = 2.5;

  /** Corner radius of {@link MaskShape#RECT}, in percent of the photo's short side. */
  public static final double RECT_CORNER_PERCENT = 8.0;

  /**
   * How much a custom mask's width/height ratio may differ from the photo's, as a factor either
   * way.
   */
  public static final double MAX_ASPECT_FACTOR = 2.0;

  private final long maxPixels;

  /** A generator accepting custom masks up to {@link ImageLimits#MAX_PIXELS}. */
  public MaskGenerator() {
    this(ImageLimits.MAX_PIXELS);
  }

  /**
   * @param maxPixels largest accepted custom mask, width × height as stored in the file
   */
  public MaskGenerator(long maxPixels) {
    this.maxPixels = maxPixels;
  }

  /**
   * The mask of a generated shape, as a TYPE_INT_ARGB image of the given size.
   *
   * @throws IllegalArgumentException for {@link MaskShape#CUSTOM} or a size under 1 px
   */
  public BufferedImage render(MaskShape shape, int width, int height) {
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException("mask size " + width + "x" + height);
    }
    double shortSide = Math.min(width, height);
    double feather = Math.max(2.0, shortSide * FEATHER_PERCENT / 100);
    double cx = width / 2.0;
    double cy = height / 2.0;
    int[] alpha = new int[width * height];
    for (int y = 0; y < height; y++) {
      double py = y + 0.5 - cy;
      for (int x = 0; x < width; x++) {
        double px = x + 0.5 - cx;
        double inside =
            switch (shape) {
              case CIRCLE -> shortSide / 2 - Math.hypot(px, py);
              case OVAL -> depthInEllipse(px, py, width / 2.0, height / 2.0);
              case SQUARE -> depthInRoundedBox(px, py, shortSide / 2, shortSide / 2, 0);
              case RECT -> depthInRoundedBox(px, py, cx, cy, shortSide * RECT_CORNER_PERCENT / 100);
              case CUSTOM -> throw new IllegalArgumentException("custom masks come from a file");
            };
        alpha[y * width + x] = (int) Math.round(255 * smoothstep(inside / feather));
      }
    }
    return toMaskImage(alpha, width, height);
  }

  /** Renders a generated shape and writes it as PNG (atomically; parent folders created). */
  public void writeShape(MaskShape shape, int width, int height, Path out) throws MediaException {
    write(render(shape, width, height), out);
  }

  /**
   * Turns a customer's mask (PNG, or JPEG for a luminance mask) into a mask of the photo's size and
   * writes it as PNG.
   *
   * @throws MediaException not transient when the file is not a usable image, transient when
   *     storage fails
   */
  public void writeCustom(Path customMask, int width, int height, Path out) throws MediaException {
    write(custom(customMask, width, height), out);
  }

  /** The customer's mask stretched to the given size, as a TYPE_INT_ARGB mask image. */
  public BufferedImage custom(Path customMask, int width, int height) throws MediaException {
    ImageFiles.Header header = ImageFiles.readHeader(customMask, "mask");
    if (header.format().viaHeif()) {
      // a mask is a drawing with sharp edges: photo codecs blur them, and no tool saves masks so
      throw MediaException.badInput(
          "The mask is a "
              + header.format().displayName()
              + " image; please send masks as PNG (or JPEG, WebP or TIFF)");
    }
    long mw = header.size().width();
    long mh = header.size().height();
    if (mw * mh > maxPixels) {
      throw MediaException.badInput(
          "The mask is too large: at most " + maxPixels / 1_000_000 + " megapixels are allowed");
    }
    double factor = ((double) mw / mh) / ((double) width / height);
    if (factor > MAX_ASPECT_FACTOR || factor < 1 / MAX_ASPECT_FACTOR) {
      throw MediaException.badInput(
          String.format(
              Locale.ROOT,
              "The mask does not fit the photo: it is %dx%d"
                  + " pixels and the photo %dx%d; use a mask with the photo's proportions",
              mw,
              mh,
              width,
              height));
    }
    BufferedImage decoded =
        ImageFiles.decode(
            customMask,
            header.format(),
            "mask",
            (int) Math.max(1, mw / (2L * width)),
            (int) Math.max(1, mh / (2L * height)));
    int sw = decoded.getWidth();
    int sh = decoded.getHeight();
    int[] plane = ImageFiles.alphaOf(decoded);
    if (plane == null || isAllOpaque(plane)) {
      plane = ImageFiles.toRgbOnWhite(decoded).pixels();
      for (int i = 0; i < plane.length; i++) {
        int p = plane[i];
        plane[i] = (299 * (p >> 16 & 0xFF) + 587 * (p >> 8 & 0xFF) + 114 * (p & 0xFF) + 500) / 1000;
      }
    }
    return toMaskImage(ImageFiles.resizePlane(plane, sw, sh, width, height), width, height);
  }

  private static boolean isAllOpaque(int[] alpha) {
    for (int a : alpha) {
      if (a != 255) {
        return false;
      }
    }
    return true;
  }

  /**
   * Distance (px) from the outline of an ellipse to a point inside it, negative outside;
   * first-order accurate.
   */
  private static double depthInEllipse(double x, double y, double a, double b) {
    double k = Math.hypot(x / a, y / b);
    double gradient = Math.hypot(x / (a * a), y / (b * b));
    if (gradient < 1e-12) {
      return Math.min(a, b);
    }
    return (1 - k) * k / gradient;
  }

  /** Distance (px) from the outline of a centred box with rounded corners, positive inside. */
  private static double depthInRoundedBox(
      double x, double y, double halfW, double halfH, double radius) {
    double qx = Math.abs(x) - (halfW - radius);
    double qy = Math.abs(y) - (halfH - radius);
    double outside = Math.hypot(Math.max(qx, 0), Math.max(qy, 0));
    double inside = Math.min(Math.max(qx, qy), 0);
    return -(outside + inside - radius);
  }

  private static double smoothstep(double t) {
    if (t <= 0) {
      return 0;
    }
    if (t >= 1) {
      return 1;
    }
    return t * t * (3 - 2 * t);
  }

  private static BufferedImage toMaskImage(int[] alpha, int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
    int[] pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
    for (int i = 0; i < pixels.length; i++) {
      int a = alpha[i];
      pixels[i] = a << 24 | a << 16 | a << 8 | a;
    }
    return image;
  }

  private static void write(BufferedImage mask, Path out) throws MediaException {
    try {
      ImageFiles.writePng(mask, out);
    } catch (IOException e) {
      throw MediaException.transientFailure("The mask could not be written to storage", e);
    }
  }
}
