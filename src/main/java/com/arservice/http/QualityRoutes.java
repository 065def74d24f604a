package com.arservice.http;

import com.arservice.common.Addresses;
import com.arservice.common.QualityCheck;
import com.arservice.common.ServiceException;
import com.arservice.common.ServiceException.Code;
import com.arservice.project.UploadPaths;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code POST /quality}: the quality report of one photo at once, so the shop can warn while the
 * customer uploads; the photo comes as multipart form data or as {@code {"photoUrl"}} of a file in
 * the uploads folder. The work runs on the quality worker ({@link Addresses#QUALITY_CHECK}).
 */
final class QualityRoutes {
  private static final long TIMEOUT_MS = 60_000;

  private final Vertx vertx;
  private final UploadPaths uploads;

  QualityRoutes(Vertx vertx, UploadPaths uploads) {
    this.vertx = vertx;
    this.uploads = uploads;
  }

  void uploaded(RoutingContext ctx) {
    List<FileUpload> files = ctx.fileUploads();
    if (files.size() != 1) {
      ctx.fail(new ServiceException(Code.BAD_REQUEST, "photo: send exactly one file"));
      return;
    }
    report(ctx, Path.of(files.get(0).uploadedFileName()));
  }

  void byUrl(RoutingContext ctx) {
    JsonObject body = ProjectRoutes.jsonBody(ctx);
    if (body == null || !(body.getValue("photoUrl") instanceof String url)) {
      ctx.fail(new ServiceException(Code.BAD_REQUEST, "photoUrl: required, a string"));
      return;
    }
    vertx
        .executeBlocking(() -> uploads.resolve("photoUrl", url), false)
        .onSuccess(path -> report(ctx, path))
        .onFailure(ctx::fail);
  }

  private void report(RoutingContext ctx, Path photo) {
    vertx
        .eventBus()
        .<QualityCheck.Report>request(
            Addresses.QUALITY_CHECK,
            new QualityCheck(photo),
            new DeliveryOptions().setSendTimeout(TIMEOUT_MS))
        .onSuccess(
            reply ->
                ctx.response()
                    .putHeader("Content-Type", "application/json")
                    .end(reply.body().json()))
        .onFailure(ctx::fail);
  }
}
