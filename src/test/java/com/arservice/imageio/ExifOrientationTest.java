package com.arservice.imageio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ExifOrientationTest {
  /** Stored 3 × 2: "abc" over "def". */
  private static final String STORED = "abcdef";

  @Test
  void everyOrientationShowsTheStoredPixelsAsTheExifSpecificationMeans() {
    assertUpright(1, "abc|def");
    assertUpright(2, "cba|fed");
    assertUpright(3, "fed|cba");
    assertUpright(4, "def|abc");
    assertUpright(5, "ad|be|cf");
    assertUpright(6, "da|eb|fc");
    assertUpright(7, "fc|eb|da");
    assertUpright(8, "cf|be|ad");
  }

  private static void assertUpright(int orientation, String expected) {
    int w = 3;
    int h = 2;
    int ow = ExifOrientation.swapsSides(orientation) ? h : w;
    int oh = ExifOrientation.swapsSides(orientation) ? w : h;
    StringBuilder rows = new StringBuilder();
    for (int y = 0; y < oh; y++) {
      if (y > 0) {
        rows.append('|');
      }
      for (int x = 0; x < ow; x++) {
        rows.append(STORED.charAt(ExifOrientation.sourceIndex(orientation, x, y, w, h)));
      }
    }
    assertEquals(expected, rows.toString(), "orientation " + orientation);
  }
}
