package com.arservice.imageio;

import com.arservice.imageio.ImageInputException.Reason;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes HEIC and AVIF photos with libheif's command-line decoder ({@code heif-convert}; {@code
 * heif-dec} in libheif 1.17 and later takes the same arguments) into a PNG, which the JDK then
 * reads. libheif applies the container's rotation and mirroring ({@code irot}/{@code imir}) itself,
 * so the PNG is upright (any EXIF orientation it copies along must not be applied again), and it
 * copies the colour profile into the PNG's {@code iCCP}.
 *
 * <p>The tool is run here rather than through the media package's runner because both the service
 * and the command line (which may not use the media package) decode photos. It runs with a deadline
 * and is killed past it, so a hostile file cannot hang a worker; callers check the stored size
 * ({@link ImageSize}) before and the PNG's size after, so it cannot exhaust the heap either.
 * Thread-safe.
 */
public final class HeifDecoder {

  /** The decoder looked up on PATH when none is configured. */
  public static final String DEFAULT_COMMAND = "heif-convert";

  /** Time a photo of the largest accepted size takes with margin (a 48 MP HEIC: about 3 s). */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  private static final int STDERR_CHARS = 300;

  private final String command;
  private final Duration timeout;

  public HeifDecoder(String command, Duration timeout) {
    this.command = command;
    this.timeout = timeout;
  }

  /** The decoder on PATH with the default deadline. */
  public static HeifDecoder onPath() {
    return new HeifDecoder(DEFAULT_COMMAND, DEFAULT_TIMEOUT);
  }

  /** The command run (a path, or a name looked up on PATH). */
  public String command() {
    return command;
  }

  /**
   * Decodes {@code input} (a HEIC or AVIF, {@code format}) into the PNG file {@code png}.
   *
   * @throws ImageInputException unsupported when the decoder is not installed, unreadable when the
   *     file is damaged, not really HEIF, or takes longer than the deadline
   * @throws IOException when the scratch files cannot be written
   */
  public void toPng(Path input, ImageFormat format, Path png)
      throws ImageInputException, IOException {
    Path stderr = Files.createTempFile(png.toAbsolutePath().getParent(), ".heif-", ".log");
    try {
      Process process;
      try {
        process =
            new ProcessBuilder(
                    List.of(command, "--quiet", input.toAbsolutePath().toString(), png.toString()))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(stderr.toFile())
                .start();
      } catch (IOException e) {
        throw new ImageInputException(
            Reason.UNSUPPORTED_FORMAT,
            format.displayName()
                + " photos cannot be read on this server (libheif's "
                + command
                + " is not installed); please send the photo as a JPEG or PNG",
            e);
      }
      process.getOutputStream().close();
      boolean finished;
      try {
        finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while decoding a " + format.displayName(), e);
      }
      if (!finished) {
        process.destroyForcibly();
        throw new ImageInputException(
            Reason.UNREADABLE,
            "The "
                + format.displayName()
                + " photo could not be decoded within "
                + timeout.toSeconds()
                + " s; it may be damaged, please send it as a JPEG or PNG");
      }
      if (process.exitValue() != 0 || !Files.isRegularFile(png)) {
        throw new ImageInputException(
            Reason.UNREADABLE,
            "The "
                + format.displayName()
                + " photo is damaged or incomplete and could not be decoded",
            new IOException(command + " failed: " + tail(stderr)));
      }
    } finally {
      Files.deleteIfExists(stderr);
    }
  }

  /**
   * Decodes {@code input} (a HEIC or AVIF, {@code format}) through a scratch PNG in {@code
   * scratchDir}, deleted afterwards: the PNG's size is checked against {@code maxPixels} before its
   * pixels are read, and only every {@code step(size)}-th row and column is kept.
   *
   * @throws ImageInputException as {@link #toPng}, or when the decoded photo is too large
   * @throws IOException when the scratch files cannot be written or read
   */
  public BufferedImage decode(
      Path input,
      ImageFormat format,
      Path scratchDir,
      long maxPixels,
      ToIntFunction<ImageSize> step)
      throws ImageInputException, IOException {
    Path png = Files.createTempFile(scratchDir, ".heif-", ".png");
    try {
      toPng(input, format, png);
      ImageSize size;
      try (InputStream in = Files.newInputStream(png)) {
        size =
            ImageSize.read(ImageFormat.PNG, in)
                .orElseThrow(() -> ImageProblems.sizeUnreadable("photo"));
      }
      if (size.pixels() > maxPixels) {
        throw ImageProblems.tooLarge("photo", size.pixels(), maxPixels);
      }
      try (ImageInputStream in = ImageIO.createImageInputStream(png.toFile())) {
        int s = step.applyAsInt(size);
        return ImageFormat.PNG.decode(in, s, s);
      }
    } finally {
      Files.deleteIfExists(png);
    }
  }

  private static String tail(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8).strip();
    return text.length() <= STDERR_CHARS ? text : text.substring(text.length() - STDERR_CHARS);
  }
}
