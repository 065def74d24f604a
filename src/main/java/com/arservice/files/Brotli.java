package com.arservice.files;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.encoder.Encoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A brotli copy of a small file beside it ({@code <file>.br}), for the service to send to clients
 * that accept brotli: about a fifth smaller than gzip's for a target. Google's encoder through
 * brotli4j's JNI library; where that library does not load (a platform it has no build for), no
 * copy is written and gzip's serves.
 */
public final class Brotli {
  /** The strongest level and the largest window: written once, downloaded by every phone. */
  private static final int QUALITY = 11;

  private static final int WINDOW = 24;

  private Brotli() {}

  /**
   * Writes {@code file.br} when the encoder is available and the copy is smaller than {@code
   * smallerThan} bytes (e.g. the gzip copy's size), else removes a stale one; returns its path if
   * written. The file is read whole: meant for targets, a few MB at most.
   */
  public static Optional<Path> writeBeside(Path file, long smallerThan) throws IOException {
    Path target = file.resolveSibling(file.getFileName() + ".br");
    if (!Brotli4jLoader.isAvailable()) {
      Files.deleteIfExists(target);
      return Optional.empty();
    }
    byte[] packed =
        Encoder.compress(
            Files.readAllBytes(file),
            new Encoder.Parameters().setQuality(QUALITY).setWindow(WINDOW));
    if (packed.length >= smallerThan) {
      Files.deleteIfExists(target);
      return Optional.empty();
    }
    return Optional.of(Beside.write(file, ".br", out -> out.write(packed)));
  }
}
