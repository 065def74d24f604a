package com.arservice.backup;

import com.arservice.config.AppConfig;
import com.arservice.config.ConfigException;
import com.arservice.config.ConfigKeys;
import com.arservice.config.S3Settings;
import com.arservice.storage.Bucket;
import com.arservice.storage.S3Client;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * {@code restore --from DIR|s3 [--until TIMESTAMP]} and {@code backup verify [--from DIR|s3]}, run
 * with the service stopped; {@code s3} = the bucket of {@code AR_S3_*} under {@code
 * AR_BACKUP_S3_PREFIX}.
 */
public final class BackupCommands {
  private BackupCommands() {}

  /** Restores into the configured (empty) folders; 0 on success. */
  public static int restore(AppConfig config, List<String> args, PrintStream out) throws Exception {
    Optional<Instant> until = option(args, "--until").map(BackupCommands::instant);
    Restore.Targets targets =
        new Restore.Targets(
            config.database().url().isPresent()
                ? Optional.empty()
                : Optional.of(config.database().dataDir().resolve("postgres")),
            config.storage().artifacts(),
            config.storage().uploads());
    long started = System.nanoTime();
    String from;
    JsonObject report;
    if (fromBucket(args)) {
      try (Opened bucket = bucket(config)) {
        from = bucket.backup().where();
        report = Restore.run(bucket.backup(), until, targets);
      }
    } else {
      Path folder = folder(config, args);
      from = folder.toString();
      report = Restore.run(new BackupFolder(folder), until, targets);
    }
    report.put("seconds", (System.nanoTime() - started) / 1e9);
    out.println(report.encode());
    out.println(
        "Restored from "
            + from
            + (until.map(t -> " as of " + t).orElse(""))
            + (config.database().url().isPresent()
                ? " (files only: restore the external database with its own backups)"
                : "")
            + "; start the service as usual.");
    return 0;
  }

  /** {@code backup verify}: 0 when the backup restored and checked out, else 1. */
  public static int backup(AppConfig config, List<String> args, PrintStream out) throws Exception {
    if (args.isEmpty() || !args.get(0).equals("verify")) {
      throw new ConfigException(
          "backup", "the only backup command is 'backup verify [--from DIR|s3]'");
    }
    boolean artifactsInFolder = config.storage().s3().isEmpty();
    JsonObject report;
    if (fromBucket(args)) {
      try (Opened bucket = bucket(config)) {
        report = Verify.run(bucket.backup(), artifactsInFolder, Clock.systemUTC());
      }
    } else {
      report =
          Verify.run(new BackupFolder(folder(config, args)), artifactsInFolder, Clock.systemUTC());
    }
    out.println(report.encodePrettily());
    return report.getBoolean("ok") ? 0 : 1;
  }

  private static boolean fromBucket(List<String> args) {
    return option(args, "--from").filter("s3"::equals).isPresent();
  }

  /** The bucket of {@code AR_S3_*} with its own Vert.x, closed after the command. */
  private record Opened(Vertx vertx, BackupBucket backup) implements AutoCloseable {
    @Override
    public void close() {
      vertx.close().await();
    }
  }

  private static Opened bucket(AppConfig config) {
    S3Settings s3 =
        config
            .storage()
            .s3()
            .orElseThrow(
                () ->
                    new ConfigException(
                        "--from", "s3 needs the bucket's settings (AR_S3_ENDPOINT and the rest)"));
    String prefix =
        config
            .backup()
            .bucketPrefix()
            .orElseThrow(
                () ->
                    new ConfigException(
                        "--from",
                        "s3 needs "
                            + ConfigKeys.BACKUP_S3_PREFIX
                            + ": the prefix the backup was shipped under"));
    Vertx vertx = Vertx.vertx();
    return new Opened(
        vertx, new BackupBucket(new Bucket(vertx, new S3Client(vertx, s3)), s3.prefix() + prefix));
  }

  private static Path folder(AppConfig config, List<String> args) {
    return option(args, "--from")
        .map(Path::of)
        .or(() -> config.backup().folder())
        .orElseThrow(
            () -> new ConfigException("--from", "say which backup folder (--from DIR or s3)"))
        .toAbsolutePath()
        .normalize();
  }

  private static Optional<String> option(List<String> args, String name) {
    int at = args.indexOf(name);
    if (at >= 0 && at + 1 >= args.size()) {
      throw new ConfigException(name, "needs a value");
    }
    return at < 0 ? Optional.empty() : Optional.of(args.get(at + 1));
  }

  /** {@code 2026-05-01T12:00:00Z} or with an offset, {@code 2026-05-01T14:00:00+02:00}. */
  static Instant instant(String text) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw new ConfigException(
          "--until", "'" + text + "' is not a time such as 2026-05-01T12:00:00Z");
    }
  }
}
