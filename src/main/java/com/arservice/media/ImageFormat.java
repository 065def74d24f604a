package com.arservice.media;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The image formats the service accepts, recognised by their magic bytes, never by file name. */
public enum ImageFormat {
  JPEG("jpeg"),
  PNG("png");

  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

  private final String imageIoName;

  ImageFormat(String imageIoName) {
    this.imageIoName = imageIoName;
  }

  /** The ImageIO format name of this format. */
  String imageIoName() {
    return imageIoName;
  }

  /** The format whose signature starts {@code head}, if any. */
  public static Optional<ImageFormat> sniff(byte[] head) {
    if (head.length >= 3 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xD8 && (head[2] & 0xFF) == 0xFF) {
      return Optional.of(JPEG);
    }
    if (head.length >= PNG_SIGNATURE.length) {
      for (int i = 0; i < PNG_SIGNATURE.length; i++) {
        if (head[i] != PNG_SIGNATURE[i]) {
          return Optional.empty();
        }
      }
      return Optional.of(PNG);
    }
    return Optional.empty();
  }

  /** The format of the file's content, if it is one of ours. */
  public static Optional<ImageFormat> sniff(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return sniff(in.readNBytes(PNG_SIGNATURE.length));
    }
  }
}
