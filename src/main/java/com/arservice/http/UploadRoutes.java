package com.arservice.http;

import com.arservice.common.ServiceException;
import com.arservice.common.ServiceException.Code;
import com.arservice.imageio.FileType;
import com.arservice.project.UploadPaths;
import com.arservice.storage.UploadStore;
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
    JPEG("jpg", "image", "image/jpeg"),
    PNG("png", "image", "image/png"),
    TIFF("tif", "image", "image/tiff"),
    WEBP("webp", "image", "image/webp"),
    HEIC("heic", "image", "image/heic"),
    AVIF("avif", "image", "image/avif"),
    MP4("mp4", "video", "video/mp4"),
    MOV("mov", "video", "video/quicktime"),
    WEBM("webm", "video", "video/webm");

    final String extension;
    final String media;
    final String contentType;

    Kind(String extension, String media, String contentType) {
      this.extension = extension;
      this.media = media;
      this.contentType = contentType;
    }
  }

  private final Vertx vertx;
  private final UploadStore uploads;
  private final long maxBytes;

  UploadRoutes(Vertx vertx, UploadStore uploads, long maxBytes) {
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
    store(Path.of(file.uploadedFileName()))
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
    Path incoming = uploads.folder().incoming();
    String part = incoming.resolve(UUID.randomUUID().toString()).toString();
    vertx
        .fileSystem()
        .mkdirs(incoming.toString())
        .compose(
            v -> vertx.fileSystem().open(part, new OpenOptions().setCreateNew(true).setWrite(true)))
        .compose(file -> receive(ctx, file))
        .compose(v -> store(Path.of(part)))
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

  /** The received file's kind (from its first bytes) and size. */
  private record Received(Kind kind, long size) {}

  /** Stores a received file under a generated name, in the uploads folder or the bucket. */
  private Future<JsonObject> store(Path uploaded) {
    return vertx
        .executeBlocking(
            () -> {
              Kind kind = kind(FileType.sniff(uploaded));
              return new Received(kind, Files.size(uploaded));
            },
            false)
        .compose(
            received -> {
              String name = UploadPaths.generatedName(received.kind().extension);
              return uploads
                  .store(uploaded, name, received.kind().contentType)
                  .map(
                      v ->
                          new JsonObject()
                              .put("url", UploadPaths.PREFIX + name)
                              .put("type", received.kind().media)
                              .put("size", received.size()));
            });
  }

  /**
   * The kind of an upload of type {@code type} ({@link FileType}, the sniffer the compile step and
   * the command line share).
   *
   * @throws ServiceException bad request for audio (no picture) and types we do not take
   */
  static Kind kind(Optional<FileType> type) {
    if (type.isPresent() && type.get().media() == FileType.Media.AUDIO) {
      throw new ServiceException(
          Code.BAD_REQUEST,
          "The file is "
              + type.get().displayName()
              + " and has no picture: upload a photo or a video");
    }
    if (type.isEmpty()) {
      throw notAccepted();
    }
    return switch (type.get()) {
      case JPEG -> Kind.JPEG;
      case PNG -> Kind.PNG;
      case TIFF -> Kind.TIFF;
      case WEBP -> Kind.WEBP;
      case HEIC -> Kind.HEIC;
      case AVIF -> Kind.AVIF;
      case MP4 -> Kind.MP4;
      case MOV -> Kind.MOV;
      case WEBM -> Kind.WEBM;
      default -> throw notAccepted();
    };
  }

  private static ServiceException notAccepted() {
    return new ServiceException(
        Code.BAD_REQUEST,
        "Only JPEG, PNG, HEIC, AVIF, WebP or TIFF photos and MP4, MOV or WebM videos can be"
            + " uploaded");
  }
}
