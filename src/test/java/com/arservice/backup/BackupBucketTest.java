package com.arservice.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.arservice.db.EmbeddedDatabase;
import com.arservice.db.Migrations;
import com.arservice.storage.Bucket;
import com.arservice.testing.Await;
import com.arservice.testing.S3Server;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backup folder shipped to a real S3 server (s3proxy): a restore from the bucket alone, a
 * damaged object refused with nothing restored, and the retention in the bucket.
 */
class BackupBucketTest {
  private static final Clock UTC = Clock.systemUTC();

  @Test
  void theBucketAloneRestoresTheDatabaseAndItsFilesAndADamagedObjectRestoresNothing(
      @TempDir Path dir) throws Exception {
    Vertx vertx = Vertx.vertx();
    try (S3Server s3 = S3Server.start(dir.resolve("s3"))) {
      Bucket bucket = s3.bucket(vertx);
      BackupBucket shipped = new BackupBucket(bucket, "backup/");
      BackupFolder folder = new BackupFolder(dir.resolve("backup"));
      Path storage = Files.createDirectories(dir.resolve("storage/p1"));
      Files.writeString(storage.resolve("target.mind"), "target");
      try (EmbeddedDatabase db =
          EmbeddedDatabase.start(
              dir.resolve("postgres"), 0, WalArchive.into(folder.root(), Duration.ofSeconds(60)))) {
        Migrations.migrate(db.url());
        BaseBackup.take(db.url(), db.dataDirectory(), folder, UTC);
        new FileBackup(folder, Map.of("storage", storage.getParent()))
            .sync(Duration.ofDays(1), UTC);
        execute(
            db,
            "INSERT INTO ar_projects (id, user_id, photo_url, video_url) VALUES ('"
                + UUID.randomUUID()
                + "', 'u', '/p.jpg', '/v.mp4')");
        String wal = execute(db, "SELECT pg_walfile_name(pg_switch_wal())");
        Await.until(
            "the WAL with the project is archived",
            () -> Files.exists(folder.wal().resolve(wal + ".gz")));
      }
      assertTrue(shipped.ship(folder, UTC) > 0);
      assertEquals(0, shipped.ship(folder, UTC), "what the bucket has is not shipped again");
      assertTrue(
          folder.status(false).getJsonObject("bucket").getString("where").endsWith("/backup/"));
      String base = folder.latest().orElseThrow().id();
      Checksums.deleteTree(folder.root()); // the machine and its disks are lost

      Path restored = dir.resolve("restored");
      JsonObject report = Restore.run(shipped, Optional.empty(), targets(restored));
      assertEquals(1, report.getJsonObject("tables").getLong("ar_projects"), report.encode());
      assertEquals("target", Files.readString(restored.resolve("s/p1/target.mind")));
      assertFalse(Files.exists(dir.resolve("restored/.backup-download")), "the download is gone");
      assertTrue(Verify.run(shipped, true, UTC).getBoolean("ok"));

      String damaged = "backup/base/" + base + "/data/PG_VERSION";
      bucket.put(damaged, Buffer.buffer("16\n"), "text/plain").await();
      Path again = dir.resolve("again");
      IOException refused =
          assertThrows(
              IOException.class, () -> Restore.run(shipped, Optional.empty(), targets(again)));
      assertTrue(
          refused
              .getMessage()
              .startsWith("The backup is damaged: s3://ar-bucket/" + damaged + " does not match"),
          refused.getMessage());
      try (var left = Files.list(again)) {
        assertEquals(List.of(), left.toList(), "nothing was restored, not even half");
      }
    } finally {
      vertx.close().await();
    }
  }

  private static Restore.Targets targets(Path into) {
    return new Restore.Targets(
        Optional.of(into.resolve("postgres")), into.resolve("s"), into.resolve("u"));
  }

  /** Runs {@code sql}; answers the first column of its first row, if any. */
  private static String execute(EmbeddedDatabase db, String sql) throws Exception {
    var url = db.url();
    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
        Statement st = c.createStatement()) {
      if (!st.execute(sql)) {
        return null;
      }
      try (var rs = st.getResultSet()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }
}
