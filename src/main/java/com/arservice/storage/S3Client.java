package com.arservice.storage;

import com.arservice.config.ConfigKeys;
import com.arservice.config.S3Settings;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.w3c.dom.Element;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * Signed requests to one bucket of an S3-compatible server through Vert.x's HTTP client: bodies
 * stream from and to files, never whole into memory. Every answer that is not one the caller
 * expects becomes an {@link S3Exception} with a sentence naming the server and what to check.
 */
public final class S3Client {
  /** How long a request may stay silent before it fails. */
  private static final long IDLE_TIMEOUT_S = 30;

  /**
   * The longest a worker thread waits for one operation; a stalled request already fails after
   * {@link #IDLE_TIMEOUT_S}, so this only guards against a completion that never comes.
   */
  private static final long BLOCKING_TIMEOUT_S = 3600;

  private static final int ERROR_BODY_LIMIT = 64 * 1024;

  private final Vertx vertx;
  private final S3Settings settings;
  private final HttpClient http;
  private final S3Signer signer;
  private final Context own;

  /** What a request sends: nothing, some bytes, or a range of a file. */
  record Payload(Buffer bytes, Path file, long offset, long length) {
    static Payload of(Buffer bytes) {
      return new Payload(bytes, null, 0, bytes.length());
    }

    static Payload of(Path file, long offset, long length) {
      return new Payload(null, file, offset, length);
    }

    ContentStreamProvider content() {
      return file == null
          ? ContentStreamProvider.fromByteArrayUnsafe(bytes.getBytes())
          : S3Signer.fileRange(file, offset, length);
    }
  }

  /** Create it off any Vert.x thread (as the application does at start). */
  public S3Client(Vertx vertx, S3Settings settings) {
    this.vertx = vertx;
    this.settings = settings;
    this.http =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setConnectTimeout(5_000)
                .setIdleTimeout((int) IDLE_TIMEOUT_S)
                .setIdleTimeoutUnit(TimeUnit.SECONDS)
                .setKeepAlive(true),
            new PoolOptions().setHttp1MaxSize(16));
    this.signer =
        new S3Signer(settings.accessKeyId(), settings.secretAccessKey(), settings.region());
    this.own = vertx.getOrCreateContext();
  }

  public Vertx vertx() {
    return vertx;
  }

  public S3Settings settings() {
    return settings;
  }

  /** The URL of {@code key} (empty: the bucket), with an already encoded query if any. */
  URI uri(String key, String query) {
    URI e = settings.endpoint();
    String base = e.toString().replaceAll("/+$", "");
    String path = SdkHttpUtils.urlEncodeIgnoreSlashes(key);
    String url =
        settings.pathStyle()
            ? base + "/" + settings.bucket() + "/" + path
            : e.getScheme()
                + "://"
                + settings.bucket()
                + "."
                + e.getRawAuthority()
                + (e.getRawPath() == null ? "" : e.getRawPath().replaceAll("/+$", ""))
                + "/"
                + path;
    return URI.create(query == null ? url : url + "?" + query);
  }

  static String encode(String value) {
    return SdkHttpUtils.urlEncode(value);
  }

  /**
   * Sends a signed request and, when the answer's status is one of {@code expected}, answers what
   * {@code read} makes of the response (its body, its end...); any other status fails with the
   * server's error code and message. {@code read} runs on the thread the response arrives on: a
   * body whose handlers were set later, from another thread, may already be gone, so a call from
   * outside Vert.x moves the whole exchange onto this client's own context.
   */
  <T> Future<T> send(
      HttpMethod method,
      String key,
      String query,
      MultiMap headers,
      Payload payload,
      Set<Integer> expected,
      Function<HttpClientResponse, Future<T>> read) {
    if (Vertx.currentContext() == null) {
      Promise<T> result = Promise.promise();
      own.runOnContext(
          v -> send(method, key, query, headers, payload, expected, read).onComplete(result));
      return result.future();
    }
    return send(method, key, query, headers, payload, expected).compose(read);
  }

  private Future<HttpClientResponse> send(
      HttpMethod method,
      String key,
      String query,
      MultiMap headers,
      Payload payload,
      Set<Integer> expected) {
    URI uri = uri(key, query);
    MultiMap all = MultiMap.caseInsensitiveMultiMap().addAll(headers);
    if (payload != null) {
      all.set("Content-Length", Long.toString(payload.length()));
    }
    // a file is read through once for the payload's SHA-256: off the event loop
    Future<MultiMap> signed =
        payload != null && payload.file() != null
            ? vertx.executeBlocking(() -> signer.sign(method, uri, all, payload.content()), false)
            : Future.succeededFuture(
                signer.sign(method, uri, all, payload == null ? null : payload.content()));
    return signed
        .compose(
            h ->
                http.request(
                    new RequestOptions()
                        .setMethod(method)
                        .setAbsoluteURI(uri.toString())
                        .setHeaders(h)
                        // waiting for a pooled connection is bounded too, not only a quiet one
                        .setConnectTimeout(IDLE_TIMEOUT_S * 1000)
                        .setIdleTimeout(IDLE_TIMEOUT_S * 1000)))
        .compose(request -> sendBody(request, payload))
        .recover(e -> Future.failedFuture(e instanceof S3Exception ? e : unreachable(e)))
        .compose(
            response ->
                expected.contains(response.statusCode())
                    ? Future.succeededFuture(response)
                    : refused(method, key, response));
  }

  private Future<HttpClientResponse> sendBody(
      io.vertx.core.http.HttpClientRequest request, Payload payload) {
    if (payload == null) {
      return request.send();
    }
    if (payload.file() == null) {
      return request.send(payload.bytes());
    }
    return vertx
        .fileSystem()
        .open(payload.file().toString(), new OpenOptions().setRead(true).setWrite(false))
        .compose(
            file -> {
              file.setReadPos(payload.offset()).setReadLength(payload.length());
              return request.send(file).andThen(done -> file.close());
            });
  }

  /** The error an unexpected answer means: status, the server's code and message, a hint. */
  private Future<HttpClientResponse> refused(
      HttpMethod method, String key, HttpClientResponse response) {
    int status = response.statusCode();
    return response
        .body()
        .otherwiseEmpty()
        .transform(
            body -> {
              String code = null;
              String message = null;
              Buffer xml = body.result();
              if (xml != null && xml.length() > 0 && xml.length() < ERROR_BODY_LIMIT) {
                try {
                  Element error = S3Xml.parse(xml);
                  code = S3Xml.text(error, "Code");
                  message = S3Xml.text(error, "Message");
                } catch (IOException notXml) {
                  // the status alone then
                }
              }
              return Future.failedFuture(
                  new S3Exception(status, refusal(method, key, status, code, message), null));
            });
  }

  private String refusal(HttpMethod method, String key, int status, String code, String message) {
    String hint =
        status == 403
            ? ": check "
                + ConfigKeys.S3_ACCESS_KEY_ID
                + ", "
                + ConfigKeys.S3_SECRET_ACCESS_KEY
                + " and the key's rights on the bucket"
            : "NoSuchBucket".equals(code) || status == 404 && key.isEmpty()
                ? ": check " + ConfigKeys.S3_BUCKET + " and " + ConfigKeys.S3_PATH_STYLE
                : "";
    return "The S3 bucket '"
        + settings.bucket()
        + "' at "
        + settings.endpoint()
        + " refused "
        + method.name()
        + " "
        + (key.isEmpty() ? "/" : key)
        + " with "
        + status
        + (code == null ? "" : " " + code)
        + (message == null ? "" : " (" + message + ")")
        + hint;
  }

  private S3Exception unreachable(Throwable e) {
    return new S3Exception(
        0,
        "The S3 server at "
            + settings.endpoint()
            + " could not be reached: "
            + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()),
        e);
  }

  /** Streams a response's body into a new file at {@code target} (replacing one there). */
  Future<Void> saveBody(HttpClientResponse response, Path target) {
    response.pause();
    return vertx
        .fileSystem()
        .open(
            target.toString(),
            new OpenOptions().setWrite(true).setCreate(true).setTruncateExisting(true))
        .compose((AsyncFile file) -> response.pipeTo(file))
        // a body left paused or half read would keep its pooled connection forever
        .onFailure(e -> response.request().reset())
        .recover(e -> Future.failedFuture(e instanceof S3Exception ? e : unreachable(e)));
  }

  /**
   * Waits for an operation started on this client's own event loop: for worker threads (the
   * pipeline) only, whose own context must stay free for nothing; never call it on an event loop.
   */
  public <T> T blocking(Supplier<Future<T>> operation) throws IOException {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException("S3Client.blocking called on an event loop");
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    own.runOnContext(
        v ->
            operation
                .get()
                .onComplete(
                    ar -> {
                      if (ar.succeeded()) {
                        result.complete(ar.result());
                      } else {
                        result.completeExceptionally(ar.cause());
                      }
                    }));
    try {
      return result.get(BLOCKING_TIMEOUT_S, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    } catch (TimeoutException e) {
      throw new S3Exception(
          0, "The S3 server at " + settings.endpoint() + " did not answer in time", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for the S3 server", e);
    }
  }

  public Future<Void> close() {
    return http.close();
  }
}
