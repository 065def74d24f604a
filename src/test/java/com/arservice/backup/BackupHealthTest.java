package com.arservice.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.arservice.testing.S3Server;
import com.arservice.testing.SettableClock;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the {@code backup} health check turns DOWN, and what it tells the console; the bucket's
 * retention and shipping against a real S3 server (s3proxy).
 */
class BackupHealthTest {
  private static final String DAILY = "0 3 * * *";

  @Test
  void theCheckIsDownWithoutABaseBackupAndOnceTheNewestIsOlderThanTwiceTheSchedule(
      @TempDir Path folder) throws Exception {
    SettableClock clock = new SettableClock(Instant.parse("2026-05-10T12:00:00Z"));
    assertEquals(
        "no base backup yet", BackupHealth.check(folder, DAILY, clock, false).getString("error"));

    base(folder, "20260510T030000Z", Instant.parse("2026-05-10T03:00:10Z"));
    JsonObject fresh = BackupHealth.check(folder, DAILY, clock, true);
    assertFalse(fresh.containsKey("error"), fresh.encode());
    assertEquals("2026-05-11T03:00:00Z", fresh.getString("nextRun"));
    assertEquals("20260510T030000Z", fresh.getJsonObject("lastBaseBackup").getString("id"));

    clock.advance(Duration.between(clock.instant(), Instant.parse("2026-05-12T03:00:09Z")));
    assertFalse(BackupHealth.check(folder, DAILY, clock, false).containsKey("error"));
    clock.advance(Duration.ofSeconds(2));
    assertEquals(
        "the last good base backup is older than twice the schedule (PT48H)",
        BackupHealth.check(folder, DAILY, clock, false).getString("error"));
  }

  @Test
  void aFailedVerificationTurnsTheCheckDown(@TempDir Path folder) throws Exception {
    SettableClock clock = new SettableClock(Instant.parse("2026-05-10T12:00:00Z"));
    base(folder, "20260510T030000Z", Instant.parse("2026-05-10T03:00:10Z"));
    Files.writeString(
        folder.resolve("verify.json"),
        new JsonObject()
            .put("at", clock.instant().minus(Duration.ofHours(1)).toString())
            .put("ok", false)
            .put("error", "The backup is damaged: x does not match")
            .encode());
    assertEquals(
        "the last verification failed: The backup is damaged: x does not match",
        BackupHealth.check(folder, DAILY, clock, false).getString("error"));
  }

  @Test
  void theBucketKeepsWhatTheFolderPrunedForTheRetentionAndAFailingShippingTurnsTheCheckDown(
      @TempDir Path dir) throws Exception {
    Vertx vertx = Vertx.vertx();
    try (S3Server s3 = S3Server.start(dir.resolve("s3"))) {
      Path folder = dir.resolve("backup");
      SettableClock clock = new SettableClock(Instant.now());
      // finished when the clock will have been moved on by two days
      base(folder, "20260510T030000Z", clock.instant().plus(Duration.ofDays(2)));
      Files.createDirectories(folder.resolve("base/20260510T030000Z/data/pg_notify"));
      Files.writeString(folder.resolve("base/20260510T030000Z/data/PG_VERSION"), "16\n");
      String old = "000000010000000000000001";
      Files.createDirectories(folder.resolve("wal"));
      Files.writeString(folder.resolve("wal/" + old + ".gz"), "wal");
      Files.writeString(folder.resolve("wal/" + old + ".gz.sha256"), "sum");
      BackupBucket bucket = new BackupBucket(s3.bucket(vertx), "b/");
      assertEquals(5, bucket.ship(new BackupFolder(folder), clock));
      assertEquals(
          List.of(
              "b/base/20260510T030000Z/FOLDERS",
              "b/base/20260510T030000Z/backup.json",
              "b/base/20260510T030000Z/data/PG_VERSION",
              "b/wal/" + old + ".gz",
              "b/wal/" + old + ".gz.sha256"),
          s3.keys("b/"));

      Files.delete(folder.resolve("wal/" + old + ".gz"));
      Files.delete(folder.resolve("wal/" + old + ".gz.sha256"));
      Duration retention = Duration.ofDays(1);
      assertEquals(0, bucket.prune(new BackupFolder(folder), retention, clock), "not old yet");
      clock.advance(Duration.ofDays(2));
      assertEquals(2, bucket.prune(new BackupFolder(folder), retention, clock));
      assertEquals(3, s3.keys("b/").size(), "the base backup the folder keeps stays");

      s3.stop();
      Files.writeString(folder.resolve("wal/" + old.replace('1', '2') + ".gz"), "wal");
      assertThrows(IOException.class, () -> bucket.ship(new BackupFolder(folder), clock));
      assertTrue(
          BackupHealth.check(folder, DAILY, clock, false)
              .getString("error")
              .startsWith("the backup does not reach the bucket: "));
      s3.start();
      assertEquals(1, bucket.ship(new BackupFolder(folder), clock));
      assertFalse(BackupHealth.check(folder, DAILY, clock, false).containsKey("error"));
    } finally {
      vertx.close().await();
    }
  }

  private static void base(Path folder, String id, Instant finished) throws Exception {
    Path dir = Files.createDirectories(folder.resolve("base").resolve(id));
    Files.writeString(
        dir.resolve(BackupFolder.INFO),
        new JsonObject()
            .put("id", id)
            .put("started", finished.minusSeconds(10).toString())
            .put("finished", finished.toString())
            .put("startWal", "000000010000000000000002")
            .put("bytes", 1000L)
            .encode());
  }
}
