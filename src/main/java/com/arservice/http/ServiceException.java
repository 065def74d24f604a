package com.arservice.http;

/**
 * A failure with a code that the HTTP layer turns into a status (see {@link Failures}); the message
 * is a sentence the caller can show to a shop owner.
 */
public final class ServiceException extends RuntimeException {
  /** Failure codes shared by every module; each maps to one HTTP status. */
  public enum Code { BAD_REQUEST, UNAUTHORIZED, NOT_FOUND, GONE, CONFLICT, TOO_LARGE, UNAVAILABLE, INTERNAL }

  private final Code code;

  public ServiceException(Code code, String message) {
    super(message);
    this.code = code;
  }

  public Code code() {
    return code;
  }
}
