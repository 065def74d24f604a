package com.arservice.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A stand-in for the shop backend on loopback: records every webhook request and checks its
 * Standard Webhooks signature with its own verifier (written from the specification, not from the
 * service's signer). By default it answers 200 to a verified request and 401 otherwise.
 */
public final class WebhookReceiver implements AutoCloseable {
  /** Signatures older or newer than this are refused, as the specification recommends. */
  public static final Duration TOLERANCE = Duration.ofMinutes(5);

  /**
   * One request as received: {@code verified} = its signature matched one of the receiver's
   * secrets; {@code status} = what the receiver answered.
   */
  public record Request(
      String path,
      String id,
      String timestamp,
      String signature,
      String secretHeader,
      String body,
      boolean verified,
      int status) {}

  /** What the receiver answers. */
  public record Answer(int status, Map<String, String> headers) {
    public static Answer of(int status) {
      return new Answer(status, Map.of());
    }
  }

  private final HttpServer server;
  private final List<Request> received = new CopyOnWriteArrayList<>();
  private final List<String> secrets;
  private final Clock clock;
  private volatile Function<Request, Answer> answers = r -> Answer.of(r.verified() ? 200 : 401);

  private WebhookReceiver(Vertx vertx, int port, Clock clock, List<String> secrets) {
    this.clock = clock;
    this.secrets = secrets;
    this.server = vertx.createHttpServer().requestHandler(this::handle);
    server.listen(port, "127.0.0.1").await();
  }

  /** Listens on {@code port} (0 = any free port) with the given secrets. */
  public static WebhookReceiver start(Vertx vertx, int port, Clock clock, String... secrets) {
    return new WebhookReceiver(vertx, port, clock, List.of(secrets));
  }

  public int port() {
    return server.actualPort();
  }

  /** The value for {@code BACKEND_URL}. */
  public String url() {
    return "http://127.0.0.1:" + port();
  }

  public void answer(Function<Request, Answer> answers) {
    this.answers = answers;
  }

  public List<Request> received() {
    return new ArrayList<>(received);
  }

  /** The webhook ids of the requests answered 2xx, one entry per request. */
  public List<String> acceptedIds() {
    return received.stream().filter(r -> r.status() / 100 == 2).map(Request::id).toList();
  }

  private void handle(HttpServerRequest req) {
    req.body()
        .onSuccess(
            buffer -> {
              String body = buffer.toString(StandardCharsets.UTF_8);
              String id = req.getHeader("webhook-id");
              String timestamp = req.getHeader("webhook-timestamp");
              String signature = req.getHeader("webhook-signature");
              boolean verified = verify(secrets, id, timestamp, signature, body, clock);
              Request r =
                  new Request(
                      req.path(),
                      id,
                      timestamp,
                      signature,
                      req.getHeader("X-Webhook-Secret"),
                      body,
                      verified,
                      0);
              Answer a = answers.apply(r);
              received.add(
                  new Request(
                      r.path(),
                      id,
                      timestamp,
                      signature,
                      r.secretHeader(),
                      body,
                      verified,
                      a.status()));
              req.response().setStatusCode(a.status());
              a.headers().forEach(req.response()::putHeader);
              req.response().end("{\"answer\":" + a.status() + "}");
            });
  }

  /**
   * Standard Webhooks verification: the timestamp within {@link #TOLERANCE} of now, and one of the
   * space-separated {@code v1,<base64>} signatures equal to HMAC-SHA256 of {@code
   * id.timestamp.body} under one of {@code secrets} ({@code whsec_} secrets are base64 keys).
   */
  public static boolean verify(
      List<String> secrets,
      String id,
      String timestamp,
      String signatureHeader,
      String body,
      Clock clock) {
    if (id == null || timestamp == null || signatureHeader == null) {
      return false;
    }
    long seconds;
    try {
      seconds = Long.parseLong(timestamp);
    } catch (NumberFormatException e) {
      return false;
    }
    if (Math.abs(clock.instant().getEpochSecond() - seconds) > TOLERANCE.toSeconds()) {
      return false;
    }
    byte[] signed = (id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8);
    for (String secret : secrets) {
      byte[] expected = hmac(secret, signed);
      for (String part : signatureHeader.split(" ")) {
        String[] versioned = part.split(",", 2);
        if (versioned.length == 2
            && "v1".equals(versioned[0])
            && MessageDigest.isEqual(expected, Base64.getDecoder().decode(versioned[1]))) {
          return true;
        }
      }
    }
    return false;
  }

  private static byte[] hmac(String secret, byte[] content) {
    try {
      byte[] key =
          secret.startsWith("whsec_")
              ? Base64.getDecoder().decode(secret.substring(6))
              : secret.getBytes(StandardCharsets.UTF_8);
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(content);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.close().await();
  }
}
