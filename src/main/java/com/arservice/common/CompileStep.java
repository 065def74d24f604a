package com.arservice.common;

import java.util.Locale;

/**
 * The compile pipeline's steps, in the order they run: their names in the step log, the metrics and
 * a project's {@code currentStep}, and the progress a project has reached once each completed.
 */
public enum CompileStep {
  VALIDATE(5),
  PHOTO(15),
  BORDER(20),
  MASKS(25),
  VIDEO(60),
  MARKER(85),
  QUALITY(88),
  VIEWER(90),
  QR(95);

  private final int progress;

  CompileStep(int progress) {
    this.progress = progress;
  }

  /** The name as logged and measured, e.g. {@code marker}. */
  public String logName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The project's progress (0–100) once this step completed; it jumps to 100 when the project is
   * ready.
   */
  public int progress() {
    return progress;
  }

  /**
   * The step logged as {@code name}.
   *
   * @throws IllegalArgumentException for a name that is no step's
   */
  public static CompileStep fromLogName(String name) {
    for (CompileStep step : values()) {
      if (step.logName().equals(name)) {
        return step;
      }
    }
    throw new IllegalArgumentException("no compile step is called " + name);
  }
}
