package com.arservice.http;

import com.arservice.common.ServiceException;
import com.arservice.common.ServiceException.Code;
import io.vertx.core.Future;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The console's sign-in: {@code AR_API_TOKEN} given once becomes a session cookie (HttpOnly,
 * SameSite=Strict, Secure behind https) that stands for the token on the API's guarded routes. The
 * cookie holds a random 256-bit secret; PostgreSQL keeps its SHA-256 with the expiry and a
 * fingerprint of the token ({@link SessionStore}), so every process on the database accepts it,
 * signing out deletes it everywhere, and a new token ends all sessions. A browser sends a
 * SameSite=Strict cookie only from the service's own pages, and the console's writes also carry
 * {@link #CSRF_HEADER}, which no other site can add without a CORS preflight the service never
 * grants.
 */
final class ConsoleSession {
  static final String COOKIE = "ar_console";
  static final String CSRF_HEADER = "X-AR-Console";
  static final Duration LIFETIME = Duration.ofHours(12);
  private static final int SECRET_BYTES = 32;

  /** A secret as the cookie carries it: 32 bytes, base64url without padding. */
  private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9_-]{43}");

  private final Optional<byte[]> token;
  private final Optional<String> fingerprint;
  private final SessionStore store;
  private final AuthThrottle throttle;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  ConsoleSession(Optional<String> token, SessionStore store, AuthThrottle throttle, Clock clock) {
    this.token = token.map(t -> t.getBytes(StandardCharsets.UTF_8));
    this.fingerprint = this.token.map(ConsoleSession::fingerprint);
    this.store = store;
    this.throttle = throttle;
    this.clock = clock;
  }

  /** Whether the request carries a session cookie at all, valid or not. */
  static boolean presented(RoutingContext ctx) {
    Cookie cookie = ctx.request().getCookie(COOKIE);
    return cookie != null && !cookie.getValue().isEmpty();
  }

  /**
   * Whether a request the cookie stands for may do what it asks: reads, or the console's writes.
   */
  static boolean fromConsole(RoutingContext ctx) {
    HttpMethod m = ctx.request().method();
    return m == HttpMethod.GET
        || m == HttpMethod.HEAD
        || ctx.request().getHeader(CSRF_HEADER) != null;
  }

  /** Whether the request's cookie names a live session made with the current token. */
  Future<Boolean> live(RoutingContext ctx) {
    Optional<String> id = sessionId(ctx);
    if (fingerprint.isEmpty() || id.isEmpty()) {
      return Future.succeededFuture(false);
    }
    return store.live(id.get(), fingerprint.get(), clock.instant());
  }

  /** {@code GET /admin/session}: is the console enabled, and is this browser signed in? */
  void state(RoutingContext ctx) {
    live(ctx)
        .onSuccess(
            signedIn -> {
              ctx.response().putHeader("Cache-Control", "no-store");
              ctx.json(
                  new JsonObject().put("enabled", token.isPresent()).put("signedIn", signedIn));
            })
        .onFailure(ctx::fail);
  }

  /** {@code POST /admin/session} with {@code {token}}: a new session's cookie, or 401. */
  void signIn(RoutingContext ctx) {
    if (token.isEmpty()) {
      throw new ServiceException(
          Code.CONFLICT, "The console is disabled: AR_API_TOKEN is not set on the server");
    }
    if (ctx.request().getHeader(CSRF_HEADER) == null) {
      throw new ServiceException(Code.BAD_REQUEST, "Sign in from the console page");
    }
    throttle.check(ctx);
    String given = ProjectRoutes.jsonBody(ctx).getString("token", "");
    if (!MessageDigest.isEqual(token.get(), given.getBytes(StandardCharsets.UTF_8))) {
      throttle.failed(ctx);
      throw new ServiceException(Code.UNAUTHORIZED, "That is not the API token");
    }
    throttle.succeeded(ctx);
    byte[] bytes = new byte[SECRET_BYTES];
    random.nextBytes(bytes);
    String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    Instant now = clock.instant();
    store
        .add(hash(secret), fingerprint.orElseThrow(), now, now.plus(LIFETIME))
        .onSuccess(
            v -> {
              ctx.response()
                  .addCookie(cookie(secret, LIFETIME.toSeconds(), secure(ctx)))
                  .putHeader("Cache-Control", "no-store");
              ctx.json(new JsonObject().put("enabled", true).put("signedIn", true));
            })
        .onFailure(ctx::fail);
  }

  /** {@code DELETE /admin/session}: the session ends, here and in every process. */
  void signOut(RoutingContext ctx) {
    sessionId(ctx)
        .map(store::remove)
        .orElse(Future.succeededFuture())
        .onSuccess(
            v -> {
              ctx.response().addCookie(cookie("", 0, secure(ctx)));
              ctx.json(new JsonObject().put("enabled", token.isPresent()).put("signedIn", false));
            })
        .onFailure(ctx::fail);
  }

  /** The stored id of the cookie's session: the SHA-256 of its secret, if it looks like one. */
  private static Optional<String> sessionId(RoutingContext ctx) {
    Cookie cookie = ctx.request().getCookie(COOKIE);
    return cookie == null || !SECRET.matcher(cookie.getValue()).matches()
        ? Optional.empty()
        : Optional.of(hash(cookie.getValue()));
  }

  private static Cookie cookie(String value, long maxAge, boolean secure) {
    return Cookie.cookie(COOKIE, value)
        .setPath("/")
        .setHttpOnly(true)
        .setSameSite(CookieSameSite.STRICT)
        .setSecure(secure)
        .setMaxAge(maxAge);
  }

  /** Over TLS here, or behind a proxy that received https. */
  private static boolean secure(RoutingContext ctx) {
    return ctx.request().isSSL()
        || "https".equalsIgnoreCase(ctx.request().getHeader("X-Forwarded-Proto"));
  }

  private static String hash(String secret) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** Names the token without revealing it: an HMAC keyed by it. */
  private static String fingerprint(byte[] token) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(token, "HmacSHA256"));
      byte[] tag = mac.doFinal("ar-console-session".getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(tag);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
    }
  }
}
