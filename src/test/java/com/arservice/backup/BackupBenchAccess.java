package com.arservice.backup;

import com.arservice.db.EmbeddedDatabase;
import com.arservice.storage.Bucket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** The backup's package-private steps for {@code bench.BackupBench}. */
public final class BackupBenchAccess {
  private BackupBenchAccess() {}

  public static EmbeddedDatabase.Settings archive(Path folder, Duration interval) {
    return WalArchive.into(folder, interval);
  }

  /** One base backup; answers its bytes. */
  public static long base(EmbeddedDatabase db, Path folder) throws Exception {
    return BaseBackup.take(
            db.url(), db.dataDirectory(), new BackupFolder(folder), Clock.systemUTC())
        .getLong("bytes");
  }

  public static int files(Path folder, Path storage) throws Exception {
    return new FileBackup(new BackupFolder(folder), Map.of("storage", storage))
        .sync(Duration.ofDays(30), Clock.systemUTC());
  }

  public static void restore(Path folder, Path into) throws Exception {
    Restore.run(
        new BackupFolder(folder),
        Optional.empty(),
        new Restore.Targets(
            Optional.of(into.resolve("postgres")),
            into.resolve("storage"),
            into.resolve("uploads")));
  }

  /** The folder shipped into {@code bucket} under {@code backup/}: reused, it ships what is new. */
  public static Callable<Integer> shipper(Bucket bucket, Path folder) {
    BackupBucket shipped = new BackupBucket(bucket, "backup/");
    return () -> shipped.ship(new BackupFolder(folder), Clock.systemUTC());
  }

  public static void restore(Bucket bucket, Path into) throws Exception {
    Restore.run(
        new BackupBucket(bucket, "backup/"),
        Optional.empty(),
        new Restore.Targets(
            Optional.of(into.resolve("postgres")),
            into.resolve("storage"),
            into.resolve("uploads")));
  }

  /** The modification time of the newest archived WAL file, 0 when none. */
  public static long newestWal(Path folder) throws Exception {
    try (Stream<Path> files = Files.list(folder.resolve("wal"))) {
      return files
          .filter(p -> p.toString().endsWith(".gz"))
          .mapToLong(p -> p.toFile().lastModified())
          .max()
          .orElse(0);
    }
  }

  public static long size(Path dir) throws Exception {
    return BackupFolder.size(dir);
  }
}
