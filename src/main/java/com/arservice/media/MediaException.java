package com.arservice.media;

import java.util.Objects;

/**
 * A media step failed. {@link #reason()} is one sentence a shop owner can act on (it is shown as
 * the project's error message); {@link #isTransient()} tells the job runner whether a retry may
 * help: {@code false} for bad input (retrying gives the same answer), {@code true} for I/O
 * problems, crashed or timed-out tools.
 */
public final class MediaException extends Exception {

  /**
   * The sentence for a full disk; such failures are transient (space may be freed before the
   * retry).
   */
  public static final String DISK_FULL = "The server is out of disk space";

  /** How the operating system words ENOSPC, in Java's I/O exceptions and in the tools' messages. */
  private static final String NO_SPACE = "No space left on device";

  private final String reason;
  private final boolean transientFailure;
  private final String detail;

  /**
   * @param reason a sentence for the shop owner, without technical details
   * @param transientFailure whether retrying the same input may succeed
   * @param cause the underlying failure, or {@code null}
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

  /** The disk is full ({@link #DISK_FULL}, transient); {@code detail} says where it was noticed. */
  public static MediaException diskFull(String detail, Throwable cause) {
    return new MediaException(DISK_FULL, true, detail, cause);
  }

  /** Whether {@code text} (a tool's message) reports that the disk is full. */
  public static boolean isDiskFull(String text) {
    return text != null && text.contains(NO_SPACE);
  }

  /**
   * Whether {@code error} or one of its causes is the operating system's "no space left on device".
   */
  public static boolean isDiskFull(Throwable error) {
    for (Throwable e = error; e != null; e = e.getCause()) {
      if (isDiskFull(e.getMessage())
          || e instanceof MediaException m && m.reason.equals(DISK_FULL)) {
        return true;
      }
    }
    return false;
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

  /**
   * The reason, followed by the technical details when there are any: for logs, not for customers.
   */
  @Override
  public String getMessage() {
    return detail == null ? reason : reason + "\n" + detail;
  }
}
