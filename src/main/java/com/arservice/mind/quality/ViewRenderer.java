package com.arservice.mind.quality;

import boofcv.alg.distort.ImageDistort;
import boofcv.alg.distort.PixelTransformHomography_F32;
import boofcv.alg.filter.blur.BlurImageOps;
import boofcv.alg.filter.convolve.ConvolveImageNormalized;
import boofcv.alg.filter.misc.AverageDownSampleOps;
import boofcv.alg.interpolate.InterpolationType;
import boofcv.alg.misc.ImageMiscOps;
import boofcv.factory.distort.FactoryDistort;
import boofcv.struct.border.BorderType;
import boofcv.struct.convolve.Kernel1D_F32;
import boofcv.struct.image.GrayF32;
import boofcv.struct.image.ImageType;
import com.arservice.mind.runtime.Homography;
import com.arservice.mind.runtime.RuntimeGrey;
import georegression.struct.homography.Homography2D_F64;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Renders simulated phone camera frames of a printed photo with BoofCV: a pinhole camera with the
 * field of view MindAR's controller assumes (45 degrees vertically) looks at the print lying on a
 * textured table, the homography warp samples the photo bilinearly from a box-filtered copy at
 * about the frame's resolution (so far views do not alias), then defocus (Gaussian) or motion (box)
 * blur, exposure and uneven light, sensor noise and JPEG.
 *
 * <p>Not thread-safe (it keeps its buffers); deterministic for a given photo, view and seed.
 */
final class ViewRenderer {

  static final int WIDTH = 640;
  static final int HEIGHT = 480;
  private static final double FOCAL = (HEIGHT / 2.0) / Math.tan(Math.toRadians(45) / 2);

  private final GrayF32 photo;
  private final List<GrayF32> levels = new ArrayList<>();
  private final GrayF32 frame = new GrayF32(WIDTH, HEIGHT);
  private final GrayF32 scratch = new GrayF32(WIDTH, HEIGHT);
  private final GrayF32 blurStorage = new GrayF32(WIDTH, HEIGHT);
  private final ImageDistort<GrayF32, GrayF32> distort =
      FactoryDistort.distort(
          false,
          InterpolationType.BILINEAR,
          BorderType.EXTENDED,
          ImageType.single(GrayF32.class),
          ImageType.single(GrayF32.class));

  /** Prepares views of one photo, given as grey values 0..255. */
  ViewRenderer(byte[] grey, int width, int height) {
    photo = new GrayF32(width, height);
    for (int i = 0; i < grey.length; i++) {
      photo.data[i] = grey[i] & 0xff;
    }
    levels.add(photo);
    for (int factor = 2; Math.min(width, height) / factor >= 16; factor *= 2) {
      GrayF32 down = new GrayF32(width / factor, height / factor);
      AverageDownSampleOps.down(photo, factor, down);
      levels.add(down);
    }
    distort.setRenderAll(false);
  }

  /** The homography from photo pixels to frame pixels of a view (row-major, {@code h[8] = 1}). */
  double[] homography(View v) {
    int w = photo.width;
    int h = photo.height;
    double k = v.size() * WIDTH / Math.max(w, h); // photo pixel -> plane units at depth FOCAL
    double tilt = Math.toRadians(v.tiltDegrees());
    double ax = Math.cos(v.tiltAxis());
    double ay = Math.sin(v.tiltAxis());
    double c = Math.cos(tilt);
    double s = Math.sin(tilt);
    double t = 1 - c;
    double[] tiltR = {
      t * ax * ax + c,
      t * ax * ay,
      s * ay,
      t * ax * ay,
      t * ay * ay + c,
      -s * ax,
      -s * ay,
      s * ax,
      c
    };
    double roll = Math.toRadians(v.rollDegrees());
    double[] rollR = {
      Math.cos(roll), -Math.sin(roll), 0, Math.sin(roll), Math.cos(roll), 0, 0, 0, 1
    };
    double[] r = mul(rollR, tiltR);
    double tx = v.shiftX() * WIDTH;
    double ty = v.shiftY() * HEIGHT;
    double[] p = {r[0] * k, r[1] * k, tx, r[3] * k, r[4] * k, ty, r[6] * k, r[7] * k, FOCAL};
    double[] cam = {FOCAL, 0, WIDTH / 2.0, 0, FOCAL, HEIGHT / 2.0, 0, 0, 1};
    double[] centre = {1, 0, -w / 2.0, 0, 1, -h / 2.0, 0, 0, 1};
    double[] m = mul(mul(cam, p), centre);
    for (int i = 0; i < 9; i++) {
      m[i] /= m[8];
    }
    return m;
  }

  /**
   * Renders a view into {@code out} as the runtime's grey (0..255 floats), {@code WIDTH * HEIGHT}.
   *
   * @param random the source of the background, noise and nothing else
   */
  void render(View v, double[] h, Random random, float[] out) {
    background(random);
    // sample from the level whose pixels are about one frame pixel: the local minification
    double[] corners = Homography.corners(h, photo.width, photo.height);
    double onScreen = Math.sqrt(Math.abs(Geometry.area(corners)));
    double minify = Math.sqrt((double) photo.width * photo.height) / Math.max(onScreen, 1);
    int level = 0;
    while (level + 1 < levels.size() && (1 << (level + 1)) <= minify) {
      level++;
    }
    GrayF32 src = levels.get(level);
    double f = photo.width / (double) src.width;
    double fy = photo.height / (double) src.height;
    // frame -> level pixels: H^-1 gives photo coordinates with pixel edges at integers, level
    // pixel j (a box of f photo pixels) has its centre at (j + 0.5) f
    double[] inv = Geometry.invert(h);
    double[] toLevel = {1 / f, 0, -0.5, 0, 1 / fy, -0.5, 0, 0, 1};
    double[] g = mul(toLevel, inv);
    Homography2D_F64 model =
        new Homography2D_F64(g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[7], g[8]);
    distort.setModel(new PixelTransformHomography_F32(model));
    // the print's own pixels only: the frame keeps the table where the photo does not reach
    GrayF32 warped = scratch;
    ImageMiscOps.fill(warped, -1);
    distort.apply(src, warped);
    float[] fd = frame.data;
    float[] wd = warped.data;
    for (int y = 0; y < HEIGHT; y++) {
      for (int x = 0; x < WIDTH; x++) {
        int i = y * WIDTH + x;
        if (wd[i] >= 0 && Geometry.inside(corners, x, y)) {
          fd[i] = wd[i];
        }
      }
    }
    if (v.defocus() > 0.3) {
      BlurImageOps.gaussian(frame, scratch, v.defocus(), -1, blurStorage);
      copy(scratch, frame);
    }
    int length = (int) Math.round(v.motion());
    if (length >= 2) {
      Kernel1D_F32 box = new Kernel1D_F32(length);
      for (int i = 0; i < length; i++) {
        box.data[i] = 1f / length;
      }
      if (v.motionVertical()) {
        ConvolveImageNormalized.vertical(box, frame, scratch);
      } else {
        ConvolveImageNormalized.horizontal(box, frame, scratch);
      }
      copy(scratch, frame);
    }
    for (int y = 0; y < HEIGHT; y++) {
      for (int x = 0; x < WIDTH; x++) {
        double light = v.gain() * (1 + v.gradient() * (x / (double) WIDTH - 0.5));
        fd[y * WIDTH + x] = (float) (fd[y * WIDTH + x] * light);
      }
    }
    ImageMiscOps.addGaussian(frame, random, v.noise(), 0, 255);
    jpeg(frame, v.jpegQuality(), out);
  }

  /** A table: mid-grey value noise with a few flat objects on it. */
  private void background(Random random) {
    float base = 60 + random.nextFloat() * 120;
    int cell = 24;
    int gw = WIDTH / cell + 2;
    int gh = HEIGHT / cell + 2;
    float[] grid = new float[gw * gh];
    for (int i = 0; i < grid.length; i++) {
      grid[i] = random.nextFloat();
    }
    float[] fd = frame.data;
    for (int y = 0; y < HEIGHT; y++) {
      float gy = y / (float) cell;
      int y0 = (int) gy;
      float ty = gy - y0;
      for (int x = 0; x < WIDTH; x++) {
        float gx = x / (float) cell;
        int x0 = (int) gx;
        float tx = gx - x0;
        float a = grid[y0 * gw + x0] * (1 - tx) + grid[y0 * gw + x0 + 1] * tx;
        float b = grid[(y0 + 1) * gw + x0] * (1 - tx) + grid[(y0 + 1) * gw + x0 + 1] * tx;
        fd[y * WIDTH + x] = base * (0.7f + 0.6f * (a * (1 - ty) + b * ty));
      }
    }
    for (int r = 0; r < 5; r++) {
      int x0 = random.nextInt(WIDTH);
      int y0 = random.nextInt(HEIGHT);
      int rw = 30 + random.nextInt(170);
      int rh = 30 + random.nextInt(170);
      float value = random.nextFloat() * 255;
      ImageMiscOps.fillRectangle(frame, value, x0, y0, rw, rh);
    }
  }

  private static void copy(GrayF32 from, GrayF32 to) {
    System.arraycopy(from.data, 0, to.data, 0, from.data.length);
  }

  /** Through the phone's JPEG encoder and back (ImageIO), as 8-bit grey. */
  private static void jpeg(GrayF32 frame, int quality, float[] out) {
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_BYTE_GRAY);
    byte[] pixels = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) Math.max(0, Math.min(255, Math.round(frame.data[i])));
    }
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
      ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(quality / 100f);
      try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(bytes)) {
        writer.setOutput(stream);
        writer.write(null, new IIOImage(image, null, null), param);
      } finally {
        writer.dispose();
      }
      BufferedImage back = ImageIO.read(new ByteArrayInputStream(bytes.toByteArray()));
      byte[] decoded = ((DataBufferByte) back.getRaster().getDataBuffer()).getData();
      for (int i = 0; i < decoded.length; i++) {
        // a grey print under white light: r = g = b, so the runtime's luma is the grey value
        int g = decoded[i] & 0xff;
        out[i] = RuntimeGrey.luma(g, g, g);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("in-memory JPEG failed", e);
    }
  }

  private static double[] mul(double[] a, double[] b) {
    double[] r = new double[9];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        for (int k = 0; k < 3; k++) {
          r[3 * i + j] += a[3 * i + k] * b[3 * k + j];
        }
      }
    }
    return r;
  }
}
