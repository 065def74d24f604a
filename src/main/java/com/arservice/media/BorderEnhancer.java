package com.arservice.media;

import com.arservice.imageio.ImageLimits;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Pipeline step 3 (optional, {@code AR_ENABLE_BORDER_ENHANCER}): surrounds a photo with a patterned
 * frame so that photos that look alike (same template, plain backgrounds) still become distinct,
 * feature-rich image targets.
 *
 * <p>The frame is {@value #MIN_FRAME_PERCENT}–{@value #MAX_FRAME_PERCENT} % of the photo's longer
 * side wide on every side, and everything in it is chosen by a generator seeded with the photo's
 * SHA-256: the exact width, two rows of cells along each side filled with checkers, concentric
 * circles, stripes or dots in seeded ink and paper colours, and four different corner symbols (so
 * the target has no rotational symmetry). A thin white stroke separates frame and photo, and a
 * small {@code AR-<id8>} watermark sits in the bottom frame. Rendering uses only integer pixel
 * arithmetic and a built-in bitmap font, so the same photo and id give identical pixels on every
 * machine.
 *
 * <p>Two images come out: the <em>printed</em> image (photo plus full frame), which the customer
 * prints, and the <em>compiled</em> image, the printed one with {@value #COMPILE_CROP_PERCENT} % of
 * its width and height cut away, centred ({@value #COMPILE_CROP_PERCENT}/2 % from each side). The
 * compiled image is what the target compiler gets: its outer edge lies inside the printed frame, so
 * a print trimmed slightly or a frame edge lost in the paper's margin still matches the target. The
 * crop never reaches the photo (at most about 3.3 % of the longer side per side, while the frame is
 * at least 12 %). Thread-safe.
 */
public final class BorderEnhancer {

  /** Narrowest frame, in percent of the photo's longer side. */
  public static final int MIN_FRAME_PERCENT = 12;

  /** Widest frame, in percent of the photo's longer side. */
  public static final int MAX_FRAME_PERCENT = 15;

  /**
   * Share of the printed image's width and height removed (half per side) for the compiled image.
   */
  public static final int COMPILE_CROP_PERCENT = 5;

  private static final int[] INKS = {
    0x111111, 0x1B2A6B, 0x8B1A1A, 0x145A32, 0x5B2C6F, 0x7E5109, 0x0E6655
  };
  private static final int[] PAPERS = {0xFFFFFF, 0xF4E04D, 0xF5CBA7, 0xAED6F1, 0xD5F5E3, 0xFADBD8};
  private static final int WHITE = 0xFFFFFF;
  private static final int TEXT = 0x111111;
  private static final int SYMBOLS = 6;

  /**
   * Geometry of an enhanced photo, in pixels.
   *
   * @param margin frame width on each side of the photo in the printed image
   * @param printedWidth width of the printed image (photo width + 2 × margin)
   * @param printedHeight height of the printed image
   * @param cropX columns cut from the left and from the right for the compiled image
   * @param cropY rows cut from the top and from the bottom for the compiled image
   * @param compiledWidth width of the compiled image
   * @param compiledHeight height of the compiled image
   */
  public record Frame(
      int margin,
      int printedWidth,
      int printedHeight,
      int cropX,
      int cropY,
      int compiledWidth,
      int compiledHeight) {}

  /** The printed and compiled images (TYPE_INT_RGB) and their geometry. */
  public record Enhanced(BufferedImage printed, BufferedImage compiled, Frame frame) {}

  /**
   * The watermark text for an id: {@code AR-} and the first 8 letters or digits of the id, upper
   * case.
   */
  public static String watermark(String id) {
    StringBuilder id8 = new StringBuilder(8);
    for (int i = 0; i < id.length() && id8.length() < 8; i++) {
      char c = id.charAt(i);
      if (c < 128 && Character.isLetterOrDigit(c)) {
        id8.append(Character.toUpperCase(c));
      }
    }
    return "AR-" + id8;
  }

  /**
   * Enhances the photo file (normally the normalized JPEG) and writes both images; each output is
   * PNG or JPEG (quality 95) by its extension. PNG is advised for the compiled image, so the
   * compiler sees no compression artefacts.
   *
   * @param id the project (or target) id shown in the watermark
   * @throws MediaException not transient when the photo is unusable, transient when storage fails
   */
  public Frame enhance(Path photo, String id, Path printedOut, Path compiledOut)
      throws MediaException {
    ImageFiles.Header header = ImageFiles.readHeader(photo, "photo");
    if (header.size().width() * header.size().height() > ImageLimits.MAX_DECODED_PIXELS) {
      throw MediaException.badInput("The photo is too large for the border enhancer");
    }
    BufferedImage image = ImageFiles.decode(photo, header.format(), "photo");
    try {
      Enhanced enhanced = render(image, ImageFiles.sha256(photo), id);
      ImageFiles.writeByExtension(toRgb(enhanced.printed()), printedOut);
      ImageFiles.writeByExtension(toRgb(enhanced.compiled()), compiledOut);
      return enhanced.frame();
    } catch (IOException e) {
      throw MediaException.transientFailure(
          "The enhanced photo could not be written to storage", e);
    }
  }

  /**
   * Renders the printed and compiled images in memory.
   *
   * @param sha256Hex the photo's SHA-256 as 64 hex digits: the seed of every choice
   * @param id the id shown in the watermark
   */
  public Enhanced render(BufferedImage photo, String sha256Hex, String id) {
    RgbImage source = ImageFiles.toRgbOnWhite(photo);
    SeededRandom random = new SeededRandom(seed(sha256Hex));
    int w = source.width();
    int h = source.height();
    int longer = Math.max(w, h);
    double percent =
        MIN_FRAME_PERCENT + (MAX_FRAME_PERCENT - MIN_FRAME_PERCENT) * random.nextDouble();
    int m = Math.max(8, (int) Math.round(longer * percent / 100));
    int width = w + 2 * m;
    int height = h + 2 * m;
    int[] canvas = new int[width * height];

    // two rows of cells along each side; the corners get symbols instead
    int rowsAcross = 2;
    double cell = m / (double) rowsAcross;
    int along = Math.max(1, (int) Math.round(w / cell));
    int down = Math.max(1, (int) Math.round(h / cell));
    fillCells(canvas, width, m, 0, width - m, m, along, rowsAcross, random);
    fillCells(canvas, width, m, height - m, width - m, height, along, rowsAcross, random);
    fillCells(canvas, width, 0, m, m, height - m, rowsAcross, down, random);
    fillCells(canvas, width, width - m, m, width, height - m, rowsAcross, down, random);

    int[] symbols = distinctSymbols(random);
    int[][] corners = {{0, 0}, {width - m, 0}, {width - m, height - m}, {0, height - m}};
    for (int i = 0; i < 4; i++) {
      int ink = INKS[random.nextInt(INKS.length)];
      int paper = PAPERS[random.nextInt(PAPERS.length)];
      drawSymbol(canvas, width, corners[i][0], corners[i][1], m, symbols[i], ink, paper);
    }

    int stroke = Math.max(2, (int) Math.round(m * 0.04));
    fillRect(canvas, width, m - stroke, m - stroke, width - m + stroke, height - m + stroke, WHITE);
    for (int y = 0; y < h; y++) {
      System.arraycopy(source.pixels(), y * w, canvas, (y + m) * width + m, w);
    }
    drawWatermark(canvas, width, height, m, watermark(id));

    int cropX = (int) Math.round(width * COMPILE_CROP_PERCENT / 200.0);
    int cropY = (int) Math.round(height * COMPILE_CROP_PERCENT / 200.0);
    int cw = width - 2 * cropX;
    int ch = height - 2 * cropY;
    int[] cropped = new int[cw * ch];
    for (int y = 0; y < ch; y++) {
      System.arraycopy(canvas, (y + cropY) * width + cropX, cropped, y * cw, cw);
    }
    Frame frame = new Frame(m, width, height, cropX, cropY, cw, ch);
    return new Enhanced(
        new RgbImage(width, height, canvas).toBufferedImage(),
        new RgbImage(cw, ch, cropped).toBufferedImage(),
        frame);
  }

  private static long seed(String sha256Hex) {
    if (sha256Hex == null || !sha256Hex.matches("[0-9a-fA-F]{64}")) {
      throw new IllegalArgumentException("not a SHA-256 hex digest: " + sha256Hex);
    }
    String hex = sha256Hex.toLowerCase(Locale.ROOT);
    long seed = 0;
    for (int i = 0; i < 64; i += 16) {
      seed ^= Long.parseUnsignedLong(hex.substring(i, i + 16), 16);
    }
    return seed;
  }

  /** Splits a rectangle into cols × rows cells and paints each with a seeded pattern. */
  private static void fillCells(
      int[] canvas,
      int stride,
      int x0,
      int y0,
      int x1,
      int y1,
      int cols,
      int rows,
      SeededRandom random) {
    for (int r = 0; r < rows; r++) {
      int cy0 = y0 + (y1 - y0) * r / rows;
      int cy1 = y0 + (y1 - y0) * (r + 1) / rows;
      for (int c = 0; c < cols; c++) {
        int cx0 = x0 + (x1 - x0) * c / cols;
        int cx1 = x0 + (x1 - x0) * (c + 1) / cols;
        paintCell(canvas, stride, cx0, cy0, cx1, cy1, random);
      }
    }
  }

  private static void paintCell(
      int[] canvas, int stride, int x0, int y0, int x1, int y1, SeededRandom random) {
    int kind = random.nextInt(4);
    int ink = INKS[random.nextInt(INKS.length)];
    int paper = PAPERS[random.nextInt(PAPERS.length)];
    int count = 2 + random.nextInt(3);
    int direction = random.nextInt(4);
    double radius = 0.22 + 0.13 * random.nextDouble();
    double cw = x1 - x0;
    double ch = y1 - y0;
    for (int y = y0; y < y1; y++) {
      double v = (y - y0 + 0.5) / ch;
      for (int x = x0; x < x1; x++) {
        double u = (x - x0 + 0.5) / cw;
        boolean on =
            switch (kind) {
              case 0 -> ((int) (u * count) + (int) (v * count)) % 2 == 0;
              case 1 -> {
                double d = Math.hypot(u - 0.5, v - 0.5);
                yield d < 0.48 && (int) (d * 2 * (count + 0.5)) % 2 == 0;
              }
              case 2 -> {
                double t =
                    switch (direction) {
                      case 0 -> u;
                      case 1 -> v;
                      case 2 -> (u + v) / 2;
                      default -> (u - v + 1) / 2;
                    };
                yield (int) (t * (2 * count + 1)) % 2 == 0;
              }
              default -> Math.hypot(frac(u * count) - 0.5, frac(v * count) - 0.5) < radius;
            };
        canvas[y * stride + x] = on ? ink : paper;
      }
    }
  }

  private static double frac(double v) {
    return v - Math.floor(v);
  }

  /** Four different symbols, one per corner, in seeded order. */
  private static int[] distinctSymbols(SeededRandom random) {
    int[] all = new int[SYMBOLS];
    for (int i = 0; i < SYMBOLS; i++) {
      all[i] = i;
    }
    for (int i = SYMBOLS - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = all[i];
      all[i] = all[j];
      all[j] = t;
    }
    return new int[] {all[0], all[1], all[2], all[3]};
  }

  private static void drawSymbol(
      int[] canvas, int stride, int x0, int y0, int size, int symbol, int ink, int paper) {
    for (int y = 0; y < size; y++) {
      double q = (y + 0.5) / size * 2 - 1;
      for (int x = 0; x < size; x++) {
        double p = (x + 0.5) / size * 2 - 1;
        double ap = Math.abs(p);
        double aq = Math.abs(q);
        boolean on =
            switch (symbol) {
              case 0 -> (ap < 0.2 && aq < 0.7) || (aq < 0.2 && ap < 0.7);
              case 1 ->
                  (Math.abs(p - q) < 0.28 || Math.abs(p + q) < 0.28) && Math.max(ap, aq) < 0.7;
              case 2 -> q > -0.6 && q < 0.6 && ap <= 0.7 * (q + 0.6) / 1.2;
              case 3 -> ap + aq < 0.7;
              case 4 -> {
                double r = Math.hypot(p, q);
                yield r > 0.38 && r < 0.7;
              }
              default -> Math.max(ap, aq) < 0.65 && Math.max(ap, aq) > 0.3;
            };
        canvas[(y0 + y) * stride + x0 + x] = on ? paper : ink;
      }
    }
  }

  /** The watermark on a white plate, centred in the bottom frame. */
  private static void drawWatermark(int[] canvas, int stride, int height, int margin, String text) {
    int scale = Math.max(1, (int) Math.round(margin * 0.16 / BitmapFont.GLYPH_HEIGHT));
    int textW = BitmapFont.width(text) * scale;
    int textH = BitmapFont.GLYPH_HEIGHT * scale;
    int pad = 2 * scale;
    int left = (stride - textW) / 2;
    int top = height - margin / 2 - textH / 2;
    fillRect(canvas, stride, left - pad, top - pad, left + textW + pad, top + textH + pad, WHITE);
    BitmapFont.draw(canvas, stride, left, top, text, scale, TEXT);
  }

  private static void fillRect(int[] canvas, int stride, int x0, int y0, int x1, int y1, int rgb) {
    int height = canvas.length / stride;
    for (int y = Math.max(0, y0); y < Math.min(height, y1); y++) {
      for (int x = Math.max(0, x0); x < Math.min(stride, x1); x++) {
        canvas[y * stride + x] = rgb;
      }
    }
  }

  private static RgbImage toRgb(BufferedImage image) {
    return ImageFiles.toRgbOnWhite(image);
  }
}
