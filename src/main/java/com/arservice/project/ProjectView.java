package com.arservice.project;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The stored project in the API's shape ({@code GET /status/:id}), the old service's fields first. */
public final class ProjectView {
  private ProjectView() {
  }

  public static JsonObject status(JsonObject p) {
    JsonArray targets = new JsonArray();
    for (Object o : p.getJsonArray("targets", new JsonArray())) {
      JsonObject t = (JsonObject) o;
      targets.add(new JsonObject()
          .put("index", t.getInteger("itemIndex"))
          .put("photoUrl", t.getString("photoUrl"))
          .put("videoUrl", t.getString("videoUrl"))
          .put("maskUrl", t.getString("maskUrl"))
          .put("photoWidth", t.getInteger("photoWidth"))
          .put("photoHeight", t.getInteger("photoHeight"))
          .put("videoWidth", t.getInteger("videoWidth"))
          .put("videoHeight", t.getInteger("videoHeight"))
          .put("videoDurationMs", t.getInteger("videoDurationMs"))
          .put("keyframes", t.getInteger("keyframes"))
          .put("points", t.getInteger("points"))
          .put("artifacts", t.getJsonObject("artifacts")));
    }
    return new JsonObject()
        .put("projectId", p.getString("id"))
        .put("status", p.getString("status"))
        .put("progress", p.getInteger("progress"))
        .put("currentStep", p.getString("currentStep"))
        .put("viewUrl", p.getString("viewUrl"))
        .put("qrCodeUrl", p.getString("qrCodeUrl"))
        .put("markerMindUrl", p.getString("markerMindUrl"))
        .put("photoUrl", p.getString("photoUrl"))
        .put("videoUrl", p.getString("videoUrl"))
        .put("viewerHtmlUrl", p.getString("viewerHtmlUrl"))
        .put("compilationTimeMs", p.getInteger("compilationTimeMs"))
        .put("errorMessage", p.getString("errorMessage"))
        .put("createdAt", p.getString("createdAt"))
        .put("updatedAt", p.getString("updatedAt"))
        .put("isDemo", p.getBoolean("isDemo"))
        .put("expiresAt", p.getString("expiresAt"))
        .put("userId", p.getString("userId"))
        .put("orderId", p.getString("orderId"))
        .put("shapeType", p.getString("shapeType"))
        .put("retryCount", p.getInteger("retryCount"))
        .put("markersCount", targets.size())
        .put("targets", targets);
  }
}
