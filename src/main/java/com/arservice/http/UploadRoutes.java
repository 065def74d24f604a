package com.arservice.http;

import com.arservice.common.ServiceException;
import com.arservice.common.ServiceException.Code;
import com.arservice.project.UploadPaths;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.UUID;

/**
 * {@code POST /uploads}: one photo, video or mask as multipart form data, stored under the shared
 * uploads folder with a generated name whose extension comes from the file's real type (its first
 * bytes), never from the client.
 */
final class UploadRoutes {
  /** What we accept, by magic bytes. */
  enum Kind {
    JPEG("jpg", "image"), PNG("png", "image"), MP4("mp4", "video"), MOV("mov", "video"), WEBM("webm", "video");

    final String extension;
    final String media;

    Kind(String extension, String media) {
      this.extension = extension;
      this.media = media;
    }
  }

  private final Vertx vertx;
  private final UploadPaths uploads;

  UploadRoutes(Vertx vertx, UploadPaths uploads) {
    this.vertx = vertx;
    this.uploads = uploads;
  }

  void upload(RoutingContext ctx) {
    List<FileUpload> files = ctx.fileUploads();
    if (files.size() != 1) {
      ctx.fail(new ServiceException(Code.BAD_REQUEST, "Send exactly one file per request, as multipart form data"));
      return;
    }
    FileUpload file = files.get(0);
    vertx.executeBlocking(() -> store(Path.of(file.uploadedFileName())), false)
        .onSuccess(stored -> ctx.response().setStatusCode(201).putHeader("Content-Type", "application/json")
            .end(stored.encode()))
        .onFailure(ctx::fail);
  }

  private JsonObject store(Path uploaded) throws IOException {
    Kind kind = sniff(uploaded);
    if (kind == null) {
      throw new ServiceException(Code.BAD_REQUEST, "Only JPEG or PNG photos and MP4, MOV or WebM videos can be uploaded");
    }
    String name = UUID.randomUUID() + "." + kind.extension;
    Files.createDirectories(uploads.root());
    Path target = uploads.root().resolve(name);
    Files.move(uploaded, target, StandardCopyOption.ATOMIC_MOVE);
    return new JsonObject().put("url", UploadPaths.PREFIX + name).put("type", kind.media)
        .put("size", Files.size(target));
  }

  static Kind sniff(Path file) throws IOException {
    byte[] head = new byte[12];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, head.length);
    }
    if (n >= 3 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xD8 && (head[2] & 0xFF) == 0xFF) {
      return Kind.JPEG;
    }
    if (n >= 8 && (head[0] & 0xFF) == 0x89 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G') {
      return Kind.PNG;
    }
    if (n >= 4 && (head[0] & 0xFF) == 0x1A && (head[1] & 0xFF) == 0x45 && (head[2] & 0xFF) == 0xDF
        && (head[3] & 0xFF) == 0xA3) {
      return Kind.WEBM;
    }
    if (n >= 12 && head[4] == 'f' && head[5] == 't' && head[6] == 'y' && head[7] == 'p') {
      String brand = new String(head, 8, 4, java.nio.charset.StandardCharsets.US_ASCII);
      return brand.startsWith("qt") ? Kind.MOV : Kind.MP4;
    }
    return null;
  }
}
