package com.arservice.mind.quality;

/**
 * One simulated phone view of the printed photo.
 *
 * @param size the print's longer side on screen as a share of the frame width (0.2 far .. 1 near)
 * @param tiltDegrees how far the print leans away from the camera (0 = facing it)
 * @param tiltAxis direction of the tilt axis in the print's plane, radians
 * @param rollDegrees rotation of the print in its plane
 * @param shiftX horizontal offset of the print's centre, share of the frame width
 * @param shiftY vertical offset of the print's centre, share of the frame height
 * @param defocus Gaussian blur sigma in frame pixels (0 = sharp)
 * @param motion motion blur length in frame pixels (0 = none), horizontal or vertical
 * @param motionVertical whether the motion blur runs vertically
 * @param noise sensor noise sigma in grey levels
 * @param gain exposure: 1 = as printed, below = dim
 * @param gradient light falloff across the frame (0 = even), share of the gain from left to right
 * @param jpegQuality JPEG quality 0..100 of the camera pipeline
 */
public record View(
    double size,
    double tiltDegrees,
    double tiltAxis,
    double rollDegrees,
    double shiftX,
    double shiftY,
    double defocus,
    double motion,
    boolean motionVertical,
    double noise,
    double gain,
    double gradient,
    int jpegQuality) {

  /** Near: the print takes half the frame width or more. */
  public boolean near() {
    return size >= 0.5;
  }

  /** Tilted: leaning 20 degrees or more. */
  public boolean tilted() {
    return tiltDegrees >= 20;
  }

  /** Blurred: defocus sigma of 1 px or more, or motion over 3 px. */
  public boolean blurred() {
    return defocus >= 1 || motion > 3;
  }
}
