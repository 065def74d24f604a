package com.arservice.mind;

/**
 * One keypoint of a matching keyframe, as MindAR 1.2.5 stores it in a {@code .mind} file.
 *
 * <p>{@code x}, {@code y} are in the pixels of the keyframe image; {@code scale} is the octave's
 * scale (a power of two); {@code angle} is the dominant orientation in radians; {@code descriptors}
 * holds the 666-bit FREAK descriptor as 21 unsigned 32-bit words (stored in int bits), the first
 * comparison in the most significant bit of the first word.
 */
public record FeaturePoint(boolean maxima, double x, double y, double scale, double angle, int[] descriptors) {
}
