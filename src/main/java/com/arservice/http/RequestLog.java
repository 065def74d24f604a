package com.arservice.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line per request once its response has ended: method, path (both as {@link LogText}),
 * status, milliseconds.
 */
final class RequestLog implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger("http");

  @Override
  public void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    ctx.addBodyEndHandler(
        v ->
            LOG.info(
                "{} {} {} {}ms",
                LogText.of(ctx.request().method()),
                LogText.of(ctx.request().path()),
                ctx.response().getStatusCode(),
                (System.nanoTime() - start) / 1_000_000));
    ctx.next();
  }
}
