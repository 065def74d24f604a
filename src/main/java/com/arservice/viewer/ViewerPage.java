package com.arservice.viewer;

import com.arservice.pipeline.ProjectSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The AR viewer of a ready project: {@code webroot/viewer.html} with the project's targets, videos,
 * masks and settings as JSON. The same page is written into the project's folder
 * ({@code index.html}) and served at {@code /ar/view/:id}.
 */
public final class ViewerPage {
  private final String aframeUrl;
  private final String mindarUrl;

  public ViewerPage(String aframeUrl, String mindarUrl) {
    this.aframeUrl = aframeUrl;
    this.mindarUrl = mindarUrl;
  }

  public void write(Path file, ProjectSpec spec, String artifactBase, JsonArray targets) throws IOException {
    Files.writeString(file, render(spec.id().toString(), spec.viewUrl(), artifactBase, spec.config(), targets),
        StandardCharsets.UTF_8);
  }

  public String render(String projectId, String viewUrl, String artifactBase, JsonObject config, JsonArray targets) {
    JsonObject data = new JsonObject()
        .put("projectId", projectId)
        .put("viewUrl", viewUrl)
        .put("markerUrl", artifactBase + "marker.mind")
        .put("config", config)
        .put("targets", targets);
    return Templates.render("viewer.html", Map.of(
        "title", "AR",
        "aframeUrl", aframeUrl,
        "mindarUrl", mindarUrl,
        "dataJson", data.encode()));
  }
}
