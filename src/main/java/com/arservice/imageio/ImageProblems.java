package com.arservice.imageio;

import com.arservice.imageio.ImageInputException.Reason;
import java.util.Locale;
import java.util.Optional;

/**
 * The sentences that refuse an image, written once so that the service (a project in {@code error})
 * and the jar's commands say the same thing about the same file. {@code what} is the noun the
 * customer knows the file by: "photo" or "mask".
 */
public final class ImageProblems {

  /** The formats a photo may be in, as the refusals list them. */
  public static final String SUPPORTED = "JPEG, PNG, HEIC, AVIF, WebP or TIFF";

  private ImageProblems() {}

  /** Not an image we read; names the file's real type when it is a known one (a video, a PDF). */
  public static ImageInputException notAnImage(String what, Optional<FileType> type) {
    return new ImageInputException(
        type.isPresent() ? Reason.UNSUPPORTED_FORMAT : Reason.UNREADABLE,
        type.map(t -> "The " + what + " is a " + t.displayName() + " file, not")
                .orElse("The " + what + " is not")
            + " an image in a supported format ("
            + SUPPORTED
            + ")");
  }

  /** The header is there but its size fields are not. */
  public static ImageInputException sizeUnreadable(String what) {
    return new ImageInputException(
        Reason.UNREADABLE, "The " + what + " is damaged: its size could not be read");
  }

  /** The file stops inside its header. */
  public static ImageInputException endsEarly(String what, Exception cause) {
    return new ImageInputException(
        Reason.UNREADABLE, "The " + what + " is damaged: the file ends too early", cause);
  }

  /** The decoder failed on the pixel data. */
  public static ImageInputException undecodable(String what, ImageFormat format, Exception cause) {
    return new ImageInputException(
        Reason.UNREADABLE,
        "The "
            + what
            + " could not be decoded: the file is damaged or uses an unsupported "
            + format.displayName()
            + " variant (save it again as a standard RGB "
            + format.displayName()
            + ")",
        cause);
  }

  /** More pixels than {@code maxPixels}, as stored in the file. */
  public static ImageInputException tooLarge(String what, long pixels, long maxPixels) {
    return new ImageInputException(
        Reason.TOO_LARGE,
        String.format(
            Locale.ROOT,
            "The %s is too large: at most %s megapixels are allowed, this one has %s",
            what,
            megapixels(maxPixels),
            megapixels(pixels)));
  }

  /** A shorter side under {@link ImageLimits#MIN_SHORT_SIDE}. */
  public static ImageInputException tooSmall(String what) {
    return new ImageInputException(
        Reason.TOO_SMALL,
        "The "
            + what
            + " is too small: at least "
            + ImageLimits.MIN_SHORT_SIDE
            + " pixels on the short side are needed");
  }

  /** EXIF metadata over {@link OrientationReader#MAX_EXIF_BYTES}. */
  public static ImageInputException exifTooLarge(String what) {
    return new ImageInputException(
        Reason.TOO_LARGE,
        "The "
            + what
            + "'s EXIF metadata is too large: more than "
            + OrientationReader.MAX_EXIF_BYTES / 1024
            + " KB (save the "
            + what
            + " again without it)");
  }

  private static String megapixels(long pixels) {
    double mp = pixels / 1_000_000.0;
    return mp >= 10 ? String.valueOf(Math.round(mp)) : String.format(Locale.ROOT, "%.1f", mp);
  }
}
