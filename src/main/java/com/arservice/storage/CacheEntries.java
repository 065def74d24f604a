package com.arservice.storage;

import com.arservice.files.AtomicMove;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Named cache entries that every instance shares: files in a folder of the shared storage, or
 * objects in the bucket. Each write replaces an entry whole (a reader sees the old entry or the new
 * one, never a torn one). Blocking: for worker threads.
 */
public interface CacheEntries {
  /** The entry's bytes, empty when there is none. */
  Optional<byte[]> read(String name) throws IOException;

  /** Stores the entry, replacing what was there. */
  void write(String name, byte[] data) throws IOException;

  /**
   * Entries as files in {@code dir}: written to a temporary file, forced to disk, then renamed into
   * place.
   */
  static CacheEntries inFolder(Path dir) {
    return new CacheEntries() {
      @Override
      public Optional<byte[]> read(String name) throws IOException {
        try {
          return Optional.of(Files.readAllBytes(dir.resolve(name)));
        } catch (NoSuchFileException e) {
          return Optional.empty();
        }
      }

      @Override
      public void write(String name, byte[] data) throws IOException {
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, name, ".tmp");
        try {
          try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ByteBuffer bytes = ByteBuffer.wrap(data);
            while (bytes.hasRemaining()) {
              out.write(bytes);
            }
            out.force(true);
          }
          AtomicMove.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        } finally {
          Files.deleteIfExists(tmp);
        }
      }
    };
  }

  /**
   * Entries as objects {@code <prefix>cache/<name>} in the bucket (a PUT replaces an object whole).
   */
  static CacheEntries inBucket(Bucket bucket) {
    return new CacheEntries() {
      @Override
      public Optional<byte[]> read(String name) throws IOException {
        return bucket
            .client()
            .blocking(() -> bucket.read(bucket.cacheKey(name)))
            .map(Buffer::getBytes);
      }

      @Override
      public void write(String name, byte[] data) throws IOException {
        bucket
            .client()
            .blocking(
                () ->
                    bucket.put(
                        bucket.cacheKey(name), Buffer.buffer(data), "application/octet-stream"));
      }
    };
  }
}
