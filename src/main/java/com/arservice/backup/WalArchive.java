package com.arservice.backup;

import com.arservice.db.EmbeddedDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Continuous archiving of the embedded server's WAL into {@code <backup folder>/wal}: PostgreSQL
 * runs {@value #SCRIPT} (written by each start) for every finished WAL file, which stores it
 * gzipped (a file switched early by {@code archive_timeout} is mostly zeros) beside its SHA-256,
 * each written aside, synced and renamed, with only {@code sh}, {@code gzip} and coreutils. A
 * backup folder belongs to one database (its system identifier, kept in {@value #CLUSTER}): a start
 * on another one is refused rather than mixing their WAL.
 */
public final class WalArchive {
  static final String SCRIPT = "archive-wal.sh";
  static final String CLUSTER = "cluster";
  private static final String SCRIPT_TEXT =
      String.join(
          "\n",
          "#!/bin/sh",
          "# Written by AR Service at each start. PostgreSQL's archive_command: sh archive-wal.sh %p %f",
          "set -e",
          "d=\"$(dirname \"$0\")/wal\"",
          "# archived before, and the server crashed before it heard so: done (the rename is last)",
          "[ -f \"$d/$2.gz\" ] && exit 0",
          "gzip -1 -c \"$1\" > \"$d/.$2.gz.tmp\"",
          "sum=$(sha256sum < \"$d/.$2.gz.tmp\")",
          "printf '%s  %s\\n' \"${sum%% *}\" \"$2.gz\" > \"$d/.$2.gz.sha256.tmp\"",
          "sync \"$d/.$2.gz.tmp\" \"$d/.$2.gz.sha256.tmp\"",
          "mv \"$d/.$2.gz.sha256.tmp\" \"$d/$2.gz.sha256\"",
          "mv \"$d/.$2.gz.tmp\" \"$d/$2.gz\"",
          "sync \"$d\"",
          "");

  private WalArchive() {}

  /**
   * The server settings that archive into {@code folder} at least every {@code interval}, after
   * checking that the folder is this data directory's (or empty) and writing the script.
   */
  public static EmbeddedDatabase.Settings into(Path folder, Duration interval) {
    return dataDirectory -> {
      Files.createDirectories(folder.resolve("wal"));
      String id = EmbeddedDatabase.systemIdentifier(dataDirectory);
      Path cluster = folder.resolve(CLUSTER);
      if (Files.exists(cluster)) {
        String owner = Files.readString(cluster, StandardCharsets.US_ASCII).trim();
        if (!owner.equals(id)) {
          throw new IOException(
              "The backup folder "
                  + folder
                  + " holds the backups of another database (system identifier "
                  + owner
                  + ", this one is "
                  + id
                  + "); give AR_BACKUP_DIR an empty folder, or restore from that one first");
        }
      } else {
        Checksums.writeAtomically(cluster, id + "\n");
      }
      Checksums.writeAtomically(folder.resolve(SCRIPT), SCRIPT_TEXT);
      return List.of(
          "archive_mode=on",
          "archive_command=sh '" + folder.resolve(SCRIPT) + "' %p %f",
          "archive_timeout=" + Math.max(1, interval.toSeconds()) + "s",
          // a new WAL file is written zero-filled instead of recycling an old one: what an early
          // switch leaves unused compresses to nothing
          "wal_recycle=off");
    };
  }
}
