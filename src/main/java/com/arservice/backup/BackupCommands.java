package com.arservice.backup;

import com.arservice.config.AppConfig;
import com.arservice.config.ConfigException;
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
 * {@code restore --from DIR [--until TIMESTAMP]} and {@code backup verify [--from DIR]}, run with
 * the service stopped.
 */
public final class BackupCommands {
  private BackupCommands() {}

  /** Restores into the configured (empty) folders; 0 on success. */
  public static int restore(AppConfig config, List<String> args, PrintStream out) throws Exception {
    Path from = from(config, args);
    Optional<Instant> until = option(args, "--until").map(BackupCommands::instant);
    long started = System.nanoTime();
    JsonObject report =
        Restore.run(
            new BackupFolder(from),
            until,
            new Restore.Targets(
                config.database().url().isPresent()
                    ? Optional.empty()
                    : Optional.of(config.database().dataDir().resolve("postgres")),
                config.storage().artifacts(),
                config.storage().uploads()));
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
          "backup", "the only backup command is 'backup verify [--from DIR]'");
    }
    JsonObject report =
        Verify.run(
            new BackupFolder(from(config, args)),
            config.storage().s3().isEmpty(),
            Clock.systemUTC());
    out.println(report.encodePrettily());
    return report.getBoolean("ok") ? 0 : 1;
  }

  private static Path from(AppConfig config, List<String> args) {
    Optional<String> from = option(args, "--from");
    if (from.isPresent() && from.get().equals("s3")) {
      throw new ConfigException(
          "--from", "backups in a bucket are not supported yet: copy the folder, then --from DIR");
    }
    return from.map(Path::of)
        .or(() -> config.backup().folder())
        .orElseThrow(() -> new ConfigException("--from", "say which backup folder (--from DIR)"))
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
