package com.arservice.files;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.CopyOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;

/**
 * The one way the service puts a finished file or folder in place: a single rename, so nobody ever
 * sees it half written.
 */
public final class AtomicMove {
  private AtomicMove() {}

  /**
   * Renames {@code from} to {@code to} atomically; where the file system cannot (the two are on
   * different devices), moves it plainly instead. {@code options} apply to both ways, e.g. {@link
   * StandardCopyOption#REPLACE_EXISTING} for the plain move to replace a file as the rename does.
   */
  public static void move(Path from, Path to, CopyOption... options) throws IOException {
    CopyOption[] atomic = Arrays.copyOf(options, options.length + 1);
    atomic[options.length] = StandardCopyOption.ATOMIC_MOVE;
    try {
      Files.move(from, to, atomic);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, options);
    }
  }
}
