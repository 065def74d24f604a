package com.arservice.pipeline;

import com.arservice.mind.detect.GreyImage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Compiled {@code .mind} files keyed by the SHA-256 of exactly what was compiled (each target's
 * size and grey pixels), kept in a folder on the shared storage so every instance reuses them.
 */
public final class MindCache {
  private final Path dir;

  public MindCache(Path dir) {
    this.dir = dir;
  }

  public static String key(List<GreyImage> images) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (GreyImage img : images) {
        sha.update(ByteBuffer.allocate(8).putInt(img.width()).putInt(img.height()).array());
        sha.update(img.data());
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public Optional<byte[]> get(String key) throws IOException {
    Path f = dir.resolve(key + ".mind");
    return Files.isRegularFile(f) ? Optional.of(Files.readAllBytes(f)) : Optional.empty();
  }

  /** Stores atomically, so a reader never sees half a file even with several instances writing. */
  public void put(String key, byte[] mind) throws IOException {
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, key, ".tmp");
    try {
      Files.write(tmp, mind);
      try {
        Files.move(tmp, dir.resolve(key + ".mind"), StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, dir.resolve(key + ".mind"), StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
