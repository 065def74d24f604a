package com.arservice.http;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

import java.nio.file.Path;

/**
 * A validator for artifacts, which never change in place (a recompile publishes a new folder):
 * {@code ETag} from size and modification time, and {@code 304} for a matching
 * {@code If-None-Match}. The static handler then serves the file, ranges included.
 */
final class ArtifactETag implements Handler<RoutingContext> {
  private final Vertx vertx;
  private final Path storage;
  private final String prefix;

  ArtifactETag(Vertx vertx, Path storage, String prefix) {
    this.vertx = vertx;
    this.storage = storage;
    this.prefix = prefix;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String path = ctx.normalizedPath();
    Path file = storage.resolve(path.substring(prefix.length())).normalize();
    if (!path.startsWith(prefix) || !file.startsWith(storage)) {
      ctx.next();
      return;
    }
    vertx.fileSystem().props(file.toString()).onComplete(ar -> {
      if (ar.failed() || !ar.result().isRegularFile()) {
        ctx.next();
        return;
      }
      String etag = "W/\"" + Long.toHexString(ar.result().size()) + "-" + Long.toHexString(ar.result().lastModifiedTime())
          + "\"";
      ctx.response().putHeader("ETag", etag);
      String ifNoneMatch = ctx.request().getHeader("If-None-Match");
      if (ifNoneMatch != null && (ifNoneMatch.equals(etag) || ifNoneMatch.equals("*"))) {
        ctx.response().setStatusCode(304).end();
      } else {
        ctx.next();
      }
    });
  }
}
