package com.arservice.mind;

import java.util.Locale;

/**
 * How a {@code .mind} file is made. Both are read by the unmodified MindAR 1.2.5 runtime.
 *
 * <ul>
 *   <li>{@link #REFERENCE}: byte-identical to MindAR's own compiler ({@link MindCompiler}).
 *   <li>{@link #ROBUST}: per keyframe the points the runtime re-detects and matches most often in
 *       simulated phone views, a minimal unused tracking keyframe and compact number encodings (the
 *       quality package's {@code RobustCompiler}).
 * </ul>
 */
public enum MarkerMode {
  REFERENCE,
  ROBUST;

  /** The name used in configuration, on the command line and in the status: lower case. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The mode named {@code text} ({@link #id()}, any case).
   *
   * @throws IllegalArgumentException for any other name
   */
  public static MarkerMode parse(String text) {
    for (MarkerMode m : values()) {
      if (m.id().equalsIgnoreCase(text)) {
        return m;
      }
    }
    throw new IllegalArgumentException("is not reference or robust");
  }
}
