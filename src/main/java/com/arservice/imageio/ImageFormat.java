package com.arservice.imageio;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Optional;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * The image formats the service accepts as photos, recognised by their content ({@link FileType}),
 * never by file name. JPEG and PNG are decoded by the JDK, TIFF and WebP by TwelveMonkeys' ImageIO
 * plugins, HEIC and AVIF by libheif's command-line decoder ({@link HeifDecoder}) into a PNG.
 */
public enum ImageFormat {
  JPEG("jpeg"),
  PNG("png"),
  TIFF("tiff"),
  WEBP("webp"),
  /** Decoded by {@link HeifDecoder}, not by ImageIO. */
  HEIC("heic"),
  /** Decoded by {@link HeifDecoder}, not by ImageIO. */
  AVIF("avif");

  /** How many leading bytes {@link #sniff(byte[])} looks at, at most. */
  public static final int HEAD_BYTES = FileType.HEAD_BYTES;

  private static final int MAX_PROFILE_BYTES = 4 << 20;
  private static final int STRIP_ROWS = 256;

  private final String imageIoName;

  ImageFormat(String imageIoName) {
    this.imageIoName = imageIoName;
  }

  /** True for the formats libheif decodes (HEIC, AVIF): their orientation is in the container. */
  public boolean viaHeif() {
    return this == HEIC || this == AVIF;
  }

  /** The name customers know the format by. */
  public String displayName() {
    return switch (this) {
      case WEBP -> "WebP";
      default -> name();
    };
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
    if (viaHeif()) {
      throw new IllegalStateException(this + " is decoded by HeifDecoder, not ImageIO");
    }
    Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(imageIoName);
    if (!readers.hasNext()) {
      throw new IllegalStateException("no ImageIO reader for " + this);
    }
    ImageReader reader = readers.next();
    try {
      Optional<ICC_Profile> profile = this == PNG ? pngProfile(in) : Optional.empty();
      reader.setInput(in, true, true);
      ImageReadParam param = reader.getDefaultReadParam();
      param.setSourceSubsampling(stepX, stepY, 0, 0);
      BufferedImage image = reader.read(0, param);
      profile.ifPresent(p -> toSrgb(image, p));
      return image;
    } finally {
      reader.dispose();
    }
  }

  /**
   * The RGB ICC profile of a PNG's {@code iCCP} chunk: the JDK's PNG reader ignores it (where its
   * JPEG reader and TwelveMonkeys' TIFF reader tag the image with it), and libheif puts a HEIC's
   * Display P3 profile there. The chunks before the pixel data are walked here, the stream then put
   * back, so the reader can keep ignoring metadata (it would inflate every text chunk).
   */
  private static Optional<ICC_Profile> pngProfile(ImageInputStream in) throws IOException {
    in.mark();
    try {
      in.skipBytes(8); // signature
      while (true) {
        long length = in.readUnsignedInt();
        int type = in.readInt();
        if (type == 0x49444154 || type == 0x49454E44) { // IDAT, IEND
          return Optional.empty();
        }
        if (type == 0x69434350 && length <= MAX_PROFILE_BYTES) { // iCCP
          byte[] chunk = new byte[(int) length];
          in.readFully(chunk);
          int name = 0;
          while (name < chunk.length && chunk[name] != 0) {
            name++;
          }
          if (name + 2 > chunk.length) {
            return Optional.empty();
          }
          ICC_Profile profile =
              ICC_Profile.getInstance(inflate(Arrays.copyOfRange(chunk, name + 2, chunk.length)));
          // an sRGB profile converts to (almost) itself: not worth telling apart
          return profile.getColorSpaceType() == ColorSpace.TYPE_RGB
              ? Optional.of(profile)
              : Optional.empty();
        }
        in.seek(in.getStreamPosition() + length + 4); // data and CRC, unread
      }
    } catch (EOFException | IllegalArgumentException | DataFormatException e) {
      return Optional.empty(); // a broken profile: the pixels are taken as sRGB, as browsers do
    } finally {
      in.reset();
    }
  }

  /** Inflates a profile of at most 4 MB (ICC profiles are a few KB; a bigger one is refused). */
  private static byte[] inflate(byte[] compressed) throws DataFormatException {
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(compressed);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      while (!inflater.finished()) {
        int n = inflater.inflate(buffer);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          throw new DataFormatException("truncated profile");
        }
        out.write(buffer, 0, n);
        if (out.size() > MAX_PROFILE_BYTES) {
          throw new DataFormatException("profile too large");
        }
      }
      return out.toByteArray();
    } finally {
      inflater.end();
    }
  }

  /**
   * Converts the colour bands of an RGB image from {@code profile} to sRGB in place, a strip of
   * rows at a time so no second full-size copy is made.
   */
  private static void toSrgb(BufferedImage image, ICC_Profile profile) {
    WritableRaster raster = image.getRaster();
    if (raster.getNumBands() < 3
        || image.getColorModel().getColorSpace().getType() != ColorSpace.TYPE_RGB) {
      return;
    }
    ColorConvertOp op =
        new ColorConvertOp(
            new ICC_Profile[] {profile, ICC_Profile.getInstance(ColorSpace.CS_sRGB)}, null);
    int w = raster.getWidth();
    int[] rgb = {0, 1, 2};
    for (int y = 0; y < raster.getHeight(); y += STRIP_ROWS) {
      int h = Math.min(STRIP_ROWS, raster.getHeight() - y);
      WritableRaster strip = raster.createWritableChild(0, y, w, h, 0, 0, rgb);
      WritableRaster converted = strip.createCompatibleWritableRaster();
      op.filter(strip, converted);
      strip.setRect(converted);
    }
  }

  /** The format whose signature starts {@code head}, if it is one we accept. */
  public static Optional<ImageFormat> sniff(byte[] head) {
    return FileType.sniff(head).flatMap(FileType::imageFormat);
  }

  /** The format of the file's content, if it is one of ours. */
  public static Optional<ImageFormat> sniff(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return sniff(in.readNBytes(HEAD_BYTES));
    }
  }
}
