package com.arservice.http;

import com.arservice.common.ServiceException;
import com.arservice.common.ServiceException.Code;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The console's sign-in: {@code AR_API_TOKEN} given once becomes a session cookie (HttpOnly,
 * SameSite=Strict, Secure behind https) that stands for the token on the API's guarded routes. The
 * cookie is {@code <expiry>.<HMAC-SHA256 of it keyed by the token>}, so every process with the same
 * token accepts it and a new token ends all sessions. A browser sends a SameSite=Strict cookie only
 * from the service's own pages, and the console's writes also carry {@link #CSRF_HEADER}, which no
 * other site can add without a CORS preflight the service never grants.
 */
final class ConsoleSession {
  static final String COOKIE = "ar_console";
  static final String CSRF_HEADER = "X-AR-Console";
  static final Duration LIFETIME = Duration.ofHours(12);

  private final Optional<byte[]> key;
  private final Clock clock;

  ConsoleSession(Optional<String> token, Clock clock) {
    this.key = token.map(t -> t.getBytes(StandardCharsets.UTF_8));
    this.clock = clock;
  }

  /** Whether the request carries a valid session, and, for a write, the console's header. */
  boolean authorized(RoutingContext ctx) {
    Cookie cookie = ctx.request().getCookie(COOKIE);
    if (key.isEmpty() || cookie == null || !valid(cookie.getValue())) {
      return false;
    }
    HttpMethod m = ctx.request().method();
    boolean safe = m == HttpMethod.GET || m == HttpMethod.HEAD;
    return safe || ctx.request().getHeader(CSRF_HEADER) != null;
  }

  /** {@code GET /admin/session}: is the console enabled, and is this browser signed in? */
  void state(RoutingContext ctx) {
    Cookie cookie = ctx.request().getCookie(COOKIE);
    ctx.response().putHeader("Cache-Control", "no-store");
    ctx.json(
        new JsonObject()
            .put("enabled", key.isPresent())
            .put("signedIn", key.isPresent() && cookie != null && valid(cookie.getValue())));
  }

  /** {@code POST /admin/session} with {@code {token}}: the cookie, or 401. */
  void signIn(RoutingContext ctx) {
    if (key.isEmpty()) {
      throw new ServiceException(
          Code.CONFLICT, "The console is disabled: AR_API_TOKEN is not set on the server");
    }
    if (ctx.request().getHeader(CSRF_HEADER) == null) {
      throw new ServiceException(Code.BAD_REQUEST, "Sign in from the console page");
    }
    String given = ProjectRoutes.jsonBody(ctx).getString("token", "");
    if (!MessageDigest.isEqual(key.get(), given.getBytes(StandardCharsets.UTF_8))) {
      throw new ServiceException(Code.UNAUTHORIZED, "That is not the API token");
    }
    long expires = clock.instant().plus(LIFETIME).getEpochSecond();
    ctx.response()
        .addCookie(cookie(expires + "." + sign(expires), LIFETIME.toSeconds(), secure(ctx)))
        .putHeader("Cache-Control", "no-store");
    ctx.json(new JsonObject().put("enabled", true).put("signedIn", true));
  }

  /** {@code DELETE /admin/session}: the cookie is dropped. */
  void signOut(RoutingContext ctx) {
    ctx.response().addCookie(cookie("", 0, secure(ctx)));
    ctx.json(new JsonObject().put("enabled", key.isPresent()).put("signedIn", false));
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

  private boolean valid(String value) {
    int dot = value.indexOf('.');
    if (dot <= 0) {
      return false;
    }
    try {
      long expires = Long.parseLong(value.substring(0, dot));
      return expires > clock.instant().getEpochSecond()
          && MessageDigest.isEqual(
              sign(expires).getBytes(StandardCharsets.US_ASCII),
              value.substring(dot + 1).getBytes(StandardCharsets.US_ASCII));
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private String sign(long expires) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.orElseThrow(), "HmacSHA256"));
      byte[] tag = mac.doFinal(("ar-console:" + expires).getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(tag);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
    }
  }
}
