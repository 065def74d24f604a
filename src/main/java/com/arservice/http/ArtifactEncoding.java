package com.arservice.http;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How artifacts travel: a target file ({@code .mind}) goes as its brotli copy to a client that
 * accepts brotli, else as its gzip copy to one that accepts gzip, when that copy exists and the
 * client asks for the whole file ({@code Content-Length} of the copy, the browser's fetch unpacks
 * it for MindAR's loader); ranges and everything else go as stored, never compressed again by the
 * server (videos and images are compressed already).
 */
final class ArtifactEncoding implements Handler<RoutingContext> {
  private static final String TARGET = ".mind";

  /** A copy beside the target: its file-name suffix and its {@code Content-Encoding}. */
  private record Copy(String suffix, String encoding) {}

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
    List<Copy> copies = new ArrayList<>();
    if (ctx.request().getHeader("Range") == null) {
      String accepted = ctx.request().getHeader("Accept-Encoding");
      if ("br".equals(StaticAssets.choose(accepted, true, false))) {
        copies.add(new Copy(".br", "br"));
      }
      if ("gzip".equals(StaticAssets.choose(accepted, false, true))) {
        copies.add(new Copy(".gz", "gzip"));
      }
    }
    send(ctx, relative, copies);
  }

  /** The first of {@code copies} that exists, else the target as stored. */
  private void send(RoutingContext ctx, String relative, List<Copy> copies) {
    Path file = copies.isEmpty() ? null : storage.resolve(relative + copies.get(0).suffix());
    if (file == null || !file.normalize().startsWith(storage)) {
      ctx.response().putHeader("Content-Encoding", "identity");
      ctx.next();
      return;
    }
    vertx
        .fileSystem()
        .exists(file.toString())
        .onComplete(
            exists -> {
              if (ctx.response().ended()) {
                return;
              }
              if (exists.failed() || !exists.result()) {
                send(ctx, relative, copies.subList(1, copies.size()));
                return;
              }
              ctx.response()
                  .putHeader("Content-Encoding", copies.get(0).encoding())
                  .putHeader("Content-Type", "application/octet-stream");
              if ("HEAD".equals(ctx.request().method().name())) {
                vertx
                    .fileSystem()
                    .props(file.toString())
                    .onSuccess(
                        p ->
                            ctx.response()
                                .putHeader("Content-Length", Long.toString(p.size()))
                                .end())
                    .onFailure(ctx::fail);
              } else {
                ctx.response().sendFile(file.toString()).onFailure(ctx::fail);
              }
            });
  }
}
