package com.arservice.backup;

import com.arservice.config.DatabaseUrl;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A base backup of the running embedded server with PostgreSQL's own low-level API: {@code
 * pg_backup_start}, a copy of the data directory (what changes during the copy is repaired by
 * replaying the WAL archived meanwhile), {@code pg_backup_stop} (which waits until the last WAL
 * file it needs is archived) and its {@code backup_label}. Written into {@code base/.<id>.partial}
 * and renamed to {@code base/<id>} once complete, with a SHA-256 per file. Then retention: base
 * backups finished more than {@code retention} ago are removed, always keeping the newest one and
 * the newest one older than that (so that any moment of the retention stays restorable), and WAL
 * files older than the oldest base backup kept.
 */
public final class BaseBackup {
  /** Folders whose contents the server rebuilds (PostgreSQL's documented exclusions). */
  private static final Set<String> EMPTIED =
      Set.of(
          "pg_wal",
          "pg_replslot",
          "pg_dynshmem",
          "pg_notify",
          "pg_serial",
          "pg_snapshots",
          "pg_stat_tmp",
          "pg_subtrans");

  private static final Set<String> SKIPPED =
      Set.of("postmaster.pid", "postmaster.opts", "server.log", "pg_internal.init");
  private static final DateTimeFormatter ID =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private BaseBackup() {}

  /** Takes one base backup of the server at {@code url} whose data is in {@code dataDirectory}. */
  public static JsonObject take(
      DatabaseUrl url, Path dataDirectory, BackupFolder folder, Clock clock)
      throws IOException, SQLException {
    Instant started = clock.instant();
    String id = ID.format(started);
    Files.createDirectories(folder.base());
    Path partial = folder.base().resolve("." + id + ".partial");
    Checksums.deleteTree(partial);
    Path data = Files.createDirectories(partial.resolve("data"));
    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
        Statement st = c.createStatement()) {
      long projects;
      try (ResultSet rs = st.executeQuery("SELECT count(*) FROM ar_projects")) {
        rs.next();
        projects = rs.getLong(1);
      }
      String startWal;
      try (ResultSet rs =
          st.executeQuery(
              "SELECT pg_walfile_name(lsn) FROM pg_backup_start('ar-service "
                  + id
                  + "', true) lsn")) {
        rs.next();
        startWal = rs.getString(1);
      }
      Map<String, String> sums = new LinkedHashMap<>();
      long bytes = copyData(dataDirectory, data, sums);
      try (ResultSet rs =
          st.executeQuery("SELECT labelfile, spcmapfile FROM pg_backup_stop(true)")) {
        rs.next();
        Files.writeString(data.resolve("backup_label"), rs.getString(1));
        sums.put("data/backup_label", Checksums.of(data.resolve("backup_label")));
        String map = rs.getString(2);
        if (map != null && !map.isEmpty()) {
          Files.writeString(data.resolve("tablespace_map"), map);
          sums.put("data/tablespace_map", Checksums.of(data.resolve("tablespace_map")));
        }
      }
      Checksums.write(partial.resolve(BackupFolder.MANIFEST), sums);
      JsonObject info =
          new JsonObject()
              .put("id", id)
              .put("started", started.toString())
              .put("finished", clock.instant().toString())
              .put("startWal", startWal)
              .put("bytes", bytes)
              .put("projects", projects)
              .put("files", sums.size());
      Checksums.writeAtomically(partial.resolve(BackupFolder.INFO), info.encodePrettily());
      Checksums.sync(partial);
      Files.move(partial, folder.base().resolve(id), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      Checksums.sync(folder.base());
      return info;
    } catch (IOException | SQLException | RuntimeException e) {
      Checksums.deleteTree(partial);
      throw e;
    }
  }

  private static long copyData(Path from, Path to, Map<String, String> sums) throws IOException {
    long bytes = 0;
    List<Path> all;
    try (Stream<Path> walk = Files.walk(from)) {
      all = walk.toList();
    }
    for (Path source : all) {
      Path relative = from.relativize(source);
      if (relative.toString().isEmpty() || skipped(relative)) {
        continue;
      }
      Path target = to.resolve(relative.toString());
      try {
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else if (Files.isRegularFile(source)) {
          Files.createDirectories(target.getParent());
          sums.put("data/" + relative, Checksums.copy(source, target, false));
          bytes += Files.size(target);
        }
      } catch (NoSuchFileException dropped) {
        // a table dropped during the copy: the WAL replay drops it too
      }
    }
    return bytes;
  }

  private static boolean skipped(Path relative) {
    String name = relative.getFileName().toString();
    // the password file is the one hidden file of ours the restored server needs
    boolean hidden =
        relative.getNameCount() == 1
            && name.startsWith(".")
            && !name.equals(com.arservice.db.EmbeddedDatabase.PASSWORD_FILE);
    return (relative.getNameCount() > 1 && EMPTIED.contains(relative.getName(0).toString()))
        || SKIPPED.contains(name)
        || name.startsWith("pgsql_tmp")
        || hidden;
  }

  /** Removes base backups and WAL files past the retention; returns how many base backups went. */
  static int prune(BackupFolder folder, Duration retention, Clock clock) throws IOException {
    List<BackupFolder.Base> bases = folder.bases();
    Instant cutoff = clock.instant().minus(retention);
    // the newest base backup finished before the cutoff restores the cutoff's moment: keep it
    int keepFrom = 0;
    for (int i = 0; i < bases.size(); i++) {
      if (bases.get(i).finished().isBefore(cutoff)) {
        keepFrom = i;
      }
    }
    keepFrom = Math.min(keepFrom, bases.size() - 1);
    for (int i = 0; i < keepFrom; i++) {
      Checksums.deleteTree(bases.get(i).dir());
    }
    if (keepFrom >= 0 && !bases.isEmpty()) {
      String oldest = segment(bases.get(keepFrom).startWal());
      List<String> old = new ArrayList<>();
      for (String name : folder.walNames()) {
        if (name.length() >= 24
            && !name.endsWith(".history")
            && segment(name).compareTo(oldest) < 0) {
          old.add(name);
        }
      }
      for (String name : old) {
        Files.deleteIfExists(folder.wal().resolve(name + ".gz.sha256"));
        Files.deleteIfExists(folder.wal().resolve(name + ".gz"));
      }
    }
    return Math.max(0, keepFrom);
  }

  /** The log and segment number of a WAL file name, without its timeline. */
  static String segment(String walName) {
    return walName.substring(8, 24);
  }
}
