package com.arservice.imageio;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a file is, from its first bytes, never from its name: the one sniffer that uploads, the
 * compile step and the command line share. ISO-BMFF files (MP4, MOV, HEIC, AVIF, M4A all start with
 * an {@code ftyp} box) are told apart by their major and compatible brands.
 */
public enum FileType {
  JPEG(Media.IMAGE, "JPEG"),
  PNG(Media.IMAGE, "PNG"),
  TIFF(Media.IMAGE, "TIFF"),
  WEBP(Media.IMAGE, "WebP"),
  HEIC(Media.IMAGE, "HEIC"),
  AVIF(Media.IMAGE, "AVIF"),
  GIF(Media.IMAGE, "GIF"),
  BMP(Media.IMAGE, "BMP"),
  MP4(Media.VIDEO, "MP4"),
  MOV(Media.VIDEO, "MOV"),
  WEBM(Media.VIDEO, "WebM"),
  /** An MPEG-4 audio file (M4A, M4B audiobook, M4P): no picture. */
  M4A(Media.AUDIO, "M4A audio");

  /** The three kinds of content a customer may send. */
  public enum Media {
    IMAGE,
    VIDEO,
    AUDIO
  }

  /** How many leading bytes {@link #sniff(byte[])} looks at, at most: room for 12 brands. */
  public static final int HEAD_BYTES = 64;

  private static final Set<String> HEIC_BRANDS =
      Set.of("heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "msf1");
  private static final Set<String> AVIF_BRANDS = Set.of("avif", "avis");
  private static final Set<String> AUDIO_BRANDS = Set.of("M4A ", "M4B ", "M4P ", "F4A ", "F4B ");

  private final Media media;
  private final String displayName;

  FileType(Media media, String displayName) {
    this.media = media;
    this.displayName = displayName;
  }

  /** Image, video or audio. */
  public Media media() {
    return media;
  }

  /** The name a customer knows the format by ("HEIC", "M4A audio"). */
  public String displayName() {
    return displayName;
  }

  /** The image format the service decodes this type with; empty for videos, audio, GIF and BMP. */
  public Optional<ImageFormat> imageFormat() {
    return switch (this) {
      case JPEG -> Optional.of(ImageFormat.JPEG);
      case PNG -> Optional.of(ImageFormat.PNG);
      case TIFF -> Optional.of(ImageFormat.TIFF);
      case WEBP -> Optional.of(ImageFormat.WEBP);
      case HEIC -> Optional.of(ImageFormat.HEIC);
      case AVIF -> Optional.of(ImageFormat.AVIF);
      default -> Optional.empty();
    };
  }

  /** The type whose signature starts {@code head}, if any we know. */
  public static Optional<FileType> sniff(byte[] head) {
    if (startsWith(head, 0, 0xFF, 0xD8, 0xFF)) {
      return Optional.of(JPEG);
    }
    if (startsWith(head, 0, 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n')) {
      return Optional.of(PNG);
    }
    if (startsWith(head, 0, 'I', 'I', 42, 0) || startsWith(head, 0, 'M', 'M', 0, 42)) {
      return Optional.of(TIFF);
    }
    if (startsWith(head, 0, 'R', 'I', 'F', 'F') && startsWith(head, 8, 'W', 'E', 'B', 'P')) {
      return Optional.of(WEBP);
    }
    if (startsWith(head, 0, 'G', 'I', 'F', '8')) {
      return Optional.of(GIF);
    }
    if (startsWith(head, 0, 'B', 'M')) {
      return Optional.of(BMP);
    }
    if (startsWith(head, 0, 0x1A, 0x45, 0xDF, 0xA3)) {
      return Optional.of(WEBM);
    }
    if (startsWith(head, 4, 'f', 't', 'y', 'p') && head.length >= 12) {
      return Optional.of(isoBmff(head));
    }
    return Optional.empty();
  }

  /** The type of the file's content, if we know it. */
  public static Optional<FileType> sniff(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return sniff(in.readNBytes(HEAD_BYTES));
    }
  }

  /**
   * An ISO-BMFF file by its brands: an image brand anywhere makes an image (AVIF before HEIC, as
   * AVIF files also name the generic {@code mif1}); an audio major brand makes audio; QuickTime's
   * {@code qt } a MOV; anything else (isom, mp41, mp42, avc1, iso2..6, dash, 3gp…) an MP4, which
   * ffprobe then judges.
   */
  private static FileType isoBmff(byte[] head) {
    String major = brand(head, 8);
    List<String> brands = new ArrayList<>(List.of(major));
    long boxSize =
        ((head[0] & 0xFFL) << 24)
            | ((head[1] & 0xFF) << 16)
            | ((head[2] & 0xFF) << 8)
            | head[3] & 0xFF;
    // compatible brands follow the minor version, up to the end of the box (or of what we read)
    for (int at = 16; at + 4 <= Math.min(boxSize, head.length); at += 4) {
      brands.add(brand(head, at));
    }
    if (major.startsWith("qt")) {
      return MOV;
    }
    if (AUDIO_BRANDS.contains(major)) {
      return M4A;
    }
    if (brands.stream().anyMatch(AVIF_BRANDS::contains)) {
      return AVIF;
    }
    if (brands.stream().anyMatch(HEIC_BRANDS::contains)) {
      return HEIC;
    }
    return MP4;
  }

  private static String brand(byte[] head, int at) {
    return new String(head, at, 4, StandardCharsets.ISO_8859_1);
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
