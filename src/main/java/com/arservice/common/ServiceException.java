package com.arservice.common;

/**
 * A failure with a code that the HTTP layer turns into a status (see the HTTP layer's failure
 * mapping); the message is a sentence the caller can show to a shop owner.
 */
public final class ServiceException extends RuntimeException {
  /** Failure codes shared by every module; each maps to one HTTP status. */
  public enum Code {
    BAD_REQUEST,
    UNAUTHORIZED,
    NOT_FOUND,
    GONE,
    CONFLICT,
    TOO_LARGE,
    TOO_MANY_REQUESTS,
    UNAVAILABLE,
    INTERNAL
  }

  private final Code code;

  public ServiceException(Code code, String message) {
    super(message);
    this.code = code;
  }

  public Code code() {
    return code;
  }

  /** Fails an event-bus message with this code (its ordinal) and message. */
  public void failMessage(io.vertx.core.eventbus.Message<?> message) {
    message.fail(code.ordinal(), getMessage());
  }

  /**
   * Fails {@code message} with {@code error}'s code, or INTERNAL for anything that is not a
   * ServiceException.
   */
  public static void fail(io.vertx.core.eventbus.Message<?> message, Throwable error) {
    ServiceException se =
        error instanceof ServiceException s
            ? s
            : new ServiceException(
                Code.INTERNAL, error.getMessage() == null ? error.toString() : error.getMessage());
    se.failMessage(message);
  }
}
