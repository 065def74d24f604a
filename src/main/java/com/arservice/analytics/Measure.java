package com.arservice.analytics;

/**
 * What the viewer analytics count, in the order of the stored {@code counts} array: new measures
 * are added at the end, so rows written before keep their meaning.
 */
public enum Measure {
  /** A viewer page opened: a scan of the QR code. */
  OPENS("scans"),
  CAMERA_ALLOWED("cameraAllowed"),
  /** The reader refused the camera ({@code NotAllowedError}, {@code SecurityError}). */
  CAMERA_DENIED("cameraDenied"),
  /** The camera failed otherwise; which way is counted in the {@code ERROR_*} measures. */
  CAMERA_FAILED("cameraFailed"),
  /** MindAR started tracking: the viewing could find the print. */
  AR_READY("arReady"),
  /** Targets found, each at most once per viewing. */
  TARGETS_FOUND("targetsFound"),
  /** Viewings that found a print. */
  VIEWS_FOUND("viewsFound"),
  VIDEO_MUTED("videoStartsMuted"),
  VIDEO_SOUND("videoStartsWithSound"),
  WATCH_SECONDS("watchSeconds"),
  TARGETS_LOST("targetsLost"),
  PAGES_HIDDEN("pagesHidden"),
  ERROR_NOT_FOUND("NotFoundError"),
  ERROR_NOT_READABLE("NotReadableError"),
  ERROR_OVERCONSTRAINED("OverconstrainedError"),
  ERROR_ABORT("AbortError"),
  ERROR_INSECURE("insecure"),
  ERROR_UNSUPPORTED("unsupported"),
  ERROR_AR("arError"),
  ERROR_OTHER("other"),
  /**
   * A playing video that stood still was loaded anew (a halted media pipeline, a connection the
   * phone's network dropped): each time.
   */
  VIDEO_RESTARTS("videoRestarts");

  /** The name in the stats JSON: a camera error's name for the {@code ERROR_*} measures. */
  public final String key;

  Measure(String key) {
    this.key = key;
  }

  public boolean cameraError() {
    return name().startsWith("ERROR_");
  }

  /** The failure measure of a camera error name the viewer reported. */
  static Measure cameraError(String errorName) {
    for (Measure m : values()) {
      if (m.cameraError() && m.key.equals(errorName)) {
        return m;
      }
    }
    return ERROR_OTHER;
  }
}
