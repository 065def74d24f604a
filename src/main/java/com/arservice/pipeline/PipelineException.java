package com.arservice.pipeline;

/**
 * A compile attempt that failed: {@code reason} is a sentence for the shop owner; transient
 * failures (I/O, a crashed ffmpeg) are worth retrying, bad input is not.
 */
public final class PipelineException extends Exception {
  private final boolean transientFailure;

  public PipelineException(String reason, boolean transientFailure, Throwable cause) {
    super(reason, cause);
    this.transientFailure = transientFailure;
  }

  public boolean isTransient() {
    return transientFailure;
  }
}
