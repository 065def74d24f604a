package com.arservice.mind.detect;

/**
 * One keypoint of a matching keyframe, as MindAR 1.2.5 stores it in a {@code .mind} file.
 *
 * <p>{@code x}, {@code y} are in the pixels of the keyframe image; {@code scale} is the octave's
 * scale (a power of two); {@code angle} is the dominant orientation in radians; {@code descriptors}
 * holds the 666-bit FREAK descriptor as 21 unsigned 32-bit words (stored in int bits): comparison
 * {@code c} (pairs {@code (i, j)}, {@code i < j}, of the 37 sampling points in MindAR's order) is
 * bit {@code 31 - c % 32} of word {@code c / 32}, so the first comparison is the most significant
 * bit of the first word and the low 6 bits of the last word are zero. ({@code .mind} files store
 * each word as an unsigned integer.)
 */
public record FeaturePoint(
    boolean maxima, double x, double y, double scale, double angle, int[] descriptors) {}
