package com.arservice.http;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;

/**
 * How artifacts travel: a target file ({@code .mind}) whose gzip copy exists goes gzipped to a
 * client that accepts gzip and asks for the whole file ({@code Content-Length} of the copy, the
 * browser's fetch unpacks it for MindAR's loader); ranges and everything else go as stored, never
 * compressed again by the server (videos and images are compressed already).
 */
final class ArtifactEncoding implements Handler<RoutingContext> {
  private static final String TARGET = ".mind";

  private final Vertx vertx;
  private final Path storage;

  ArtifactEncoding(Vertx vertx, Path storage) {
    this.vertx = vertx;
    this.storage = storage;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String relative = ctx.get(ArtifactPath.RELATIVE);
    if (!relative.endsWith(TARGET)) {
      ctx.response().putHeader("Content-Encoding", "identity");
      ctx.next();
      return;
    }
    ctx.response().putHeader("Vary", "Accept-Encoding");
    Path gz = storage.resolve(relative + ".gz").normalize();
    boolean wantsGzip =
        "gzip".equals(StaticAssets.choose(ctx.request().getHeader("Accept-Encoding"), false, true));
    if (!wantsGzip || ctx.request().getHeader("Range") != null || !gz.startsWith(storage)) {
      ctx.response().putHeader("Content-Encoding", "identity");
      ctx.next();
      return;
    }
    vertx
        .fileSystem()
        .exists(gz.toString())
        .onComplete(
            exists -> {
              if (exists.failed() || !exists.result() || ctx.response().ended()) {
                ctx.response().putHeader("Content-Encoding", "identity");
                ctx.next();
                return;
              }
              ctx.response()
                  .putHeader("Content-Encoding", "gzip")
                  .putHeader("Content-Type", "application/octet-stream");
              if ("HEAD".equals(ctx.request().method().name())) {
                vertx
                    .fileSystem()
                    .props(gz.toString())
                    .onSuccess(
                        p ->
                            ctx.response()
                                .putHeader("Content-Length", Long.toString(p.size()))
                                .end())
                    .onFailure(ctx::fail);
              } else {
                ctx.response().sendFile(gz.toString()).onFailure(ctx::fail);
              }
            });
  }
}
