package com.arservice.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.arservice.testing.SettableClock;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When the {@code backup} health check turns DOWN, and what it tells the console. */
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
