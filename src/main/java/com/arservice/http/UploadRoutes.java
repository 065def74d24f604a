package com.arservice.http;

import com.arservice.common.ServiceException;
import com.arservice.common.ServiceException.Code;
import com.arservice.files.AtomicMove;
import com.arservice.imageio.ImageFormat;
import com.arservice.project.UploadPaths;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code POST /uploads}: one photo, video or mask, as multipart form data or as the whole body (any
 * other content type), stored under the shared uploads folder with a generated name whose extension
 * comes from the file's real type (its first bytes), never from the client. Both kinds of body
 * stream to a file in {@code .incoming} beside the uploads, never into the heap.
 */
final class UploadRoutes {
  /** What we accept, by magic bytes. */
  enum Kind {
    JPEG("jpg", "image"),
    PNG("png", "image"),
    MP4("mp4", "video"),
    MOV("mov", "video"),
    WEBM("webm", "video");

    final String extension;
    final String media;

    Kind(String extension, String media) {
      this.extension = extension;
      this.media = media;
    }
  }

  private final Vertx vertx;
  private final UploadPaths uploads;
  private final long maxBytes;

  UploadRoutes(Vertx vertx, UploadPaths uploads, long maxBytes) {
    this.vertx = vertx;
    this.uploads = uploads;
    this.maxBytes = maxBytes;
  }

  void upload(RoutingContext ctx) {
    List<FileUpload> files = ctx.fileUploads();
    if (files.size() != 1) {
      ctx.fail(
          new ServiceException(
              Code.BAD_REQUEST, "Send exactly one file per request, as multipart form data"));
      return;
    }
    FileUpload file = files.get(0);
    vertx
        .executeBlocking(() -> store(Path.of(file.uploadedFileName())), false)
        .onSuccess(stored -> created(ctx, stored))
        .onFailure(ctx::fail);
  }

  /**
   * A body that is the file itself: streamed to {@code .incoming}, then stored like a multipart
   * one.
   */
  void uploadRaw(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null && length.matches("\\d{1,18}") && Long.parseLong(length) > maxBytes) {
      ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
      ctx.fail(tooLarge());
      return;
    }
    // no chunk may pass before the file is open to take it
    request.pause();
    String part = uploads.incoming().resolve(UUID.randomUUID().toString()).toString();
    vertx
        .fileSystem()
        .mkdirs(uploads.incoming().toString())
        .compose(
            v -> vertx.fileSystem().open(part, new OpenOptions().setCreateNew(true).setWrite(true)))
        .compose(file -> receive(ctx, file))
        .compose(v -> vertx.executeBlocking(() -> store(Path.of(part)), false))
        .onSuccess(stored -> created(ctx, stored))
        .onFailure(e -> vertx.fileSystem().delete(part).onComplete(deleted -> ctx.fail(e)));
  }

  /**
   * Writes the request body into {@code file} with back-pressure, at most {@code maxBytes}; closes
   * the file.
   */
  private Future<Void> receive(RoutingContext ctx, AsyncFile file) {
    HttpServerRequest request = ctx.request();
    Promise<Void> received = Promise.promise();
    long[] size = {0};
    file.exceptionHandler(received::tryFail);
    request.exceptionHandler(received::tryFail);
    request.handler(
        chunk -> {
          size[0] += chunk.length();
          if (received.future().isComplete()) {
            return;
          }
          if (size[0] > maxBytes) {
            // the rest of the body is not read: the connection closes after the answer
            ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
            received.tryFail(tooLarge());
            return;
          }
          file.write(chunk).onFailure(received::tryFail);
          if (file.writeQueueFull()) {
            request.pause();
            file.drainHandler(v -> request.resume());
          }
        });
    request.endHandler(v -> received.tryComplete());
    request.resume();
    // closing flushes the last writes, so a full disk may show only here
    return received
        .future()
        .transform(
            body ->
                file.close()
                    .transform(
                        closed ->
                            body.failed()
                                ? Future.failedFuture(body.cause())
                                : closed.failed()
                                    ? Future.failedFuture(closed.cause())
                                    : Future.succeededFuture()));
  }

  private ServiceException tooLarge() {
    return new ServiceException(
        Code.TOO_LARGE, "The file is larger than " + maxBytes / (1024 * 1024) + " MB");
  }

  private static void created(RoutingContext ctx, JsonObject stored) {
    ctx.response()
        .setStatusCode(201)
        .putHeader("Content-Type", "application/json")
        .end(stored.encode());
  }

  private JsonObject store(Path uploaded) throws IOException {
    Kind kind = sniff(uploaded);
    if (kind == null) {
      throw new ServiceException(
          Code.BAD_REQUEST, "Only JPEG or PNG photos and MP4, MOV or WebM videos can be uploaded");
    }
    String name = UploadPaths.generatedName(kind.extension);
    Files.createDirectories(uploads.root());
    Path target = uploads.root().resolve(name);
    AtomicMove.move(uploaded, target);
    return new JsonObject()
        .put("url", UploadPaths.PREFIX + name)
        .put("type", kind.media)
        .put("size", Files.size(target));
  }

  /**
   * The kind of the file's content: images as {@link ImageFormat} tells them, videos by their
   * container's magic.
   */
  static Kind sniff(Path file) throws IOException {
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(ImageFormat.HEAD_BYTES);
    }
    Optional<ImageFormat> image = ImageFormat.sniff(head);
    if (image.isPresent()) {
      return image.get() == ImageFormat.JPEG ? Kind.JPEG : Kind.PNG;
    }
    int n = head.length;
    if (n >= 4
        && (head[0] & 0xFF) == 0x1A
        && (head[1] & 0xFF) == 0x45
        && (head[2] & 0xFF) == 0xDF
        && (head[3] & 0xFF) == 0xA3) {
      return Kind.WEBM;
    }
    if (n >= 12 && head[4] == 'f' && head[5] == 't' && head[6] == 'y' && head[7] == 'p') {
      String brand = new String(head, 8, 4, StandardCharsets.US_ASCII);
      return brand.startsWith("qt") ? Kind.MOV : Kind.MP4;
    }
    return null;
  }
}
