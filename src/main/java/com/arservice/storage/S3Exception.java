package com.arservice.storage;

import java.io.IOException;

/**
 * A request to the bucket that failed, with a sentence naming the server and what to check. An
 * {@link IOException}, so a compile attempt that meets one is retried like any other storage
 * failure.
 *
 * @see #status() the HTTP status the server answered, 0 when it could not be reached
 */
public final class S3Exception extends IOException {
  private final int status;

  S3Exception(int status, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
