package com.arservice.http;

import com.arservice.common.Addresses;
import com.arservice.common.ServiceException;
import com.arservice.common.ServiceException.Code;
import com.arservice.project.ProjectMessages.Delete;
import com.arservice.project.ProjectMessages.Find;
import com.arservice.project.ProjectMessages.Retry;
import com.arservice.project.ProjectVerticle;
import com.arservice.project.StoredProject;
import com.arservice.storage.ArtifactStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import java.util.UUID;

/** {@code DELETE /projects/:id} and {@code POST /projects/:id/retry} (behind the API token). */
final class ProjectActions {
  /** Why a project deleted through the API is gone, in {@code ar.project.deleted}. */
  static final String DELETE_REASON = "deleted on request";

  /** States in which a compile may still write files, so a delete waits for its end. */
  private static final Set<String> COMPILING = Set.of("pending", "processing");

  private final Vertx vertx;
  private final ArtifactStore artifacts;

  ProjectActions(Vertx vertx, ArtifactStore artifacts) {
    this.vertx = vertx;
    this.artifacts = artifacts;
  }

  /**
   * Files first, then the row (as the demo cleanup does): a failure in between leaves a project
   * that a second delete finishes. Deleting a deleted project removes whatever files are left and
   * emits nothing again.
   */
  void delete(RoutingContext ctx) {
    UUID id = id(ctx);
    vertx
        .eventBus()
        .<StoredProject>request(Addresses.PROJECT_GET, new Find(id, true))
        .map(Message::body)
        .compose(
            project -> {
              if (COMPILING.contains(project.status())) {
                return Future.failedFuture(
                    new ServiceException(
                        Code.CONFLICT,
                        "The project is being compiled; delete it once it is ready or has failed"));
              }
              return artifacts.delete(id);
            })
        .compose(
            files ->
                vertx
                    .eventBus()
                    .<Boolean>request(Addresses.PROJECT_DELETE, new Delete(id, DELETE_REASON))
                    .map(
                        m ->
                            new JsonObject()
                                .put("projectId", id.toString())
                                .put("status", "deleted")
                                .put("filesRemoved", files)
                                .put("alreadyDeleted", !m.body())))
        .onSuccess(ctx::json)
        .onFailure(ctx::fail);
  }

  void retry(RoutingContext ctx) {
    UUID id = id(ctx);
    vertx
        .eventBus()
        .request(Addresses.PROJECT_RETRY, new Retry(id))
        .onSuccess(
            m ->
                ProjectRoutes.accepted(
                    ctx,
                    new JsonObject()
                        .put("projectId", id.toString())
                        .put("status", "pending")
                        .put("statusUrl", "/status/" + id)))
        .onFailure(ctx::fail);
  }

  private static UUID id(RoutingContext ctx) {
    return ProjectVerticle.parseId(ctx.pathParam("id"))
        .orElseThrow(() -> new ServiceException(Code.NOT_FOUND, "Project not found"));
  }
}
