package com.arservice.http;

import com.arservice.storage.Bucket;
import com.arservice.storage.S3ArtifactStore;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * {@code /objects/ar-storage/<id>/<file>} served from the bucket: the request's range and
 * conditional headers go to the object's GET, and its status (200, 206, 304, 416), validators and
 * body come back streamed, with back-pressure, plus the artifacts' {@code Cache-Control}. Objects
 * never change in place (a recompile publishes them anew), so the bucket's {@code ETag} is a strong
 * validator. A whole target asked for by a client that accepts brotli or gzip comes from its brotli
 * or gzip copy, as from the local folder.
 */
final class BucketObjects implements Handler<RoutingContext> {
  private static final List<String> FORWARDED =
      List.of("Range", "If-None-Match", "If-Modified-Since", "If-Match", "If-Range");
  private static final List<String> RETURNED =
      List.of(
          "Content-Type",
          "Content-Length",
          "Content-Range",
          "ETag",
          "Last-Modified",
          "Accept-Ranges");

  private static final String TARGET = ".mind";
  private static final String BROTLI = ".br";
  private static final String GZIP = ".gz";

  private final Bucket bucket;
  private final long maxAgeSeconds;

  BucketObjects(Bucket bucket, long maxAgeSeconds) {
    this.bucket = bucket;
    this.maxAgeSeconds = maxAgeSeconds;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String[] parts = ctx.<String>get(ArtifactPath.RELATIVE).split("/");
    UUID id = parts.length == 2 ? uuid(parts[0]) : null;
    if (id == null || !S3ArtifactStore.validName(parts[1])) {
      ctx.next();
      return;
    }
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (String name : FORWARDED) {
      String value = ctx.request().getHeader(name);
      if (value != null) {
        headers.add(name, value);
      }
    }
    String key = bucket.projectPrefix(id) + parts[1];
    boolean target = key.endsWith(TARGET);
    if (target) {
      ctx.response().putHeader("Vary", "Accept-Encoding");
    }
    List<String> copies = new ArrayList<>();
    if (target && headers.get("Range") == null) {
      String accepted = ctx.request().getHeader("Accept-Encoding");
      if ("br".equals(StaticAssets.choose(accepted, true, false))) {
        copies.add(BROTLI);
      }
      if ("gzip".equals(StaticAssets.choose(accepted, false, true))) {
        copies.add(GZIP);
      }
    }
    encoded(key, headers, copies).onSuccess(object -> answer(ctx, object)).onFailure(ctx::fail);
  }

  /**
   * The first of the target's copies the pipeline publishes beside it ({@code .br}, {@code .gz})
   * that the bucket holds, else the target itself.
   */
  private Future<HttpClientResponse> encoded(String key, MultiMap headers, List<String> copies) {
    if (copies.isEmpty()) {
      return bucket.get(key, headers);
    }
    return bucket
        .get(key + copies.get(0), headers)
        .compose(
            copy ->
                copy.statusCode() == 404
                    ? copy.end()
                        .compose(v -> encoded(key, headers, copies.subList(1, copies.size())))
                    : Future.succeededFuture(copy));
  }

  private void answer(RoutingContext ctx, HttpClientResponse object) {
    if (object.statusCode() == 404) {
      object.end().onComplete(done -> ctx.next());
      return;
    }
    HttpServerResponse response = ctx.response().setStatusCode(object.statusCode());
    for (String name : RETURNED) {
      String value = object.getHeader(name);
      if (value != null) {
        response.putHeader(name, value);
      }
    }
    response.putHeader("Cache-Control", "public, max-age=" + maxAgeSeconds);
    String path = object.request().path();
    if (path.endsWith(TARGET + BROTLI) || path.endsWith(TARGET + GZIP)) {
      response
          .putHeader("Content-Encoding", path.endsWith(BROTLI) ? "br" : "gzip")
          .putHeader("Content-Type", "application/octet-stream");
    } else {
      // as stored: the server compresses JSON and pages, never ranges of videos and images
      response.putHeader("Content-Encoding", "identity");
    }
    // a reader that goes away must not leave the bucket's connection half read
    object.pipeTo(response).onFailure(gone -> object.request().reset());
  }

  private static UUID uuid(String text) {
    try {
      UUID id = UUID.fromString(text);
      return id.toString().equals(text) ? id : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
