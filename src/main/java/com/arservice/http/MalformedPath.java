package com.arservice.http;

import com.arservice.common.ServiceException;
import com.arservice.common.ServiceException.Code;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses a path that cannot be decoded (a {@code %} not followed by two hex digits) before any
 * route tries to match it, where it would end as an unhandled exception.
 */
final class MalformedPath {
  private MalformedPath() {}

  static void check(RoutingContext ctx) {
    try {
      ctx.normalizedPath();
    } catch (IllegalArgumentException e) {
      ctx.fail(new ServiceException(Code.BAD_REQUEST, "The request path is malformed"));
      return;
    }
    ctx.next();
  }
}
