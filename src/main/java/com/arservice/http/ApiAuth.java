package com.arservice.http;

import com.arservice.common.ServiceException;
import com.arservice.common.ServiceException.Code;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * {@code Authorization: Bearer <AR_API_TOKEN>}, compared in constant time, or the console's session
 * cookie: required on write and admin routes ({@link #require}), and what shows a project's status
 * in full ({@link #resolve}). A wrong token or an unknown cookie counts against the client in the
 * {@link AuthThrottle}; a request that presents neither is simply not authorized.
 */
final class ApiAuth {
  /** Set by {@link #resolve}: whether the request may see a project in full. */
  private static final String FULL_VIEW = "ar.fullView";

  private final byte[] expected;
  private final ConsoleSession console;
  private final AuthThrottle throttle;

  ApiAuth(String token, ConsoleSession console, AuthThrottle throttle) {
    this.expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    this.console = console;
    this.throttle = throttle;
  }

  /** A guarded route's first handler: on to the next one with the token, else 401 (or 429). */
  void require(RoutingContext ctx) {
    authorized(ctx)
        .onSuccess(
            ok -> {
              if (ok) {
                ctx.next();
              } else {
                ctx.response().putHeader("WWW-Authenticate", "Bearer");
                ctx.fail(new ServiceException(Code.UNAUTHORIZED, "A valid API token is required"));
              }
            })
        .onFailure(ctx::fail);
  }

  /** Notes for {@link #fullView} whether the request carries the token, then goes on. */
  void resolve(RoutingContext ctx) {
    authorized(ctx)
        .onSuccess(
            ok -> {
              ctx.put(FULL_VIEW, ok);
              ctx.next();
            })
        .onFailure(ctx::fail);
  }

  /** Whether {@link #resolve} found the token (or the console's session) on this request. */
  static boolean fullView(RoutingContext ctx) {
    return Boolean.TRUE.equals(ctx.get(FULL_VIEW));
  }

  /**
   * Whether the request carries the token, or the console's session that stands for it. The request
   * is paused meanwhile (a session is looked up in the database), so a body handler after this one
   * still gets all of the body.
   */
  private Future<Boolean> authorized(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header == null && !ConsoleSession.presented(ctx)) {
      return Future.succeededFuture(false);
    }
    try {
      throttle.check(ctx);
    } catch (ServiceException e) {
      return Future.failedFuture(e);
    }
    if (header != null) {
      boolean ok = MessageDigest.isEqual(expected, header.getBytes(StandardCharsets.UTF_8));
      if (ok) {
        throttle.succeeded(ctx);
      } else {
        throttle.failed(ctx);
      }
      return Future.succeededFuture(ok);
    }
    ctx.request().pause();
    return console
        .live(ctx)
        .map(
            live -> {
              if (live) {
                throttle.succeeded(ctx);
              } else {
                throttle.failed(ctx);
              }
              return live && ConsoleSession.fromConsole(ctx);
            })
        .andThen(
            done -> {
              if (!ctx.request().isEnded()) {
                ctx.request().resume();
              }
            });
  }
}
