package com.arservice.http;

import com.arservice.common.ServiceException;
import com.arservice.common.ServiceException.Code;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * {@code Authorization: Bearer <AR_API_TOKEN>}, compared in constant time, or the console's session
 * cookie: required on write and admin routes, and what shows a project's status in full.
 */
final class ApiAuth implements Handler<RoutingContext> {
  private final byte[] expected;
  private final ConsoleSession console;

  ApiAuth(String token, ConsoleSession console) {
    this.expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    this.console = console;
  }

  /** Whether the request carries the token, or the console's session that stands for it. */
  boolean authorized(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    byte[] given = header == null ? new byte[0] : header.getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(expected, given) || console.authorized(ctx);
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (authorized(ctx)) {
      ctx.next();
    } else {
      ctx.response().putHeader("WWW-Authenticate", "Bearer");
      ctx.fail(new ServiceException(Code.UNAUTHORIZED, "A valid API token is required"));
    }
  }
}
