package com.arservice.http;

import com.arservice.common.Addresses;
import com.arservice.common.ServiceException;
import com.arservice.common.ServiceException.Code;
import com.arservice.project.CompileRequest;
import com.arservice.project.ProjectMessages.Create;
import com.arservice.project.ProjectMessages.Find;
import com.arservice.project.ProjectVerticle;
import com.arservice.storage.UploadStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

/** {@code POST /compile}, {@code GET /status/:id} and {@code GET /status/:id/logs}. */
final class ProjectRoutes {
  private final Vertx vertx;
  private final UploadStore uploads;
  private final URI frontendUrl;
  private final Optional<String> publicArtifacts;
  private final Predicate<RoutingContext> fullView;

  /**
   * {@code fullView}: may this request see the customer's ids in status and logs (it holds the API
   * token)?
   */
  /**
   * @param publicArtifacts the public bucket's address of the artifacts, where the viewer page is
   *     read straight from it (the view URL and its QR code then name the page there)
   */
  ProjectRoutes(
      Vertx vertx,
      UploadStore uploads,
      URI frontendUrl,
      Optional<String> publicArtifacts,
      Predicate<RoutingContext> fullView) {
    this.vertx = vertx;
    this.uploads = uploads;
    this.frontendUrl = frontendUrl;
    this.publicArtifacts = publicArtifacts;
    this.fullView = fullView;
  }

  void compile(RoutingContext ctx) {
    CompileRequest request = CompileRequest.parse(jsonBody(ctx));
    UUID id = UUID.randomUUID();
    String viewUrl = viewUrl(id);
    checkFiles(request)
        .compose(
            v ->
                vertx
                    .eventBus()
                    .request(Addresses.PROJECT_CREATE, new Create(id, request, viewUrl)))
        .onSuccess(
            reply ->
                accepted(
                    ctx,
                    new JsonObject()
                        .put("projectId", id.toString())
                        .put("status", "pending")
                        .put("markersCount", request.photoUrls().size())
                        .put("estimatedTimeSeconds", estimateSeconds(request))
                        .put("statusUrl", "/status/" + id)
                        .put("viewUrl", viewUrl)))
        .onFailure(ctx::fail);
  }

  /** Answers {@code 202 Accepted} with {@code body}. */
  static void accepted(RoutingContext ctx, JsonObject body) {
    ctx.response()
        .setStatusCode(202)
        .putHeader("Content-Type", "application/json")
        .end(body.encode());
  }

  /** The request body as a JSON object; BAD_REQUEST (thrown, so the router fails) if it is not. */
  static JsonObject jsonBody(RoutingContext ctx) {
    try {
      return ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      throw new ServiceException(Code.BAD_REQUEST, "The request body is not valid JSON");
    }
  }

  /** Each named upload exists, in the uploads folder or the bucket; checked one after another. */
  private Future<Void> checkFiles(CompileRequest request) {
    return check("photoUrls", request.photoUrls())
        .compose(v -> check("videoUrls", request.videoUrls()))
        .compose(v -> check("maskUrls", request.maskUrls()));
  }

  private Future<Void> check(String field, List<String> urls) {
    Future<Void> chain = Future.succeededFuture();
    for (String url : urls) {
      chain = chain.compose(v -> uploads.check(field, url));
    }
    return chain;
  }

  /** Per photo: its target and, since the quality step, about 1.5 s of quality report. */
  private static int estimateSeconds(CompileRequest request) {
    return 3 + request.photoUrls().size() * (request.videoUrls().isEmpty() ? 3 : 8);
  }

  private String viewUrl(UUID id) {
    if (publicArtifacts.isPresent()) {
      return publicArtifacts.get() + "/" + id + "/index.html";
    }
    String base = frontendUrl.toString().replaceAll("/+$", "");
    return base + "/ar/view/" + id;
  }

  void status(RoutingContext ctx) {
    this.<JsonObject>ask(ctx, Addresses.PROJECT_STATUS).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  void logs(RoutingContext ctx) {
    this.<JsonArray>ask(ctx, Addresses.PROJECT_LOGS)
        .onSuccess(
            logs ->
                ctx.json(new JsonObject().put("projectId", ctx.pathParam("id")).put("logs", logs)))
        .onFailure(ctx::fail);
  }

  private <T> Future<T> ask(RoutingContext ctx, String address) {
    boolean full = fullView.test(ctx);
    SecurityHeaders.dependsOnCredentials(ctx.response(), full);
    Optional<UUID> id = ProjectVerticle.parseId(ctx.pathParam("id"));
    if (id.isEmpty()) {
      return Future.failedFuture(new ServiceException(Code.NOT_FOUND, "Project not found"));
    }
    return vertx.eventBus().<T>request(address, new Find(id.get(), full)).map(Message::body);
  }
}
