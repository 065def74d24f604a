package com.arservice.http;

import com.arservice.common.ServiceException;
import com.arservice.common.ServiceException.Code;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Optional;

/**
 * Slows down token guessing: a client that failed too often is answered 429 with {@code
 * Retry-After} before its token or cookie is even looked at, the right one included, until its wait
 * is over (see {@link FailureLimiter}).
 */
final class AuthThrottle {
  private final FailureLimiter limiter;
  private final ClientAddress clients;

  AuthThrottle(FailureLimiter limiter, ClientAddress clients) {
    this.limiter = limiter;
    this.clients = clients;
  }

  /** Throws the 429 (with {@code Retry-After} set) while the request's client must wait. */
  void check(RoutingContext ctx) {
    Optional<Duration> wait = limiter.waitFor(clients.of(ctx.request()));
    if (wait.isPresent()) {
      long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
      ctx.response().putHeader("Retry-After", Long.toString(seconds));
      throw new ServiceException(
          Code.TOO_MANY_REQUESTS,
          "Too many wrong tokens from this address; try again in " + seconds + " s");
    }
  }

  void failed(RoutingContext ctx) {
    limiter.failed(clients.of(ctx.request()));
  }

  void succeeded(RoutingContext ctx) {
    limiter.succeeded(clients.of(ctx.request()));
  }
}
