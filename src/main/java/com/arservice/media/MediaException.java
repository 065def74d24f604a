package com.arservice.media;

import java.util.Objects;

/**
 * A media step failed. {@link #reason()} is one sentence a shop owner can act on (it is shown as the
 * project's error message); {@link #isTransient()} tells the job runner whether a retry may help:
 * {@code false} for bad input (retrying gives the same answer), {@code true} for I/O problems,
 * crashed or timed-out tools.
 */
public final class MediaException extends Exception {

  private final String reason;
  private final boolean transientFailure;
  private final String detail;

  /**
   * @param reason    a sentence for the shop owner, without technical details
   * @param transientFailure whether retrying the same input may succeed
   * @param cause     the underlying failure, or {@code null}
   */
  public MediaException(String reason, boolean transientFailure, Throwable cause) {
    this(reason, transientFailure, null, cause);
  }

  /**
   * @param detail technical details for the logs (e.g. a tool's last stderr lines), or {@code null}
   */
  public MediaException(String reason, boolean transientFailure, String detail, Throwable cause) {
    super(reason, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.transientFailure = transientFailure;
    this.detail = detail;
  }

  /** Bad input: retrying the same file cannot succeed. */
  public static MediaException badInput(String reason) {
    return new MediaException(reason, false, null);
  }

  /** Bad input detected through a lower-level failure (e.g. a decoder exception). */
  public static MediaException badInput(String reason, Throwable cause) {
    return new MediaException(reason, false, cause);
  }

  /** An I/O problem, a crashed or timed-out tool: a retry may succeed. */
  public static MediaException transientFailure(String reason, Throwable cause) {
    return new MediaException(reason, true, cause);
  }

  /** The sentence for the shop owner. */
  public String reason() {
    return reason;
  }

  /** Whether retrying the same input may succeed. */
  public boolean isTransient() {
    return transientFailure;
  }

  /** Technical details for the logs, never for customers; {@code null} when there are none. */
  public String detail() {
    return detail;
  }

  /** The reason, followed by the technical details when there are any: for logs, not for customers. */
  @Override
  public String getMessage() {
    return detail == null ? reason : reason + "\n" + detail;
  }
}
