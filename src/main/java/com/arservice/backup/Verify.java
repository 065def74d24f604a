package com.arservice.backup;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * {@code backup verify}: restores the newest base backup and every WAL file after it into a scratch
 * folder (each file checked against its SHA-256 on the way), lets the database recover and start,
 * checks that it has at least the projects the base backup started with, and checks the backed-up
 * files of a sample of its ready projects against their checksums. The report is kept in {@code
 * verify.json} for the console and the health check.
 */
public final class Verify {
  private Verify() {}

  /**
   * Verifies {@code folder}; {@code artifactsInFolder} = the artifacts are backed up there (not in
   * a bucket). Never throws for a bad backup: the report says {@code ok: false} and why.
   */
  public static JsonObject run(BackupFolder folder, boolean artifactsInFolder, Clock clock)
      throws IOException {
    Instant started = clock.instant();
    JsonObject report = new JsonObject().put("at", started.toString());
    Path scratch = Files.createTempDirectory("ar-backup-verify");
    try {
      JsonObject db = Restore.database(folder, Optional.empty(), scratch.resolve("postgres"));
      report
          .put("baseBackup", db.getString("baseBackup"))
          .put("tables", db.getJsonObject("tables"));
      long projects = db.getJsonObject("tables").getLong("ar_projects", 0L);
      long atStart =
          BackupFolder.Base.read(folder.base().resolve(db.getString("baseBackup"))).projects();
      if (projects < atStart) {
        throw new IOException(
            "the restored database has "
                + projects
                + " projects, fewer than the "
                + atStart
                + " its base backup started with");
      }
      report.put("sampled", artifactsInFolder ? checkSample(folder, db.getJsonArray("sample")) : 0);
      report.put("ok", true);
    } catch (IOException e) {
      report.put("ok", false).put("error", e.getMessage());
    } finally {
      Checksums.deleteTree(scratch);
    }
    report.put("seconds", Duration.between(started, clock.instant()).toMillis() / 1000.0);
    Checksums.writeAtomically(folder.verifyReport(), report.encodePrettily());
    return report;
  }

  /** Verifies the backup in {@code bucket}, downloaded into a scratch folder first. */
  public static JsonObject run(BackupBucket bucket, boolean artifactsInFolder, Clock clock)
      throws IOException {
    Path into = Files.createTempDirectory("ar-backup-download");
    try {
      bucket.fetch(Optional.empty(), into);
      JsonObject report = run(new BackupFolder(into), artifactsInFolder, clock);
      return report.containsKey("error")
          ? report.put("error", bucket.named(report.getString("error"), into))
          : report;
    } finally {
      Checksums.deleteTree(into);
    }
  }

  /**
   * Every backed-up file of each sampled project matches its checksum; answers the files checked.
   */
  private static int checkSample(BackupFolder folder, JsonArray ids) throws IOException {
    Map<String, String> sums = Checksums.read(folder.files().resolve(BackupFolder.MANIFEST));
    int checked = 0;
    for (Object id : ids) {
      String prefix = "storage/" + id + "/";
      int files = 0;
      for (Map.Entry<String, String> entry : sums.entrySet()) {
        if (entry.getKey().startsWith(prefix)) {
          Path file = folder.files().resolve(entry.getKey());
          if (!Files.exists(file)) {
            throw new IOException("The backup is damaged: " + file + " is missing");
          }
          Restore.check(file, entry.getValue(), Checksums.of(file));
          files++;
        }
      }
      if (files == 0) {
        throw new IOException("the backup has no files of the ready project " + id);
      }
      checked += files;
    }
    return checked;
  }
}
