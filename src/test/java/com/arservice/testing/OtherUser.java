package com.arservice.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What a web server running as another user (nginx's workers as {@code www-data}) can read. As root
 * (CI) the files are really read as {@code nobody}; otherwise no other user can be taken on, and
 * the permission bits are checked instead.
 */
public final class OtherUser {
  private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

  private OtherUser() {}

  /**
   * Every file under {@code folder} (which must exist) can be found and read by an unprivileged
   * other user.
   */
  public static void assertCanReadEveryFile(Path folder) throws IOException, InterruptedException {
    List<String> files;
    try (Stream<Path> walk = Files.walk(folder)) {
      files = walk.filter(Files::isRegularFile).map(Path::toString).sorted().toList();
    }
    assertTrue(!files.isEmpty(), "nothing to read in " + folder);
    if (!ROOT) {
      try (Stream<Path> walk = Files.walk(folder)) {
        walk.forEach(p -> assertTrue(otherMay(p), p + " is not readable by other users"));
      }
      return;
    }
    // find lists what nobody can reach, cat fails on what nobody cannot read
    Processes.Result r =
        Processes.run(
            List.of(
                "setpriv",
                "--reuid=nobody",
                "--regid=nogroup",
                "--clear-groups",
                "--",
                "sh",
                "-c",
                // from /: find cannot start in a working directory that nobody may enter
                "cd / && find \"$1\" -type f | LC_ALL=C sort && find \"$1\" -type f -exec cat {} + >/dev/null",
                "sh",
                folder.toString()),
            java.util.Map.of());
    assertEquals(
        0, r.exitCode(), "nobody could not read everything under " + folder + ": " + r.stderr());
    assertEquals(files, r.stdout().lines().toList(), "the files nobody sees");
  }

  private static boolean otherMay(Path p) {
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
      return perms.contains(PosixFilePermission.OTHERS_READ)
          && (!Files.isDirectory(p) || perms.contains(PosixFilePermission.OTHERS_EXECUTE));
    } catch (IOException e) {
      return false;
    }
  }
}
