package com.arservice.backup;

import com.arservice.db.EmbeddedDatabase;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Puts a backup back: the newest base backup finished before the moment asked for (or the newest),
 * then PostgreSQL's own point-in-time recovery replays the archived WAL up to that moment (or to
 * its end) and promotes, and the artifacts and uploads are copied back. Every file read is checked
 * against its SHA-256 first, and everything is assembled beside its destination and renamed into
 * place only when all of it succeeded: a damaged backup leaves the destinations as they were.
 */
public final class Restore {
  private static final Duration RECOVERY_TIMEOUT = Duration.ofHours(2);
  // PostgreSQL's own form: its check of recovery_target_time takes no ISO 'T' and 'Z'
  private static final DateTimeFormatter TARGET_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS'+00'").withZone(ZoneOffset.UTC);

  /**
   * Where to restore to; each folder must be missing or empty.
   *
   * @param database the embedded server's data directory; empty = an external database, whose
   *     backups are its operator's
   */
  public record Targets(Optional<Path> database, Path storage, Path uploads) {}

  private Restore() {}

  /** Restores {@code folder} into {@code targets}; answers what was restored. */
  public static JsonObject run(BackupFolder folder, Optional<Instant> until, Targets targets)
      throws IOException {
    List<Path> destinations = destinations(targets);
    for (Path destination : destinations) {
      // left by an interrupted restore
      Checksums.deleteTree(staging(destination));
    }
    List<Path> staged = new ArrayList<>();
    try {
      JsonObject report = new JsonObject();
      if (targets.database().isPresent()) {
        Path data = staging(targets.database().get());
        staged.add(data);
        report.mergeIn(database(folder, until, data));
      }
      Path storage = Files.createDirectories(staging(targets.storage()));
      Path uploads = Files.createDirectories(staging(targets.uploads()));
      staged.addAll(List.of(storage, uploads));
      report.put("files", files(folder, Map.of("storage", storage, "uploads", uploads)));
      for (int i = 0; i < destinations.size(); i++) {
        Path destination = destinations.get(i);
        Path from = staging(destination);
        Files.deleteIfExists(destination);
        Files.createDirectories(destination.getParent());
        Files.move(from, destination, StandardCopyOption.ATOMIC_MOVE);
      }
      return report;
    } catch (IOException | RuntimeException e) {
      for (Path p : staged) {
        Checksums.deleteTree(p);
      }
      throw e;
    }
  }

  /**
   * Restores the backup in {@code bucket} into {@code targets}: what it needs is downloaded beside
   * the first destination, then restored from there as from a folder; answers what was restored.
   */
  public static JsonObject run(BackupBucket bucket, Optional<Instant> until, Targets targets)
      throws IOException {
    Path into = destinations(targets).get(0).resolveSibling(".backup-download");
    Checksums.deleteTree(into);
    try {
      bucket.fetch(until, into);
      return run(new BackupFolder(into), until, targets);
    } catch (IOException e) {
      throw new IOException(bucket.named(e.getMessage(), into), e);
    } finally {
      Checksums.deleteTree(into);
    }
  }

  /** The destinations, database last; refused unless each is missing or empty. */
  private static List<Path> destinations(Targets targets) throws IOException {
    List<Path> destinations = new ArrayList<>(List.of(targets.storage(), targets.uploads()));
    targets.database().ifPresent(destinations::add);
    for (Path destination : destinations) {
      if (!empty(destination)) {
        throw new IOException(
            destination
                + " is not empty: a restore goes into empty folders only (nothing was changed)");
      }
    }
    return destinations;
  }

  /**
   * Assembles the database in {@code data} (which must not exist) and runs its recovery; answers
   * the base backup used and the row count of every table.
   */
  static JsonObject database(BackupFolder folder, Optional<Instant> until, Path data)
      throws IOException {
    BackupFolder.Base base = choose(folder, until);
    Path wal = data.resolveSibling(data.getFileName() + "-wal");
    try {
      copyBase(base, data);
      copyWal(folder, base, Files.createDirectories(wal));
      Files.createFile(data.resolve("recovery.signal"));
      List<String> settings = new ArrayList<>();
      settings.add("restore_command=cp '" + wal + "/%f' %p");
      settings.add("recovery_target_action=promote");
      settings.add("archive_mode=off");
      until.ifPresent(t -> settings.add("recovery_target_time=" + TARGET_TIME.format(t)));
      JsonObject report = new JsonObject().put("baseBackup", base.id());
      try (EmbeddedDatabase db = EmbeddedDatabase.start(data, 0, dir -> settings)) {
        JsonObject tables = awaitPromotion(db, data);
        report.put("sample", tables.remove("sample")).put("tables", tables);
      }
      return report;
    } finally {
      Checksums.deleteTree(wal);
      Files.deleteIfExists(data.resolveSibling(data.getFileName() + ".lock"));
    }
  }

  static BackupFolder.Base choose(BackupFolder folder, Optional<Instant> until) throws IOException {
    List<BackupFolder.Base> bases = folder.bases();
    if (bases.isEmpty()) {
      throw new IOException(folder.root() + " holds no finished base backup");
    }
    BackupFolder.Base chosen = null;
    for (BackupFolder.Base base : bases) {
      if (until.isEmpty() || !base.finished().isAfter(until.get())) {
        chosen = base;
      }
    }
    if (chosen == null) {
      throw new IOException(
          "No base backup finished before "
              + until.get()
              + "; the oldest one kept finished at "
              + bases.get(0).finished());
    }
    return chosen;
  }

  private static void copyBase(BackupFolder.Base base, Path data) throws IOException {
    Map<String, String> sums = Checksums.read(base.dir().resolve(BackupFolder.MANIFEST));
    Path from = base.dir().resolve("data");
    Set<String> copied = new HashSet<>();
    List<Path> all;
    try (Stream<Path> walk = Files.walk(from)) {
      all = walk.toList();
    }
    for (Path source : all) {
      Path target = data.resolve(from.relativize(source).toString());
      if (Files.isDirectory(source)) {
        Files.createDirectories(target);
        continue;
      }
      String name = "data/" + from.relativize(source);
      check(source, sums.get(name), Checksums.copy(source, target, false));
      copied.add(name);
    }
    for (String name : sums.keySet()) {
      if (!copied.contains(name)) {
        throw damaged(base.dir().resolve(name), "it is missing");
      }
    }
    // the server refuses a data directory others may read
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
  }

  /** The WAL files from the base backup's start on (and every timeline history), ungzipped. */
  private static void copyWal(BackupFolder folder, BackupFolder.Base base, Path wal)
      throws IOException {
    String start = BaseBackup.segment(base.startWal());
    for (String name : folder.walNames()) {
      boolean history = name.endsWith(".history");
      if (!history && (name.length() != 24 || BaseBackup.segment(name).compareTo(start) < 0)) {
        continue;
      }
      Path gz = folder.wal().resolve(name + ".gz");
      Map<String, String> sum = Checksums.read(folder.wal().resolve(name + ".gz.sha256"));
      check(gz, sum.get(name + ".gz"), Checksums.copy(gz, wal.resolve(name), true));
    }
  }

  /** Copies every file of the manifest into its folder, checking each. */
  static int files(BackupFolder folder, Map<String, Path> into) throws IOException {
    Map<String, String> sums = Checksums.read(folder.files().resolve(BackupFolder.MANIFEST));
    int count = 0;
    for (Map.Entry<String, String> entry : sums.entrySet()) {
      String name = entry.getKey();
      int slash = name.indexOf('/');
      Path root = into.get(name.substring(0, slash));
      Path source = folder.files().resolve(name);
      if (root == null || !Files.exists(source)) {
        throw damaged(source, "it is missing");
      }
      Path target = root.resolve(name.substring(slash + 1));
      Files.createDirectories(target.getParent());
      check(source, entry.getValue(), Checksums.copy(source, target, false));
      Files.setLastModifiedTime(target, Files.getLastModifiedTime(source));
      count++;
    }
    return count;
  }

  static void check(Path file, String expected, String actual) throws IOException {
    if (expected == null) {
      throw damaged(file, "its manifest has no checksum for it");
    }
    if (!expected.equals(actual)) {
      throw damaged(file, "its SHA-256 is " + actual + " but the manifest says " + expected);
    }
  }

  private static IOException damaged(Path file, String why) {
    return new IOException(
        "The backup is damaged: " + file + " does not match (" + why + "); nothing was restored");
  }

  /**
   * Waits until the server has replayed what it was asked to and promoted itself; answers the row
   * count of each table of the public schema.
   */
  private static JsonObject awaitPromotion(EmbeddedDatabase db, Path data) throws IOException {
    Instant deadline = Instant.now().plus(RECOVERY_TIMEOUT);
    var url = db.url();
    while (true) {
      try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
          Statement st = c.createStatement()) {
        try (ResultSet rs = st.executeQuery("SELECT pg_is_in_recovery()")) {
          rs.next();
          if (!rs.getBoolean(1)) {
            return counts(st).put("sample", sample(st));
          }
        }
      } catch (SQLException e) {
        if (Instant.now().isAfter(deadline) || !Files.exists(data.resolve("postmaster.pid"))) {
          throw new IOException("The restored database did not recover: " + lastProblem(data), e);
        }
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IOException(
            "The restored database was still recovering after " + RECOVERY_TIMEOUT);
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while the restored database recovered", e);
      }
    }
  }

  private static JsonObject counts(Statement st) throws SQLException {
    List<String> tables = new ArrayList<>();
    try (ResultSet rs =
        st.executeQuery(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
                + " AND table_type = 'BASE TABLE' ORDER BY table_name")) {
      while (rs.next()) {
        tables.add(rs.getString(1));
      }
    }
    JsonObject counts = new JsonObject();
    for (String table : tables) {
      try (ResultSet rs = st.executeQuery("SELECT count(*) FROM \"" + table + "\"")) {
        rs.next();
        counts.put(table, rs.getLong(1));
      }
    }
    return counts;
  }

  /** Up to 20 ready projects, at random: {@link Verify} checks their files. */
  private static io.vertx.core.json.JsonArray sample(Statement st) throws SQLException {
    io.vertx.core.json.JsonArray ids = new io.vertx.core.json.JsonArray();
    try (ResultSet rs =
        st.executeQuery(
            "SELECT id FROM ar_projects WHERE status = 'ready' ORDER BY random() LIMIT 20")) {
      while (rs.next()) {
        ids.add(rs.getString(1));
      }
    }
    return ids;
  }

  private static String lastProblem(Path data) throws IOException {
    Path log = data.resolve("server.log");
    if (!Files.exists(log)) {
      return "the server wrote no log";
    }
    List<String> lines = Files.readAllLines(log);
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (lines.get(i).contains("FATAL:")) {
        return lines.get(i).substring(lines.get(i).indexOf("FATAL:"));
      }
    }
    return lines.isEmpty() ? "no output" : lines.get(lines.size() - 1);
  }

  private static Path staging(Path destination) {
    return destination.resolveSibling(destination.getFileName() + ".restoring");
  }

  private static boolean empty(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return true;
    }
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }
}
