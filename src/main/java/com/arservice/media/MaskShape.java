package com.arservice.media;

import java.util.Locale;

/** The {@code shapeType} values of a compile request: the outline of the video plane. */
public enum MaskShape {
  /** A circle whose diameter is the photo's short side. */
  CIRCLE,
  /** An ellipse touching all four sides of the photo. */
  OVAL,
  /** A square whose side is the photo's short side. */
  SQUARE,
  /** The whole photo, with rounded corners. */
  RECT,
  /** A mask image supplied by the customer. */
  CUSTOM;

  /**
   * The shape named by a request's {@code shapeType} (case-insensitive).
   *
   * @throws IllegalArgumentException for any other value
   */
  public static MaskShape parse(String shapeType) {
    try {
      return valueOf(shapeType.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException(
          "shapeType must be circle, oval, square, rect or custom: " + shapeType);
    }
  }
}
