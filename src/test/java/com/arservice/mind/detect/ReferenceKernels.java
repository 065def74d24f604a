package com.arservice.mind.detect;

/**
 * Plain, obviously-correct versions of the detector's image kernels, written pixel by pixel with a
 * clamping getter exactly as MindAR's CPU kernels are: the oracle for the optimised ones.
 */
final class ReferenceKernels {

  private ReferenceKernels() {}

  private static float get(float[] img, int w, int h, int y, int x) {
    return img[Math.min(Math.max(y, 0), h - 1) * w + Math.min(Math.max(x, 0), w - 1)];
  }

  /**
   * Horizontal then vertical [1 4 6 4 1] pass, each summed in double and rounded to float; /256 in
   * the second.
   */
  static float[] binomialFilter(float[] img, int w, int h) {
    float[] pass1 = new float[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double sum = get(img, w, h, y, x - 2);
        sum += get(img, w, h, y, x - 1) * 4.0;
        sum += get(img, w, h, y, x) * 6.0;
        sum += get(img, w, h, y, x + 1) * 4.0;
        sum += get(img, w, h, y, x + 2);
        pass1[y * w + x] = (float) sum;
      }
    }
    float[] out = new float[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double sum = get(pass1, w, h, y - 2, x);
        sum += get(pass1, w, h, y - 1, x) * 4.0;
        sum += get(pass1, w, h, y, x) * 6.0;
        sum += get(pass1, w, h, y + 1, x) * 4.0;
        sum += get(pass1, w, h, y + 2, x);
        sum /= 256.0;
        out[y * w + x] = (float) sum;
      }
    }
    return out;
  }

  /** Half-size 2x2 average accumulated in a float. */
  static float[] downsample(float[] img, int w, int h) {
    int dw = w / 2;
    int dh = h / 2;
    float[] out = new float[dw * dh];
    for (int j = 0; j < dh; j++) {
      for (int i = 0; i < dw; i++) {
        float sum = get(img, w, h, 2 * j, 2 * i) * 0.25f;
        sum += get(img, w, h, 2 * j + 1, 2 * i) * 0.25f;
        sum += get(img, w, h, 2 * j, 2 * i + 1) * 0.25f;
        sum += get(img, w, h, 2 * j + 1, 2 * i + 1) * 0.25f;
        out[j * dw + i] = sum;
      }
    }
    return out;
  }

  /** Bilinear upsampling to {@code tw x th}, source position {@code 0.5 * i - 0.25}. */
  static float[] upsample(float[] img, int w, int h, int tw, int th) {
    float[] out = new float[tw * th];
    for (int j = 0; j < th; j++) {
      for (int i = 0; i < tw; i++) {
        double sj = (float) (0.5 * j) - 0.25;
        double si = (float) (0.5 * i) - 0.25;
        double sj0 = Math.floor(sj);
        double sj1 = Math.ceil(sj);
        double si0 = Math.floor(si);
        double si1 = Math.ceil(si);
        double sum = 0.0;
        sum += get(img, w, h, (int) sj0, (int) si0) * (double) (float) ((si1 - si) * (sj1 - sj));
        sum += get(img, w, h, (int) sj1, (int) si0) * (double) (float) ((si1 - si) * (sj - sj0));
        sum += get(img, w, h, (int) sj0, (int) si1) * (double) (float) ((si - si0) * (sj1 - sj));
        sum += get(img, w, h, (int) sj1, (int) si1) * (double) (float) ((si - si0) * (sj - sj0));
        out[j * tw + i] = (float) sum;
      }
    }
    return out;
  }
}
