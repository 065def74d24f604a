package com.arservice.http;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Validators and caching headers for artifacts, which never change in place (a recompile publishes
 * a new folder): {@code ETag} from size and modification time, {@code Last-Modified}, {@code
 * Cache-Control}, and {@code 304} for a matching {@code If-None-Match}. The file is looked up
 * afresh on every request, so one asked for before it was published is found once it is; the static
 * handler then serves it, ranges included, with its own cache off (it would remember a miss for
 * good).
 */
final class ArtifactETag implements Handler<RoutingContext> {
  private final Vertx vertx;
  private final Path storage;
  private final long maxAgeSeconds;

  ArtifactETag(Vertx vertx, Path storage, long maxAgeSeconds) {
    this.vertx = vertx;
    this.storage = storage;
    this.maxAgeSeconds = maxAgeSeconds;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Path file = storage.resolve(ctx.<String>get(ArtifactPath.RELATIVE)).normalize();
    if (!file.startsWith(storage)) {
      ctx.next();
      return;
    }
    vertx
        .fileSystem()
        .props(file.toString())
        .onComplete(
            ar -> {
              if (ar.failed() || !ar.result().isRegularFile()) {
                ctx.next();
                return;
              }
              String etag =
                  "W/\""
                      + Long.toHexString(ar.result().size())
                      + "-"
                      + Long.toHexString(ar.result().lastModifiedTime())
                      + "\"";
              ctx.response()
                  .putHeader("ETag", etag)
                  .putHeader(
                      "Last-Modified",
                      DateTimeFormatter.RFC_1123_DATE_TIME.format(
                          Instant.ofEpochMilli(ar.result().lastModifiedTime())
                              .atOffset(ZoneOffset.UTC)))
                  .putHeader("Cache-Control", "public, max-age=" + maxAgeSeconds);
              String ifNoneMatch = ctx.request().getHeader("If-None-Match");
              if (ifNoneMatch != null && (ifNoneMatch.equals(etag) || ifNoneMatch.equals("*"))) {
                ctx.response().setStatusCode(304).end();
              } else {
                ctx.next();
              }
            });
  }
}
