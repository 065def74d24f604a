package com.arservice.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.UUID;

/**
 * Project folders under {@code AR_STORAGE_PATH}: the pipeline writes into a hidden work folder on
 * the same file system, and a finished project appears at {@code <storage>/<id>/} in one rename,
 * so nobody ever sees half of a project's files.
 */
public final class ProjectFolders {
  private final Path storage;
  private final Path work;

  public ProjectFolders(Path storage) {
    this.storage = storage;
    this.work = storage.resolve(".work");
  }

  public Path storage() {
    return storage;
  }

  public Path folder(UUID id) {
    return storage.resolve(id.toString());
  }

  public Path newWorkFolder(UUID id) throws IOException {
    Files.createDirectories(work);
    return Files.createTempDirectory(work, id + "-");
  }

  /** Makes {@code workFolder} the project's folder, replacing an earlier attempt's. */
  public void publish(UUID id, Path workFolder) throws IOException {
    Path target = folder(id);
    Path old = null;
    if (Files.exists(target)) {
      old = work.resolve(id + "-replaced-" + System.nanoTime());
      move(target, old);
    }
    move(workFolder, target);
    discard(old);
  }

  /** Deletes a folder and everything in it, if it exists (null is fine). */
  public void discard(Path folder) {
    if (folder == null || !Files.exists(folder)) {
      return;
    }
    try {
      Files.walkFileTree(folder, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.delete(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
          Files.delete(dir);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to);
    }
  }
}
