package com.arservice.project;

import io.vertx.core.json.JsonObject;

/**
 * One line of a project's step log: a step {@code started}, {@code completed} or {@code failed},
 * with its duration, details and the progress (0–100) the project has reached, when it moved.
 */
public record StepEvent(String step, String status, Integer durationMs, JsonObject details, String error,
                        Integer progress) {

  public JsonObject toJson() {
    return new JsonObject().put("step", step).put("status", status).put("durationMs", durationMs)
        .put("details", details).put("error", error).put("progress", progress);
  }

  public static StepEvent fromJson(JsonObject json) {
    return new StepEvent(json.getString("step"), json.getString("status"), json.getInteger("durationMs"),
        json.getJsonObject("details"), json.getString("error"), json.getInteger("progress"));
  }
}
