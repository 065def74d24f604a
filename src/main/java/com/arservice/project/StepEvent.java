package com.arservice.project;

import com.arservice.common.CompileStep;
import io.vertx.core.json.JsonObject;

/**
 * One line of a project's step log: a step {@code started}, {@code completed} or {@code failed},
 * with its duration, details and the progress (0–100) the project has reached, when it moved.
 */
public record StepEvent(
    CompileStep step,
    String status,
    Integer durationMs,
    JsonObject details,
    String error,
    Integer progress) {

  /** {@code step} began. */
  public static StepEvent started(CompileStep step) {
    return new StepEvent(step, "started", null, null, null, null);
  }

  /**
   * {@code step} completed after {@code durationMs}; the project has reached the step's progress.
   */
  public static StepEvent completed(CompileStep step, int durationMs, JsonObject details) {
    return new StepEvent(step, "completed", durationMs, details, null, step.progress());
  }

  /**
   * {@code step} failed after {@code durationMs}; {@code error} is the sentence for the shop owner.
   */
  public static StepEvent failed(CompileStep step, int durationMs, String error) {
    return new StepEvent(step, "failed", durationMs, null, error, null);
  }
}
