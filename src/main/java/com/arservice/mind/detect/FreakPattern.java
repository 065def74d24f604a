package com.arservice.mind.detect;

/**
 * The 37 sampling points of MindAR's FREAK descriptor (six rings of six points, outermost first,
 * then the centre), in units of the descriptor radius. Its 666 comparisons are the pairs {@code (i,
 * j)}, {@code i < j}, with {@code i} the outer loop.
 */
final class FreakPattern {

  static final int POINT_COUNT = 37;
  static final int COMPARISON_COUNT = POINT_COUNT * (POINT_COUNT - 1) / 2;

  /** Descriptor words: 32 comparisons per unsigned 32-bit word. */
  static final int WORD_COUNT = (COMPARISON_COUNT + 31) / 32;

  /** Point offsets, rounded to float as MindAR's float32 tensor holds them. */
  static final float[] X = new float[POINT_COUNT];

  static final float[] Y = new float[POINT_COUNT];

  private static final double[][] RINGS = {
    {
      -1.000000, 0.000000, -0.500000, -0.866025, 0.500000, -0.866025, 1.000000, -0.000000, 0.500000,
      0.866025, -0.500000, 0.866025
    },
    {
      0.000000, 0.930969, -0.806243, 0.465485, -0.806243, -0.465485, -0.000000, -0.930969, 0.806243,
      -0.465485, 0.806243, 0.465485
    },
    {
      0.847306, -0.000000, 0.423653, 0.733789, -0.423653, 0.733789, -0.847306, 0.000000, -0.423653,
      -0.733789, 0.423653, -0.733789
    },
    {
      -0.000000, -0.741094, 0.641806, -0.370547, 0.641806, 0.370547, 0.000000, 0.741094, -0.641806,
      0.370547, -0.641806, -0.370547
    },
    {
      -0.595502, 0.000000, -0.297751, -0.515720, 0.297751, -0.515720, 0.595502, -0.000000, 0.297751,
      0.515720, -0.297751, 0.515720
    },
    {
      0.000000, 0.362783, -0.314179, 0.181391, -0.314179, -0.181391, -0.000000, -0.362783, 0.314179,
      -0.181391, 0.314179, 0.181391
    },
    {0, 0},
  };

  static {
    int p = 0;
    for (double[] ring : RINGS) {
      for (int k = 0; k < ring.length; k += 2) {
        X[p] = (float) ring[k];
        Y[p] = (float) ring[k + 1];
        p++;
      }
    }
  }

  private FreakPattern() {}
}
