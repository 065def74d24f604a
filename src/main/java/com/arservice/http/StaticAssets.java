package com.arservice.http;

import com.arservice.viewer.ViewerPage;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The packaged static files of one class-path folder ({@code webroot/vendor}, {@code
 * webroot/viewer}) with the brotli and gzip copies the build made beside them, chosen by the
 * request's {@code Accept-Encoding} (identity for a client that accepts neither), with {@code
 * Vary}, a strong {@code ETag} per encoding and {@code 304}s. The set of files is fixed by the
 * build, so each is read once and kept.
 *
 * <p>{@code immutable} decides the caching: files whose URL changes with their content (the
 * versioned libraries, or any request carrying the file's {@link ViewerPage#version} as {@code
 * ?v=}) are cached for a year; others must be revalidated.
 */
final class StaticAssets implements Handler<RoutingContext> {
  private static final String YEAR = "public, max-age=31536000, immutable";
  private static final Map<String, String> TYPES =
      Map.of(
          "js", "text/javascript; charset=utf-8",
          "json", "application/json; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "html", "text/html; charset=utf-8",
          "txt", "text/plain; charset=utf-8",
          "png", "image/png",
          "svg", "image/svg+xml");

  /** One file: its bytes in each encoding the build made, and its content hash. */
  private record Asset(String type, String hash, Buffer identity, Buffer br, Buffer gzip) {}

  private final Vertx vertx;
  private final String folder;
  private final String prefix;
  private final boolean versionedPaths;

  /** The files found so far; misses are not kept, so no request can grow the map. */
  private final Map<String, Asset> assets = new ConcurrentHashMap<>();

  /**
   * @param prefix the URL path the folder is mounted at, with its trailing slash
   * @param versionedPaths whether the paths themselves name a version (the vendored libraries)
   */
  StaticAssets(Vertx vertx, String folder, String prefix, boolean versionedPaths) {
    this.vertx = vertx;
    this.folder = folder;
    this.prefix = prefix;
    this.versionedPaths = versionedPaths;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String path = ctx.normalizedPath();
    if (!path.startsWith(prefix) || path.contains("..") || path.endsWith("/")) {
      ctx.next();
      return;
    }
    String name = path.substring(prefix.length());
    Asset cached = assets.get(name);
    if (cached != null) {
      send(ctx, Optional.of(cached));
      return;
    }
    vertx
        .executeBlocking(() -> load(name), false)
        .onSuccess(
            asset -> {
              asset.ifPresent(a -> assets.putIfAbsent(name, a));
              send(ctx, asset);
            })
        .onFailure(ctx::fail);
  }

  private void send(RoutingContext ctx, Optional<Asset> found) {
    if (found.isEmpty()) {
      ctx.next();
      return;
    }
    Asset asset = found.get();
    String encoding = choose(ctx.request().getHeader("Accept-Encoding"), asset);
    Buffer body =
        switch (encoding) {
          case "br" -> asset.br();
          case "gzip" -> asset.gzip();
          default -> asset.identity();
        };
    String etag = "\"" + asset.hash().substring(0, 16) + "-" + encoding + "\"";
    String version = ctx.request().getParam("v");
    boolean immutable = versionedPaths || asset.hash().substring(0, 12).equals(version);
    var response =
        ctx.response()
            .putHeader("Content-Type", asset.type())
            .putHeader("Vary", "Accept-Encoding")
            .putHeader("ETag", etag)
            .putHeader("Cache-Control", immutable ? YEAR : "public, no-cache")
            // names the encoding of the body; "identity" also keeps the server from compressing it
            .putHeader("Content-Encoding", encoding);
    String ifNoneMatch = ctx.request().getHeader("If-None-Match");
    if (ifNoneMatch != null && ifNoneMatch.contains(etag)) {
      response.setStatusCode(304).end();
    } else if (ctx.request().method().name().equals("HEAD")) {
      response.putHeader("Content-Length", Integer.toString(body.length())).end();
    } else {
      response.end(body);
    }
  }

  /** br, then gzip, where the client takes them (q above 0) and the build made them. */
  static String choose(String acceptEncoding, boolean hasBr, boolean hasGzip) {
    if (acceptEncoding == null) {
      return "identity";
    }
    boolean br = false;
    boolean gzip = false;
    for (String part : acceptEncoding.toLowerCase().split(",")) {
      String[] fields = part.trim().split(";");
      boolean wanted = true;
      for (int i = 1; i < fields.length; i++) {
        String f = fields[i].trim();
        if (f.startsWith("q=")) {
          try {
            wanted = Double.parseDouble(f.substring(2)) > 0;
          } catch (NumberFormatException e) {
            wanted = false;
          }
        }
      }
      br |= wanted && (fields[0].equals("br") || fields[0].equals("*"));
      gzip |= wanted && (fields[0].equals("gzip") || fields[0].equals("*"));
    }
    return br && hasBr ? "br" : gzip && hasGzip ? "gzip" : "identity";
  }

  private static String choose(String acceptEncoding, Asset asset) {
    return choose(acceptEncoding, asset.br() != null, asset.gzip() != null);
  }

  private Optional<Asset> load(String name) {
    String resource = folder + "/" + name;
    byte[] bytes = read(resource);
    if (bytes == null) {
      return Optional.empty();
    }
    String ext = name.substring(name.lastIndexOf('.') + 1);
    byte[] br = read(resource + ".br");
    byte[] gz = read(resource + ".gz");
    return Optional.of(
        new Asset(
            TYPES.getOrDefault(ext, "application/octet-stream"),
            sha256(bytes),
            Buffer.buffer(bytes),
            br == null ? null : Buffer.buffer(br),
            gz == null ? null : Buffer.buffer(gz)));
  }

  private static byte[] read(String resource) {
    try (InputStream in = StaticAssets.class.getClassLoader().getResourceAsStream(resource)) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
