package com.arservice.http;

import com.arservice.storage.ArtifactStore;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** {@code GET /} (the endpoints in short) and {@code GET /openapi.yaml} (the whole description). */
final class ApiDescription {
  private static final String OPENAPI = loadOpenApi();

  private ApiDescription() {}

  static void describe(RoutingContext ctx) {
    JsonArray endpoints =
        new JsonArray()
            .add(endpoint("GET", "/", "this description"))
            .add(
                endpoint(
                    "GET",
                    "/health",
                    "health of the database, queue, storage and ffmpeg: 200 UP or 503 DOWN"))
            .add(endpoint("GET", "/health/live", "the process is up (no database check): 200"))
            .add(
                endpoint(
                    "GET",
                    "/health/ready",
                    "ready for work (database, storage, ffmpeg): 200 or 503"))
            .add(endpoint("GET", "/metrics", "Prometheus metrics"))
            .add(
                endpoint(
                    "POST",
                    "/compile",
                    "start an AR project from uploaded photos and videos: 202 {projectId}"))
            .add(
                endpoint(
                    "POST",
                    "/uploads",
                    "store one photo, video or mask (multipart, or the body itself): 201 {url}"))
            .add(
                endpoint(
                    "POST",
                    "/quality",
                    "will this photo work as a target? its quality report (multipart, or"
                        + " {photoUrl}): 200 {score, stars, detectionRate, breakdown, advice}"))
            .add(endpoint("GET", "/status/:id", "a project's state, progress and artifact URLs"))
            .add(endpoint("GET", "/status/:id/logs", "a project's compilation step log"))
            .add(
                endpoint(
                    "GET",
                    "/status/:id/events",
                    "a project's progress as Server-Sent Events, until ready or error"))
            .add(endpoint("GET", ArtifactStore.PUBLIC_PATH + "/:id/:file", "a project's artifacts"))
            .add(endpoint("GET", "/ar/view/:id", "the AR viewer of a project (also /view/:id)"))
            .add(endpoint("GET", "/openapi.yaml", "the OpenAPI 3 description of this API"))
            .add(
                endpoint(
                    "GET", "/admin/webhooks", "webhook events, newest first (?projectId=&state=)"))
            .add(endpoint("POST", "/admin/webhooks/:id/redeliver", "send a webhook event again"))
            .add(endpoint("DELETE", "/projects/:id", "delete a project and its files"))
            .add(endpoint("POST", "/projects/:id/retry", "compile a failed project again"))
            .add(
                endpoint(
                    "GET",
                    "/admin/projects",
                    "projects, newest first (?status=&userId=&orderId=&q=&demo=&after=&limit=)"))
            .add(endpoint("GET", "/admin/stats", "jobs, compilations, webhooks, disk, instances"))
            .add(endpoint("GET", "/admin/", "the operator's console (signs in with the API token)"))
            .add(endpoint("POST", "/admin/session", "sign the console in: a session cookie"));
    ctx.json(
        new JsonObject()
            .put("service", "ar-service")
            .put("description", "Turns a printed photo and a video into a MindAR web AR experience")
            .put("endpoints", endpoints));
  }

  static void openApi(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "application/yaml; charset=utf-8").end(OPENAPI);
  }

  private static String loadOpenApi() {
    try (InputStream in =
        ApiDescription.class.getClassLoader().getResourceAsStream("openapi.yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonObject endpoint(String method, String path, String description) {
    return new JsonObject().put("method", method).put("path", path).put("description", description);
  }
}
