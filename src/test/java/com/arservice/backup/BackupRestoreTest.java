package com.arservice.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.arservice.config.DatabaseUrl;
import com.arservice.db.EmbeddedDatabase;
import com.arservice.db.Migrations;
import com.arservice.testing.Await;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base backup, WAL archiving, point-in-time restore, verify and a damaged file, on a real embedded
 * server with the service's schema.
 */
class BackupRestoreTest {
  private static final Clock UTC = Clock.systemUTC();

  @Test
  void aRestoreUntilAMomentHasTheRowsCommittedBeforeItAndARestoreOfEverythingHasAllOfThem(
      @TempDir Path dir) throws Exception {
    BackupFolder folder = new BackupFolder(dir.resolve("backup"));
    Path storage = Files.createDirectories(dir.resolve("storage"));
    UUID first = UUID.randomUUID();
    UUID second = UUID.randomUUID();
    Instant between;
    try (EmbeddedDatabase db =
        EmbeddedDatabase.start(
            dir.resolve("postgres"), 0, WalArchive.into(folder.root(), Duration.ofSeconds(60)))) {
      Migrations.migrate(db.url());
      insert(db.url(), UUID.randomUUID());
      JsonObject info = BaseBackup.take(db.url(), db.dataDirectory(), folder, UTC);
      assertEquals(1, info.getLong("projects"));
      Files.createDirectories(storage.resolve(first.toString()));
      Files.writeString(storage.resolve(first + "/marker.mind"), "target");
      FileBackup files = new FileBackup(folder, Map.of("storage", storage));
      assertEquals(1, files.sync(Duration.ofDays(1), UTC));
      assertEquals(0, files.sync(Duration.ofDays(1), UTC), "an unchanged file is copied once");
      insert(db.url(), first);
      between = Instant.now();
      Thread.sleep(50); // two commits apart in time, as an operator's moment is
      insert(db.url(), second);
      String wal = switchWal(db.url());
      Await.until("the WAL with the second project is archived", () -> archived(db.url(), wal));
    }
    Path until = dir.resolve("until");
    JsonObject asOf =
        Restore.run(
            folder,
            Optional.of(between),
            new Restore.Targets(
                Optional.of(until.resolve("postgres")), until.resolve("s"), until.resolve("u")));
    assertEquals(2, asOf.getJsonObject("tables").getLong("ar_projects"), asOf.encode());
    assertEquals("target", Files.readString(until.resolve("s/" + first + "/marker.mind")));

    Path all = dir.resolve("all");
    JsonObject everything =
        Restore.run(
            folder,
            Optional.empty(),
            new Restore.Targets(
                Optional.of(all.resolve("postgres")), all.resolve("s"), all.resolve("u")));
    assertEquals(3, everything.getJsonObject("tables").getLong("ar_projects"));

    JsonObject verified = Verify.run(folder, true, UTC);
    assertTrue(verified.getBoolean("ok"), verified.encode());
    assertEquals(3, verified.getJsonObject("tables").getLong("ar_projects"));

    // a folder holding another database's backups is refused before the server starts
    Files.writeString(folder.root().resolve(WalArchive.CLUSTER), "42\n");
    IOException another =
        assertThrows(
            IOException.class,
            () ->
                EmbeddedDatabase.start(
                    all.resolve("postgres"),
                    0,
                    WalArchive.into(folder.root(), Duration.ofSeconds(60))));
    assertTrue(
        another.getMessage().contains("holds the backups of another database"),
        another.getMessage());
  }

  @Test
  void aDamagedBackupFileIsRefusedByRestoreAndVerifyAndNothingIsRestored(@TempDir Path dir)
      throws Exception {
    BackupFolder folder = new BackupFolder(dir.resolve("backup"));
    try (EmbeddedDatabase db =
        EmbeddedDatabase.start(
            dir.resolve("postgres"), 0, WalArchive.into(folder.root(), Duration.ofSeconds(60)))) {
      Migrations.migrate(db.url());
      BaseBackup.take(db.url(), db.dataDirectory(), folder, UTC);
    }
    Path base = folder.latest().orElseThrow().dir();
    Path damaged = base.resolve("data/PG_VERSION");
    Files.writeString(damaged, "16\n");

    Path target = dir.resolve("restored");
    IOException refused =
        assertThrows(
            IOException.class,
            () ->
                Restore.run(
                    folder,
                    Optional.empty(),
                    new Restore.Targets(
                        Optional.of(target.resolve("postgres")),
                        target.resolve("s"),
                        target.resolve("u"))));
    assertTrue(
        refused.getMessage().startsWith("The backup is damaged: " + damaged + " does not match"),
        refused.getMessage());
    try (var left = Files.list(target)) {
      assertEquals(List.of(), left.toList(), "nothing was restored, not even half");
    }

    JsonObject verified = Verify.run(folder, true, UTC);
    assertFalse(verified.getBoolean("ok"));
    assertTrue(verified.getString("error").contains(damaged.toString()), verified.encode());
  }

  private static void insert(DatabaseUrl url, UUID id) throws SQLException {
    try (Connection c = connect(url);
        Statement st = c.createStatement()) {
      st.execute(
          "INSERT INTO ar_projects (id, user_id, photo_url, video_url) VALUES ('"
              + id
              + "', 'u', '/p.jpg', '/v.mp4')");
    }
  }

  /** Ends the current WAL file; answers its name. */
  private static String switchWal(DatabaseUrl url) throws SQLException {
    try (Connection c = connect(url);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT pg_walfile_name(pg_switch_wal())")) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static boolean archived(DatabaseUrl url, String wal) throws SQLException {
    try (Connection c = connect(url);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT last_archived_wal FROM pg_stat_archiver")) {
      rs.next();
      String last = rs.getString(1);
      return last != null && last.compareTo(wal) >= 0;
    }
  }

  private static Connection connect(DatabaseUrl url) throws SQLException {
    return DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
  }
}
