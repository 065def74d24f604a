package com.arservice.storage;

import com.arservice.storage.S3Client.Payload;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.w3c.dom.Element;

/**
 * Large files as S3 multipart uploads: parts of {@link #PART_SIZE} sent one after the other, each
 * streamed from its range of the file, then completed in one request, so the object appears whole
 * or not at all. A failed upload is aborted; one a crash interrupted is aborted by the cleanup
 * ({@link #abortBefore}).
 */
final class S3Multipart {
  static final long PART_SIZE = 8L * 1024 * 1024;
  private static final Set<Integer> OK = Set.of(200);
  private static final MultiMap NONE = MultiMap.caseInsensitiveMultiMap();

  private final Vertx vertx;
  private final S3Client client;

  S3Multipart(Vertx vertx, S3Client client) {
    this.vertx = vertx;
    this.client = client;
  }

  Future<Void> upload(String key, Path file, long size, String contentType) {
    return client
        .send(
            HttpMethod.POST,
            key,
            "uploads=",
            MultiMap.caseInsensitiveMultiMap().add("Content-Type", contentType),
            Payload.of(Buffer.buffer()),
            OK,
            HttpClientResponse::body)
        .compose(xml -> parsed(xml, "UploadId"))
        .compose(
            id ->
                parts(key, id, file, size, 1, new ArrayList<>())
                    .compose(etags -> complete(key, id, etags))
                    .recover(e -> abort(key, id).transform(aborted -> Future.failedFuture(e))));
  }

  private Future<List<String>> parts(
      String key, String id, Path file, long size, int number, List<String> etags) {
    long offset = (number - 1) * PART_SIZE;
    if (offset >= size) {
      return Future.succeededFuture(etags);
    }
    return client
        .send(
            HttpMethod.PUT,
            key,
            "partNumber=" + number + "&uploadId=" + S3Client.encode(id),
            NONE,
            Payload.of(file, offset, Math.min(PART_SIZE, size - offset)),
            OK,
            r -> r.end().map(r.getHeader("ETag")))
        .compose(
            etag -> {
              etags.add(etag);
              return parts(key, id, file, size, number + 1, etags);
            });
  }

  private Future<Void> complete(String key, String id, List<String> etags) {
    StringBuilder xml = new StringBuilder("<CompleteMultipartUpload>");
    for (int i = 0; i < etags.size(); i++) {
      xml.append("<Part><PartNumber>")
          .append(i + 1)
          .append("</PartNumber><ETag>")
          .append(S3Xml.escape(etags.get(i)))
          .append("</ETag></Part>");
    }
    xml.append("</CompleteMultipartUpload>");
    return client
        .send(
            HttpMethod.POST,
            key,
            "uploadId=" + S3Client.encode(id),
            MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/xml"),
            Payload.of(Buffer.buffer(xml.toString())),
            OK,
            HttpClientResponse::body)
        .compose(
            answer -> {
              // S3 may answer 200 with an error document when completing fails late
              try {
                Element root = S3Xml.parse(answer);
                return "Error".equals(root.getLocalName())
                    ? Future.failedFuture(
                        new S3Exception(
                            200,
                            "Completing the upload of "
                                + key
                                + " failed: "
                                + S3Xml.text(root, "Message"),
                            null))
                    : Future.succeededFuture();
              } catch (IOException e) {
                return Future.failedFuture(e);
              }
            });
  }

  private Future<Void> abort(String key, String id) {
    return client.send(
        HttpMethod.DELETE,
        key,
        "uploadId=" + S3Client.encode(id),
        NONE,
        null,
        Set.of(200, 204, 404),
        HttpClientResponse::end);
  }

  /** Aborts the unfinished uploads under {@code prefix} begun before {@code before}. */
  Future<Integer> abortBefore(String prefix, Instant before) {
    return client
        .send(
            HttpMethod.GET,
            "",
            "prefix=" + S3Client.encode(prefix) + "&uploads=",
            NONE,
            null,
            OK,
            HttpClientResponse::body)
        .compose(
            xml -> {
              Future<Integer> chain = Future.succeededFuture(0);
              try {
                for (Element u : S3Xml.children(S3Xml.parse(xml), "Upload")) {
                  if (Instant.parse(S3Xml.text(u, "Initiated")).isBefore(before)) {
                    String key = S3Xml.text(u, "Key");
                    String id = S3Xml.text(u, "UploadId");
                    chain = chain.compose(n -> abort(key, id).map(n + 1));
                  }
                }
              } catch (IOException e) {
                return Future.failedFuture(e);
              }
              return chain;
            });
  }

  private static Future<String> parsed(Buffer xml, String element) {
    try {
      String value = S3Xml.text(S3Xml.parse(xml), element);
      return value == null
          ? Future.failedFuture(new IOException("The S3 server's answer has no " + element))
          : Future.succeededFuture(value);
    } catch (IOException e) {
      return Future.failedFuture(e);
    }
  }
}
