package com.arservice.backup;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The layout of a backup folder: {@code wal/} (archived WAL, gzipped, each with its {@code
 * .sha256}), {@code base/<id>/} (one base backup: {@code data/}, {@code MANIFEST.sha256}, and
 * {@code backup.json} written last), {@code files/} (artifacts and uploads, {@code
 * MANIFEST.sha256}) and {@code verify.json} (the last verification).
 */
public record BackupFolder(Path root) {
  static final String INFO = "backup.json";
  static final String MANIFEST = "MANIFEST.sha256";

  Path wal() {
    return root.resolve("wal");
  }

  Path base() {
    return root.resolve("base");
  }

  Path files() {
    return root.resolve("files");
  }

  Path verifyReport() {
    return root.resolve("verify.json");
  }

  /**
   * One finished base backup.
   *
   * @param startWal the WAL file its replay starts from
   * @param bytes the size of its data files
   * @param projects the projects the database had when it started
   */
  record Base(
      Path dir,
      String id,
      Instant started,
      Instant finished,
      String startWal,
      long bytes,
      long projects) {
    static Base read(Path dir) throws IOException {
      JsonObject info = new JsonObject(Files.readString(dir.resolve(INFO)));
      return new Base(
          dir,
          info.getString("id"),
          Instant.parse(info.getString("started")),
          Instant.parse(info.getString("finished")),
          info.getString("startWal"),
          info.getLong("bytes"),
          info.getLong("projects", 0L));
    }
  }

  /** The finished base backups, oldest first (unfinished ones have no {@value #INFO}). */
  List<Base> bases() throws IOException {
    List<Base> all = new ArrayList<>();
    if (!Files.isDirectory(base())) {
      return all;
    }
    try (Stream<Path> dirs = Files.list(base())) {
      for (Path dir : dirs.sorted().toList()) {
        if (!dir.getFileName().toString().startsWith(".") && Files.exists(dir.resolve(INFO))) {
          all.add(Base.read(dir));
        }
      }
    }
    all.sort(Comparator.comparing(Base::finished));
    return all;
  }

  Optional<Base> latest() throws IOException {
    List<Base> all = bases();
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
  }

  /** The archived WAL files (their names without {@code .gz}), in name order. */
  List<String> walNames() throws IOException {
    if (!Files.isDirectory(wal())) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(wal())) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".gz") && !n.startsWith("."))
          .map(n -> n.substring(0, n.length() - 3))
          .sorted()
          .toList();
    }
  }

  /**
   * What the console and the health check show: the last base backup, the last archived WAL file,
   * the folder's size (with {@code withSize}: a walk of every file), the last verification and,
   * when it is shipped to a bucket, the last shipping.
   */
  public JsonObject status(boolean withSize) throws IOException {
    JsonObject status = new JsonObject().put("folder", root.toString());
    Optional<Base> last = latest();
    last.ifPresent(
        b ->
            status.put(
                "lastBaseBackup",
                new JsonObject()
                    .put("id", b.id())
                    .put("finished", b.finished().toString())
                    .put("bytes", b.bytes())));
    Path newest = null;
    long walBytes = 0;
    for (String name : walNames()) {
      Path file = wal().resolve(name + ".gz");
      walBytes += Files.size(file);
      if (newest == null
          || Files.getLastModifiedTime(file).compareTo(Files.getLastModifiedTime(newest)) > 0) {
        newest = file;
      }
    }
    if (newest != null) {
      String name = newest.getFileName().toString();
      status.put(
          "lastArchivedWal",
          new JsonObject()
              .put("file", name.substring(0, name.length() - 3))
              .put("at", Files.getLastModifiedTime(newest).toInstant().toString()));
    }
    status.put("walBytes", walBytes);
    if (withSize) {
      status.put("bytes", size(root));
    }
    Path shipped = root.resolve(BackupBucket.STATE);
    if (Files.exists(shipped)) {
      status.put("bucket", new JsonObject(Files.readString(shipped, StandardCharsets.UTF_8)));
    }
    if (Files.exists(verifyReport())) {
      status.put(
          "lastVerify", new JsonObject(Files.readString(verifyReport(), StandardCharsets.UTF_8)));
    }
    return status;
  }

  static long size(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      long total = 0;
      for (Path p : all.filter(Files::isRegularFile).toList()) {
        try {
          total += Files.size(p);
        } catch (java.nio.file.NoSuchFileException gone) {
          // removed while we counted
        }
      }
      return total;
    }
  }
}
