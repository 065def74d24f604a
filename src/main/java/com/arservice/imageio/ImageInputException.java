package com.arservice.imageio;

/**
 * An uploaded image that is refused (unreadable, of another format, too small or too large); the
 * message is meant for the person who uploaded it.
 */
public class ImageInputException extends Exception {

  /** Why the photo was refused. */
  public enum Reason {
    /** The bytes are not a readable image (damaged, truncated, or not an image at all). */
    UNREADABLE,
    /** An image, but in a format the service does not read. */
    UNSUPPORTED_FORMAT,
    /** Shorter side under the minimum MindAR needs. */
    TOO_SMALL,
    /** More pixels than allowed. */
    TOO_LARGE
  }

  private final Reason reason;

  public ImageInputException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public ImageInputException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  /** The category of the problem, for callers that map it to a status code. */
  public Reason reason() {
    return reason;
  }
}
