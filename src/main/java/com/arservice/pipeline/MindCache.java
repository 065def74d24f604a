package com.arservice.pipeline;

import com.arservice.mind.MarkerMode;
import com.arservice.mind.MindCompiler;
import com.arservice.mind.detect.GreyImage;
import com.arservice.storage.CacheEntries;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compiled {@code .mind} files keyed by the compiler's version and the SHA-256 of exactly what was
 * compiled (each target's size and grey pixels), kept where every instance reuses them (a folder on
 * the shared storage, or the bucket). Each entry starts with the SHA-256 of the rest, checked on
 * every read, so a damaged entry is a miss (compiled again and replaced), never a wrong target for
 * later projects. The cache only saves time: a failure to read or write it is logged and never
 * fails a compile.
 */
public final class MindCache {
  private static final Logger LOG = LoggerFactory.getLogger(MindCache.class);
  private static final int DIGEST_BYTES = 32;

  private final CacheEntries entries;

  /** Entries as files in {@code dir}. */
  public MindCache(Path dir) {
    this(CacheEntries.inFolder(dir));
  }

  public MindCache(CacheEntries entries) {
    this.entries = entries;
  }

  public static String key(List<GreyImage> images, MarkerMode mode) {
    MessageDigest sha = sha256();
    // reference keeps its keys of before the modes, so cached files stay valid
    String version =
        mode == MarkerMode.REFERENCE
            ? MindCompiler.VERSION
            : MindCompiler.VERSION + "/" + mode.id();
    sha.update((version + "\n").getBytes(StandardCharsets.UTF_8));
    for (GreyImage img : images) {
      sha.update(ByteBuffer.allocate(8).putInt(img.width()).putInt(img.height()).array());
      sha.update(img.data());
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  /** The cached file, or empty when there is none, it cannot be read or it fails its check. */
  public Optional<byte[]> get(String key) {
    String entry = entry(key);
    byte[] stored;
    try {
      Optional<byte[]> found = entries.read(entry);
      if (found.isEmpty()) {
        return Optional.empty();
      }
      stored = found.get();
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "The .mind cache entry {} could not be read ({}); compiling instead",
          entry,
          e.toString());
      return Optional.empty();
    }
    byte[] mind = Arrays.copyOfRange(stored, Math.min(DIGEST_BYTES, stored.length), stored.length);
    if (stored.length < DIGEST_BYTES
        || !MessageDigest.isEqual(Arrays.copyOf(stored, DIGEST_BYTES), sha256(mind))) {
      LOG.warn("The .mind cache entry {} is damaged; compiling again", entry);
      return Optional.empty();
    }
    return Optional.of(mind);
  }

  /**
   * Stores {@code mind} under {@code key}, replacing what was there; false when it could not.
   * Neither a crash nor several instances writing at once leave a torn entry under its name.
   */
  public boolean put(String key, byte[] mind) {
    try {
      entries.write(
          entry(key),
          ByteBuffer.allocate(DIGEST_BYTES + mind.length).put(sha256(mind)).put(mind).array());
      return true;
    } catch (IOException | RuntimeException e) {
      LOG.warn("The .mind cache entry {} could not be stored: {}", key, e.toString());
      return false;
    }
  }

  private static String entry(String key) {
    return key + ".mind";
  }

  private static byte[] sha256(byte[] data) {
    return sha256().digest(data);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
