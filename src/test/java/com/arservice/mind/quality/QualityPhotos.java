package com.arservice.mind.quality;

import com.arservice.imageio.ImageInputException;
import com.arservice.mind.detect.GreyImage;
import com.arservice.mind.io.ImageLoader;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Test photos from good to hopeless, generated deterministically: two rich scenes (the interop
 * photos), a flat gradient, repeated tiles, a logo on white, a strip of text, and a dark and a
 * low-contrast copy of a rich scene.
 */
public final class QualityPhotos {

  private static final int W = 800;
  private static final int H = 600;

  private QualityPhotos() {}

  /** The set, by name, in a fixed order. */
  public static Map<String, GreyImage> all() throws IOException, ImageInputException {
    GreyImage landscape = resource("landscape-800x640.jpg");
    Map<String, GreyImage> photos = new LinkedHashMap<>();
    photos.put("landscape", landscape);
    photos.put("bookshelf", resource("negative-bookshelf-720x540.jpg"));
    photos.put("gradient", gradient());
    photos.put("tiles", tiles());
    photos.put("logo", logo());
    photos.put("text-strip", textStrip());
    photos.put("dark", remap(landscape, 0.18, 0));
    photos.put("low-contrast", remap(landscape, 0.1, 115));
    return photos;
  }

  public static GreyImage resource(String name) throws IOException, ImageInputException {
    try (InputStream in = QualityPhotos.class.getResourceAsStream("/photos/" + name)) {
      if (in == null) {
        throw new IOException("no test photo " + name);
      }
      return new ImageLoader().load(in.readAllBytes());
    }
  }

  /** {@code photo} as a grey PNG file, as an upload would be. */
  public static Path writePng(GreyImage photo, Path file) throws IOException {
    BufferedImage image =
        new BufferedImage(photo.width(), photo.height(), BufferedImage.TYPE_BYTE_GRAY);
    image.getRaster().setDataElements(0, 0, photo.width(), photo.height(), photo.data());
    if (!ImageIO.write(image, "png", file.toFile())) {
      throw new IOException("no PNG writer");
    }
    return file;
  }

  /** A sky: a smooth top-to-bottom gradient with a faint grain. */
  public static GreyImage gradient() {
    Random random = new Random(1);
    byte[] g = new byte[W * H];
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        g[y * W + x] = (byte) (60 + 150 * y / H + random.nextInt(3));
      }
    }
    return new GreyImage(g, W, H);
  }

  /** One 50x50 tile of random blobs, repeated over the whole photo. */
  public static GreyImage tiles() {
    Random random = new Random(2);
    int t = 50;
    int[] tile = new int[t * t];
    for (int i = 0; i < tile.length; i++) {
      tile[i] = 128;
    }
    for (int b = 0; b < 6; b++) {
      int cx = random.nextInt(t);
      int cy = random.nextInt(t);
      int r = 3 + random.nextInt(8);
      int v = random.nextInt(256);
      for (int y = 0; y < t; y++) {
        for (int x = 0; x < t; x++) {
          int dx = Math.floorMod(x - cx + t / 2, t) - t / 2;
          int dy = Math.floorMod(y - cy + t / 2, t) - t / 2;
          if (dx * dx + dy * dy <= r * r) {
            tile[y * t + x] = v;
          }
        }
      }
    }
    byte[] g = new byte[W * H];
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        g[y * W + x] = (byte) tile[(y % t) * t + x % t];
      }
    }
    return new GreyImage(g, W, H);
  }

  /** A dark ring and a bar in the middle of a white page. */
  static GreyImage logo() {
    byte[] g = new byte[W * H];
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        double d = Math.hypot(x - W / 2.0, y - H / 2.0);
        boolean ring = d > 70 && d < 110;
        boolean bar = Math.abs(y - H / 2) < 15 && Math.abs(x - W / 2) < 160;
        g[y * W + x] = (byte) (ring || bar ? 30 : 245);
      }
    }
    return new GreyImage(g, W, H);
  }

  /** A line of blocky "letters" across the middle of a white page. */
  static GreyImage textStrip() {
    Random random = new Random(3);
    byte[] g = new byte[W * H];
    Arrays.fill(g, (byte) 240);
    int top = H / 2 - 18;
    for (int x = 40; x < W - 60; x += 26) {
      for (int s = 0; s < 3; s++) {
        int sx = x + random.nextInt(14);
        int sy = top + random.nextInt(24);
        int sw = 3 + random.nextInt(12);
        int sh = 3 + random.nextInt(14);
        for (int y = sy; y < sy + sh; y++) {
          for (int xx = sx; xx < sx + sw; xx++) {
            g[y * W + xx] = 20;
          }
        }
      }
    }
    return new GreyImage(g, W, H);
  }

  /** {@code offset + gain * value}, for dark and low-contrast copies. */
  static GreyImage remap(GreyImage src, double gain, int offset) {
    byte[] g = new byte[src.data().length];
    for (int i = 0; i < g.length; i++) {
      g[i] = (byte) Math.min(255, (int) Math.round(offset + gain * (src.data()[i] & 0xff)));
    }
    return new GreyImage(g, src.width(), src.height());
  }
}
