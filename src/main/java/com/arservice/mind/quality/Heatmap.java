package com.arservice.mind.quality;

import com.arservice.mind.MatchingKeyframe;
import com.arservice.mind.MindTarget;
import com.arservice.mind.detect.FeaturePoint;
import com.arservice.mind.detect.GreyImage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/**
 * The heat-map of a report: the photo at half brightness, red over the grid cells in proportion to
 * how often the views that showed them failed, and every feature point (all keyframes) as a green
 * dot.
 */
final class Heatmap {

  private Heatmap() {}

  static byte[] render(GreyImage photo, MindTarget target, int[] seen, int[] failed, int grid) {
    int w = photo.width();
    int h = photo.height();
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    byte[] g = photo.data();
    for (int y = 0; y < h; y++) {
      int cy = Math.min(grid - 1, y * grid / h);
      for (int x = 0; x < w; x++) {
        int cx = Math.min(grid - 1, x * grid / w);
        int cell = cy * grid + cx;
        double fail = seen[cell] == 0 ? 1 : failed[cell] / (double) seen[cell];
        double v = (g[y * w + x] & 0xff) * 0.5;
        double a = 0.6 * fail;
        int r = (int) Math.round(v * (1 - a) + 255 * a);
        int gb = (int) Math.round(v * (1 - a));
        image.setRGB(x, y, (r << 16) | (gb << 8) | gb);
      }
    }
    for (MatchingKeyframe k : target.matchingData()) {
      for (FeaturePoint p : QualityAnalyzer.points(k)) {
        int px = (int) ((p.x() + 0.5) / k.scale());
        int py = (int) ((p.y() + 0.5) / k.scale());
        for (int dy = -1; dy <= 1; dy++) {
          for (int dx = -1; dx <= 1; dx++) {
            int x = px + dx;
            int y = py + dy;
            if (x >= 0 && y >= 0 && x < w && y < h) {
              image.setRGB(x, y, 0x40ff40);
            }
          }
        }
      }
    }
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(image, "png", out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("in-memory PNG failed", e);
    }
  }
}
