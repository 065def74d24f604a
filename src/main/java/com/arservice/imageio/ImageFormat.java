package com.arservice.imageio;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * The image formats the service accepts, recognised by their magic bytes, never by file name; the
 * one place that tells a JPEG or PNG from other files.
 */
public enum ImageFormat {
  JPEG("jpeg"),
  PNG("png");

  /**
   * How many leading bytes {@link #sniff(byte[])} and {@link #unsupportedName(byte[])} look at, at
   * most.
   */
  public static final int HEAD_BYTES = 12;

  private static final int[] PNG_SIGNATURE = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

  private final String imageIoName;

  ImageFormat(String imageIoName) {
    this.imageIoName = imageIoName;
  }

  /** The ImageIO format name of this format. */
  public String imageIoName() {
    return imageIoName;
  }

  /**
   * Decodes the first image of {@code in}, keeping only every {@code stepX}-th column and {@code
   * stepY}-th row (1 and 1 keep all), so the decoded image, and the memory it takes, is the stored
   * size divided by the steps. ImageIO's exceptions pass through for the caller to word.
   *
   * <p>The one decoding path of the service's photos and masks and of the command line's images.
   * JPEGs are read by TwelveMonkeys' reader, which ImageIO prefers to the JDK's: it reads the same
   * pixels from ordinary JPEGs, and turns CMYK and YCCK ones (with Adobe's APP14 marker, as
   * Photoshop and ImageMagick write them) into sRGB through their embedded ICC profile, or without
   * one by the plain CMYK formula, as ImageMagick shows them.
   */
  public BufferedImage decode(ImageInputStream in, int stepX, int stepY) throws IOException {
    Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(imageIoName);
    if (!readers.hasNext()) {
      throw new IllegalStateException("no ImageIO reader for " + this);
    }
    ImageReader reader = readers.next();
    try {
      reader.setInput(in, true, true);
      ImageReadParam param = reader.getDefaultReadParam();
      param.setSourceSubsampling(stepX, stepY, 0, 0);
      return reader.read(0, param);
    } finally {
      reader.dispose();
    }
  }

  /** The format whose signature starts {@code head}, if any. */
  public static Optional<ImageFormat> sniff(byte[] head) {
    if (startsWith(head, 0, 0xFF, 0xD8, 0xFF)) {
      return Optional.of(JPEG);
    }
    if (startsWith(head, 0, PNG_SIGNATURE)) {
      return Optional.of(PNG);
    }
    return Optional.empty();
  }

  /** The format of the file's content, if it is one of ours. */
  public static Optional<ImageFormat> sniff(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return sniff(in.readNBytes(HEAD_BYTES));
    }
  }

  /**
   * The name of a well-known image format we do not accept (GIF, BMP, WebP, HEIC/AVIF, TIFF) whose
   * signature starts {@code head}, so the refusal can tell the customer what they sent.
   */
  public static Optional<String> unsupportedName(byte[] head) {
    if (startsWith(head, 0, 'G', 'I', 'F', '8')) {
      return Optional.of("GIF");
    }
    if (startsWith(head, 0, 'B', 'M')) {
      return Optional.of("BMP");
    }
    if (startsWith(head, 0, 'R', 'I', 'F', 'F') && startsWith(head, 8, 'W', 'E', 'B', 'P')) {
      return Optional.of("WebP");
    }
    if (startsWith(head, 4, 'f', 't', 'y', 'p')) {
      return Optional.of("HEIC/AVIF");
    }
    if (startsWith(head, 0, 'I', 'I', 42, 0) || startsWith(head, 0, 'M', 'M', 0, 42)) {
      return Optional.of("TIFF");
    }
    return Optional.empty();
  }

  private static boolean startsWith(byte[] b, int offset, int... magic) {
    if (b.length < offset + magic.length) {
      return false;
    }
    for (int i = 0; i < magic.length; i++) {
      if ((b[offset + i] & 0xFF) != magic[i]) {
        return false;
      }
    }
    return true;
  }
}
