package com.arservice.imageio;

/**
 * The sizes of photo this service accepts, shared by the photo normalizer and the target compiler.
 */
public final class ImageLimits {
  /**
   * Largest accepted photo or mask, width × height as stored in the file (40 megapixels): checked
   * from the header, before anything is decoded.
   */
  public static final long MAX_PIXELS = 40_000_000L;

  /**
   * Smallest accepted short side: MindAR's smallest matching keyframe is 100 px on its short side,
   * so a smaller photo cannot be compiled.
   */
  public static final int MIN_SHORT_SIDE = 100;

  private ImageLimits() {}
}
