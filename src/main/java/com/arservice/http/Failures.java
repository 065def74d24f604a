package com.arservice.http;

import com.arservice.common.ServiceException;
import com.arservice.storage.S3Exception;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place where failures become HTTP statuses and {@code {"error": ...}} bodies. */
final class Failures {
  private static final Logger LOG = LoggerFactory.getLogger(Failures.class);

  private Failures() {}

  static int status(ServiceException.Code code) {
    return switch (code) {
      case BAD_REQUEST -> 400;
      case UNAUTHORIZED -> 401;
      case NOT_FOUND -> 404;
      case CONFLICT -> 409;
      case GONE -> 410;
      case TOO_LARGE -> 413;
      case TOO_MANY_REQUESTS -> 429;
      case UNAVAILABLE -> 503;
      case INTERNAL -> 500;
    };
  }

  /** Failure codes carried over the event bus are the ordinal of {@link ServiceException.Code}. */
  static int status(ReplyException e) {
    ServiceException.Code[] codes = ServiceException.Code.values();
    return e.failureCode() >= 0 && e.failureCode() < codes.length
        ? status(codes[e.failureCode()])
        : 500;
  }

  static void handle(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    int status;
    String message;
    if (failure instanceof ServiceException se) {
      status = status(se.code());
      message = se.getMessage();
    } else if (failure instanceof ReplyException re && re.failureCode() >= 0) {
      status = status(re);
      message = re.getMessage();
    } else if (failure instanceof S3Exception se) {
      status = 503;
      message = "The object storage is unavailable; please try again shortly";
      LOG.warn("{} {} failed: {}", method(ctx), path(ctx), LogText.of(se.getMessage()));
    } else if (ctx.request().authority() == null) {
      // Vert.x refuses to route an HTTP/1.x request without Host; that is the client's mistake.
      status = 400;
      message = "A Host header is required";
    } else if (failure != null) {
      status = 500;
      message = "Internal error";
      LOG.error("{} {} failed", method(ctx), path(ctx), failure);
    } else {
      status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
      message = defaultMessage(status);
    }
    if (ctx.response().ended()) {
      return;
    }
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("error", message).encode());
  }

  private static String method(RoutingContext ctx) {
    return LogText.of(ctx.request().method());
  }

  private static String path(RoutingContext ctx) {
    return LogText.of(ctx.request().path());
  }

  private static String defaultMessage(int status) {
    return switch (status) {
      case 404 -> "Not found";
      case 405 -> "Method not allowed";
      case 413 -> "Request body too large";
      case 400 -> "Bad request";
      default -> "Internal error";
    };
  }
}
