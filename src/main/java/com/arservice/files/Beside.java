package com.arservice.files;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A compressed copy beside a file ({@code <file><suffix>}): written whole into a temporary file,
 * then renamed into place; readable by other users like the file (nginx serves it).
 */
final class Beside {
  /** What writes the copy's bytes. */
  interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  private Beside() {}

  static Path write(Path file, String suffix, Content content) throws IOException {
    Path target = file.resolveSibling(file.getFileName() + suffix);
    Path tmp =
        Files.createTempFile(
            file.getParent(),
            suffix,
            ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
    try {
      try (OutputStream out = Files.newOutputStream(tmp)) {
        content.writeTo(out);
      }
      AtomicMove.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      return target;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
