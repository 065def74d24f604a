package com.arservice.storage;

import com.arservice.storage.S3Client.Payload;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.w3c.dom.Element;

/**
 * The service's objects in one bucket, under {@code AR_S3_PREFIX}: artifacts at {@code
 * ar-storage/<id>/<file>}, uploads at {@code uploads/<name>}, the {@code .mind} cache at {@code
 * cache/mind/<key>.mind}. Whole-object operations; a file above {@link #MULTIPART_THRESHOLD} goes
 * up as a multipart upload.
 */
public final class Bucket {
  /** Files larger than this are uploaded in parts. */
  static final long MULTIPART_THRESHOLD = 16L * 1024 * 1024;

  /** The folder of the projects' artifacts, as in the local storage and the public path. */
  public static final String ARTIFACTS = "ar-storage";

  private static final Set<Integer> OK = Set.of(200);
  private static final MultiMap NONE = MultiMap.caseInsensitiveMultiMap();

  /** One listed object. */
  public record Entry(String key, Instant lastModified, long size) {}

  private final Vertx vertx;
  private final S3Client client;
  private final S3Multipart multipart;

  public Bucket(Vertx vertx, S3Client client) {
    this.vertx = vertx;
    this.client = client;
    this.multipart = new S3Multipart(vertx, client);
  }

  public S3Client client() {
    return client;
  }

  /** {@code AR_S3_PREFIX}: where the service's keys begin. */
  public String prefix() {
    return client.settings().prefix();
  }

  /** Where a project's artifacts are: {@code <prefix>ar-storage/<id>/}. */
  public String projectPrefix(UUID id) {
    return prefix() + ARTIFACTS + "/" + id + "/";
  }

  public String uploadKey(String name) {
    return prefix() + "uploads/" + name;
  }

  public String uploadsPrefix() {
    return prefix() + "uploads/";
  }

  public String cacheKey(String name) {
    return prefix() + "cache/mind/" + name;
  }

  /** Stores a file under {@code key}, in parts when it is large; the file is streamed. */
  public Future<Void> put(String key, Path file, String contentType) {
    return vertx
        .fileSystem()
        .props(file.toString())
        .compose(
            props ->
                props.size() > MULTIPART_THRESHOLD
                    ? multipart.upload(key, file, props.size(), contentType)
                    : client.send(
                        HttpMethod.PUT,
                        key,
                        null,
                        type(contentType),
                        Payload.of(file, 0, props.size()),
                        OK,
                        HttpClientResponse::end));
  }

  public Future<Void> put(String key, Buffer data, String contentType) {
    return client.send(
        HttpMethod.PUT,
        key,
        null,
        type(contentType),
        Payload.of(data),
        OK,
        HttpClientResponse::end);
  }

  /**
   * A GET of {@code key} with the given conditional and range headers: the response (200, 206, 304,
   * 404 or 416), body unread, for the caller to stream on: call it on the Vert.x context that reads
   * the body (as a route handler does), which the body arrives on.
   */
  public Future<HttpClientResponse> get(String key, MultiMap headers) {
    return client.send(
        HttpMethod.GET,
        key,
        null,
        headers,
        null,
        Set.of(200, 206, 304, 404, 416),
        Future::succeededFuture);
  }

  /** A small object's bytes, empty when there is none. */
  public Future<Optional<Buffer>> read(String key) {
    return ifPresent(key, Optional.empty(), r -> r.body().map(Optional::of));
  }

  /** Streams an object into {@code target}; false when there is no such object. */
  public Future<Boolean> download(String key, Path target) {
    return ifPresent(key, false, r -> client.saveBody(r, target).map(true));
  }

  /** A GET of {@code key}: what {@code found} makes of its response, or {@code missing}. */
  private <T> Future<T> ifPresent(
      String key, T missing, Function<HttpClientResponse, Future<T>> found) {
    return client.send(
        HttpMethod.GET,
        key,
        null,
        NONE,
        null,
        Set.of(200, 404),
        r -> r.statusCode() == 404 ? r.end().map(missing) : found.apply(r));
  }

  public Future<Boolean> exists(String key) {
    return client.send(
        HttpMethod.HEAD,
        key,
        null,
        NONE,
        null,
        Set.of(200, 404),
        r -> r.end().map(r.statusCode() == 200));
  }

  /** Deletes an object; one that is not there is fine. */
  public Future<Void> delete(String key) {
    return client.send(
        HttpMethod.DELETE, key, null, NONE, null, Set.of(200, 204, 404), HttpClientResponse::end);
  }

  /** Every object whose key starts with {@code prefix}, page by page. */
  public Future<List<Entry>> list(String prefix) {
    return listFrom(prefix, null, new ArrayList<>());
  }

  private Future<List<Entry>> listFrom(String prefix, String token, List<Entry> found) {
    String query =
        "list-type=2&prefix="
            + S3Client.encode(prefix)
            + (token == null ? "" : "&continuation-token=" + S3Client.encode(token));
    return client
        .send(HttpMethod.GET, "", query, NONE, null, OK, HttpClientResponse::body)
        .compose(
            xml -> {
              Element result;
              try {
                result = S3Xml.parse(xml);
              } catch (java.io.IOException e) {
                return Future.failedFuture(e);
              }
              for (Element c : S3Xml.children(result, "Contents")) {
                found.add(
                    new Entry(
                        S3Xml.text(c, "Key"),
                        Instant.parse(S3Xml.text(c, "LastModified")),
                        Long.parseLong(S3Xml.text(c, "Size"))));
              }
              String next = S3Xml.text(result, "NextContinuationToken");
              return "true".equals(S3Xml.text(result, "IsTruncated")) && next != null
                  ? listFrom(prefix, next, found)
                  : Future.succeededFuture(found);
            });
  }

  /** Deletes every object under {@code prefix}; answers how many went. */
  public Future<Integer> deletePrefix(String prefix) {
    return list(prefix).compose(entries -> deleteAll(entries.stream().map(Entry::key).toList()));
  }

  /** Deletes the objects one after the other; answers how many. */
  public Future<Integer> deleteAll(List<String> keys) {
    Future<Void> chain = Future.succeededFuture();
    for (String key : keys) {
      chain = chain.compose(v -> delete(key));
    }
    return chain.map(keys.size());
  }

  /**
   * Aborts multipart uploads under {@code prefix} begun before {@code before}; answers how many.
   */
  public Future<Integer> abortUploadsBefore(String prefix, Instant before) {
    return multipart.abortBefore(prefix, before);
  }

  /** The bucket answers a listing with these credentials: the health check's probe. */
  public Future<Void> probe() {
    return client.send(
        HttpMethod.GET,
        "",
        "list-type=2&max-keys=1&prefix=" + S3Client.encode(prefix()),
        NONE,
        null,
        OK,
        HttpClientResponse::end);
  }

  private static MultiMap type(String contentType) {
    return MultiMap.caseInsensitiveMultiMap().add("Content-Type", contentType);
  }
}
