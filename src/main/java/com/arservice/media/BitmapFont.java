package com.arservice.media;

import java.util.Locale;
import java.util.Map;

/**
 * A built-in 5×7 pixel font for the watermark. Drawing text from our own bitmaps keeps the border's
 * pixels identical on every machine: system fonts, font configuration and the JDK's rasteriser
 * differ between hosts and containers (and headless images may have no fonts at all).
 */
final class BitmapFont {

  static final int GLYPH_WIDTH = 5;
  static final int GLYPH_HEIGHT = 7;

  private static final Map<Character, String> GLYPHS =
      Map.ofEntries(
          Map.entry('A', ".###.#...##...#######...##...##...#"),
          Map.entry('B', "####.#...##...#####.#...##...#####."),
          Map.entry('C', ".###.#...##....#....#....#...#.###."),
          Map.entry('D', "####.#...##...##...##...##...#####."),
          Map.entry('E', "######....#....####.#....#....#####"),
          Map.entry('F', "######....#....####.#....#....#...."),
          Map.entry('G', ".###.#...##....#.####...##...#.####"),
          Map.entry('H', "#...##...##...#######...##...##...#"),
          Map.entry('I', ".###...#....#....#....#....#...###."),
          Map.entry('J', "..###...#....#....#....#.#..#..##.."),
          Map.entry('K', "#...##..#.#.#..##...#.#..#..#.#...#"),
          Map.entry('L', "#....#....#....#....#....#....#####"),
          Map.entry('M', "#...###.###.#.##.#.##...##...##...#"),
          Map.entry('N', "#...##...###..##.#.##..###...##...#"),
          Map.entry('O', ".###.#...##...##...##...##...#.###."),
          Map.entry('P', "####.#...##...#####.#....#....#...."),
          Map.entry('Q', ".###.#...##...##...##.#.##..#..##.#"),
          Map.entry('R', "####.#...##...#####.#.#..#..#.#...#"),
          Map.entry('S', ".#####....#.....###.....#....#####."),
          Map.entry('T', "#####..#....#....#....#....#....#.."),
          Map.entry('U', "#...##...##...##...##...##...#.###."),
          Map.entry('V', "#...##...##...##...##...#.#.#...#.."),
          Map.entry('W', "#...##...##...##.#.##.#.##.#.#.#.#."),
          Map.entry('X', "#...##...#.#.#...#...#.#.#...##...#"),
          Map.entry('Y', "#...##...#.#.#...#....#....#....#.."),
          Map.entry('Z', "#####....#...#...#...#...#....#####"),
          Map.entry('0', ".###.#...##..###.#.###..##...#.###."),
          Map.entry('1', "..#...##....#....#....#....#...###."),
          Map.entry('2', ".###.#...#....#...#...#...#...#####"),
          Map.entry('3', "####.....#....#.###.....#....#####."),
          Map.entry('4', "...#...##..#.#.#..#.#####...#....#."),
          Map.entry('5', "######....####.....#....##...#.###."),
          Map.entry('6', ".###.#....#....####.#...##...#.###."),
          Map.entry('7', "#####....#...#...#...#....#....#..."),
          Map.entry('8', ".###.#...##...#.###.#...##...#.###."),
          Map.entry('9', ".###.#...##...#.####....#....#.###."),
          Map.entry('-', "................###................"));

  private BitmapFont() {}

  /** Width in font pixels of a text with one pixel between glyphs. */
  static int width(String text) {
    return text.isEmpty() ? 0 : text.length() * (GLYPH_WIDTH + 1) - 1;
  }

  /**
   * Draws {@code text} (letters, digits and '-'; anything else is left blank) into a packed RGB
   * buffer, each font pixel as a {@code scale}×{@code scale} block.
   */
  static void draw(int[] pixels, int stride, int left, int top, String text, int scale, int rgb) {
    String upper = text.toUpperCase(Locale.ROOT);
    for (int i = 0; i < upper.length(); i++) {
      String glyph = GLYPHS.get(upper.charAt(i));
      if (glyph == null) {
        continue;
      }
      int gx = left + i * (GLYPH_WIDTH + 1) * scale;
      for (int row = 0; row < GLYPH_HEIGHT; row++) {
        for (int col = 0; col < GLYPH_WIDTH; col++) {
          if (glyph.charAt(row * GLYPH_WIDTH + col) != '#') {
            continue;
          }
          for (int dy = 0; dy < scale; dy++) {
            int base = (top + row * scale + dy) * stride + gx + col * scale;
            for (int dx = 0; dx < scale; dx++) {
              pixels[base + dx] = rgb;
            }
          }
        }
      }
    }
  }
}
