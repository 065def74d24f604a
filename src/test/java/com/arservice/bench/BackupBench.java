package com.arservice.bench;

import com.arservice.backup.BackupBenchAccess;
import com.arservice.config.DatabaseUrl;
import com.arservice.db.EmbeddedDatabase;
import com.arservice.db.Migrations;
import com.arservice.storage.Bucket;
import com.arservice.testing.S3Server;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The backup's costs for 1,000 projects on the embedded server: a base backup and the first and an
 * incremental copy of the artifacts (synthetic files of a compiled project's sizes), the WAL
 * archived per hour at rest and while a project is written every second, the time from a commit to
 * its WAL in the backup (the data-loss window), and a full restore; then the same backup shipped to
 * a real S3 server (s3proxy in this JVM, objects on the same disk): the first and an incremental
 * shipping, the data-loss window through the bucket (shipped every 2 s, as the service does) and a
 * restore from it. Run: {@code java -cp ... com.arservice.bench.BackupBench [seconds per WAL
 * period, default 120]}.
 */
public final class BackupBench {
  private static final int PROJECTS = 1_000;
  // marker.mind, video.mp4, photo.jpg, qr.png, index.html of a 5 s 640x512 project
  private static final int[] FILE_SIZES = {200_000, 1_500_000, 150_000, 2_000, 6_000};
  private static final String[] FILE_NAMES = {
    "marker.mind", "video.mp4", "photo.jpg", "qr.png", "index.html"
  };

  private static final Duration WAL_INTERVAL = Duration.ofSeconds(55);

  private BackupBench() {}

  public static void main(String[] args) throws Exception {
    long period = args.length > 0 ? Long.parseLong(args[0]) : 120;
    Path dir = Files.createTempDirectory("ar-backup-bench");
    Path backup = dir.resolve("backup");
    Path storage = Files.createDirectories(dir.resolve("storage"));
    Random random = new Random(1);
    Vertx vertx = Vertx.vertx();
    try (EmbeddedDatabase db =
            EmbeddedDatabase.start(
                dir.resolve("postgres"), 0, BackupBenchAccess.archive(backup, WAL_INTERVAL));
        S3Server s3 = S3Server.start(dir.resolve("s3"))) {
      Migrations.migrate(db.url());
      try (Connection c = connect(db.url());
          Statement st = c.createStatement()) {
        for (int i = 0; i < PROJECTS; i++) {
          project(st, UUID.randomUUID(), storage, random, true);
        }
      }
      long t = System.nanoTime();
      long base = BackupBenchAccess.base(db, backup);
      System.out.printf(
          "base backup of %d projects: %.1f s, %.1f MB%n", PROJECTS, seconds(t), base / 1e6);
      t = System.nanoTime();
      int copied = BackupBenchAccess.files(backup, storage);
      System.out.printf(
          "first file copy: %d files, %.1f s, %.1f MB%n",
          copied, seconds(t), BackupBenchAccess.size(backup.resolve("files")) / 1e6);
      t = System.nanoTime();
      copied = BackupBenchAccess.files(backup, storage);
      System.out.printf(
          "incremental file copy, nothing new: %d files, %.2f s%n", copied, seconds(t));

      long before = BackupBenchAccess.size(backup.resolve("wal"));
      Thread.sleep(period * 1000);
      long atRest = BackupBenchAccess.size(backup.resolve("wal")) - before;
      System.out.printf("WAL archived at rest: %.2f MB/hour%n", atRest * 3600.0 / period / 1e6);

      before = BackupBenchAccess.size(backup.resolve("wal"));
      try (Connection c = connect(db.url());
          Statement st = c.createStatement()) {
        long end = System.currentTimeMillis() + period * 1000;
        while (System.currentTimeMillis() < end) {
          project(st, UUID.randomUUID(), storage, random, false);
          Thread.sleep(1000);
        }
      }
      Thread.sleep(65_000); // the last minute's WAL is archived by the timeout
      long loaded = BackupBenchAccess.size(backup.resolve("wal")) - before;
      System.out.printf(
          "WAL archived with a project a second: %.1f MB/hour%n",
          loaded * 3600.0 / (period + 65) / 1e6);

      Bucket bucket = s3.bucket(vertx);
      Callable<Integer> ship = BackupBenchAccess.shipper(bucket, backup);
      t = System.nanoTime();
      int objects = ship.call();
      System.out.printf("first shipping to the bucket: %d objects, %.1f s%n", objects, seconds(t));
      t = System.nanoTime();
      objects = ship.call();
      System.out.printf("next shipping, nothing new: %d objects, %.2f s%n", objects, seconds(t));

      ScheduledExecutorService shipper = Executors.newSingleThreadScheduledExecutor();
      shipper.scheduleWithFixedDelay(
          () -> {
            try {
              ship.call();
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          },
          0,
          2,
          TimeUnit.SECONDS);
      long window = 0;
      long bucketWindow = 0;
      for (int i = 0; i < 3; i++) {
        Thread.sleep(random.nextInt(20_000));
        long newest = BackupBenchAccess.newestWal(backup);
        int inBucket = s3.keys("backup/wal/").size();
        long committed = System.currentTimeMillis();
        try (Connection c = connect(db.url());
            Statement st = c.createStatement()) {
          st.execute(
              "UPDATE ar_projects SET order_id = 'window' WHERE id IN (SELECT id FROM ar_projects LIMIT 1)");
        }
        while (BackupBenchAccess.newestWal(backup) == newest) {
          Thread.sleep(100);
        }
        window = Math.max(window, System.currentTimeMillis() - committed);
        while (s3.keys("backup/wal/").size() < inBucket + 2) {
          Thread.sleep(100);
        }
        bucketWindow = Math.max(bucketWindow, System.currentTimeMillis() - committed);
      }
      shipper.shutdown();
      shipper.awaitTermination(1, TimeUnit.MINUTES);
      System.out.printf(
          "longest time from a commit to its WAL in the backup (3 commits at random moments): %.1f s,"
              + " in the bucket: %.1f s%n",
          window / 1000.0, bucketWindow / 1000.0);
      ship.call();
      Path fromBucket = dir.resolve("from-bucket");
      t = System.nanoTime();
      BackupBenchAccess.restore(bucket, fromBucket);
      System.out.printf(
          "restore of everything from the bucket (downloaded, checked, replayed): %.1f s%n",
          seconds(t));
    }
    Path restored = dir.resolve("restored");
    long t = System.nanoTime();
    BackupBenchAccess.restore(backup, restored);
    System.out.printf(
        "restore of everything (database replayed, %d+ projects' files checked and copied): %.1f s%n",
        PROJECTS, seconds(t));
    System.out.printf("backup folder: %.1f MB%n", BackupBenchAccess.size(backup) / 1e6);
    vertx.close().await();
  }

  private static void project(Statement st, UUID id, Path storage, Random random, boolean files)
      throws Exception {
    st.execute(
        "INSERT INTO ar_projects (id, user_id, photo_url, video_url, status, marker_mind_url)"
            + " VALUES ('"
            + id
            + "', 'bench', '/objects/uploads/p.jpg', '/objects/uploads/v.mp4', 'ready',"
            + " '/objects/ar-storage/"
            + id
            + "/marker.mind')");
    st.execute(
        "INSERT INTO ar_compilation_logs (project_id, step, status, duration_ms)"
            + " SELECT '"
            + id
            + "', s, 'completed', 100 FROM unnest(ARRAY['normalize','mask','mind','video','qr','page','publish','done']) s");
    st.execute(
        "INSERT INTO ar_webhook_events (id, event_type, project_id, payload) VALUES ('"
            + UUID.randomUUID()
            + "', 'compilation.complete', '"
            + id
            + "', '{\"projectId\":\""
            + id
            + "\"}')");
    if (files) {
      Path folder = Files.createDirectories(storage.resolve(id.toString()));
      for (int f = 0; f < FILE_NAMES.length; f++) {
        byte[] bytes = new byte[FILE_SIZES[f]];
        random.nextBytes(bytes);
        Files.write(folder.resolve(FILE_NAMES[f]), bytes);
      }
    }
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  private static Connection connect(DatabaseUrl url) throws Exception {
    return DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
  }
}
