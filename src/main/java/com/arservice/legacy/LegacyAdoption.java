package com.arservice.legacy;

import com.arservice.config.DatabaseUrl;
import com.arservice.config.QueueSettings;
import com.arservice.db.Migrations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adopts, in place, a database that the old Node service made: its tables move to the schema {@link
 * LegacySource#ASIDE} untouched (for rollback, and for what cannot be mapped), our schema is built
 * and filled from them, all in the migrations' one transaction under Flyway's lock. pg-boss's
 * schema stays unless {@link Options#dropPgboss()}. A database adopted before is left alone.
 */
public final class LegacyAdoption {
  /** Where a database stands. */
  public enum State {
    /** Empty, or ours: nothing to adopt. */
    NONE,
    /** Holds the old service's tables and no schema of ours. */
    LEGACY,
    /** Adopted before. */
    ADOPTED
  }

  /**
   * @param requeue whether the old service's unfinished projects get a compile job in our queue
   * @param dropPgboss whether pg-boss's schema is dropped
   * @param timeZone the zone the old service's {@code timestamp} columns are in
   */
  public record Options(
      boolean requeue,
      boolean dropPgboss,
      String timeZone,
      int retryLimit,
      long retryDelayMs,
      long expireInMs) {
    /** With the queue's retry settings for the jobs of projects queued again. */
    public static Options of(
        QueueSettings queue, boolean requeue, boolean dropPgboss, String timeZone) {
      return new Options(
          requeue,
          dropPgboss,
          timeZone,
          queue.retryLimit(),
          queue.retryDelay().toMillis(),
          queue.expireIn().toMillis());
    }

    LegacyConversion.Options conversion() {
      return new LegacyConversion.Options(requeue, timeZone, retryLimit, retryDelayMs, expireInMs);
    }
  }

  /** The old service's containers ran in UTC. */
  public static final String DEFAULT_ZONE = "UTC";

  private static final String FUNCTION = "update_updated_at_column()";

  private LegacyAdoption() {}

  /** Whether {@code url}'s database holds the old service's tables, ours, or was adopted. */
  public static State state(DatabaseUrl url) {
    try (Connection c = connect(url)) {
      if (exists(c, LegacySource.ASIDE + ".adoption")) {
        return State.ADOPTED;
      }
      return LegacySource.read(c, "public", null).isLegacy() ? State.LEGACY : State.NONE;
    } catch (SQLException e) {
      throw new IllegalStateException("Could not inspect the database: " + e.getMessage(), e);
    }
  }

  /** The sentence for a start that finds the old tables but was not asked to adopt them. */
  public static String refusal(DatabaseUrl url) {
    return "The database "
        + url.redacted()
        + " holds the old Node AR service's tables and no AR Service schema. Back it up, then run"
        + " `java -jar ar-service.jar adopt --dry-run` to see what converting it in place does and"
        + " `adopt --apply` (or start once with AR_ADOPT_LEGACY_SCHEMA=true) to do it; see README,"
        + " \"Switching from the Node service\".";
  }

  /** What adopting would do; changes nothing. */
  public static LegacyReport plan(DatabaseUrl url, Options options) {
    try (Connection c = connect(url)) {
      c.setReadOnly(true);
      LegacySource src = LegacySource.read(c, "public", LegacySource.PGBOSS_JOBS);
      LegacyConversion conversion = new LegacyConversion(src, options.conversion());
      return new LegacyReport(
          "Adopting the Node service's tables in " + url.redacted(),
          false,
          conversion.plan(c, false),
          notes(conversion.openJobs(c), options, List.of()));
    } catch (SQLException e) {
      throw new IllegalStateException("Could not read the old tables: " + e.getMessage(), e);
    }
  }

  /**
   * Adopts the database (it must be {@link State#LEGACY}); {@code storage} is {@code
   * AR_STORAGE_PATH}, where the old projects' folders are.
   */
  public static LegacyReport apply(DatabaseUrl url, Path storage, Options options) {
    Map<String, Long> counts = new LinkedHashMap<>();
    List<String> notes = new ArrayList<>();
    boolean[] converted = {false};
    Migrations.migrate(
        url,
        new Migrations.Conversion() {
          @Override
          public void before(Connection c) throws SQLException {
            converted[0] = true;
            LegacySource src = LegacySource.read(c, "public", LegacySource.PGBOSS_JOBS);
            LegacyConversion conversion = new LegacyConversion(src, options.conversion());
            counts.putAll(conversion.plan(c, false));
            notes.addAll(notes(conversion.openJobs(c), options, List.of()));
            execute(c, "CREATE SCHEMA " + LegacySource.ASIDE);
            for (String table : LegacySource.TABLES) {
              if (src.has(table)) {
                execute(c, "ALTER TABLE public." + table + " SET SCHEMA " + LegacySource.ASIDE);
              }
            }
            if (exists(c, "public." + FUNCTION, "to_regprocedure")) {
              execute(c, "ALTER FUNCTION public." + FUNCTION + " SET SCHEMA " + LegacySource.ASIDE);
            }
          }

          @Override
          public void after(Connection c) throws SQLException {
            LegacySource src = LegacySource.read(c, LegacySource.ASIDE, LegacySource.PGBOSS_JOBS);
            List<LegacyConversion.Converted> converted =
                new LegacyConversion(src, options.conversion()).convert(c, counts);
            try {
              notes.addAll(new LegacyArtifacts(storage).attach(c, converted));
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
            if (options.dropPgboss()) {
              execute(c, "DROP SCHEMA IF EXISTS pgboss CASCADE");
            }
            execute(
                c,
                "CREATE TABLE "
                    + LegacySource.ASIDE
                    + ".adoption (adopted_at timestamptz NOT NULL DEFAULT now(), report text NOT NULL)");
            try (PreparedStatement st =
                c.prepareStatement(
                    "INSERT INTO " + LegacySource.ASIDE + ".adoption (report) VALUES (?)")) {
              st.setString(
                  1, String.join("\n", new LegacyReport("Adopted", true, counts, notes).lines()));
              st.executeUpdate();
            }
          }
        });
    if (!converted[0]) {
      // another instance, started at the same time, adopted it while this one waited for the lock
      return new LegacyReport(
          "Nothing to adopt: " + url.redacted() + " was adopted by another instance",
          true,
          counts,
          notes);
    }
    return new LegacyReport(
        "Adopted the Node service's tables in " + url.redacted(), true, counts, notes);
  }

  /** When and what an earlier adoption did. */
  public static String previous(DatabaseUrl url) {
    try (Connection c = connect(url);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT adopted_at, report FROM "
                    + LegacySource.ASIDE
                    + ".adoption ORDER BY adopted_at LIMIT 1")) {
      return rs.next() ? "on " + rs.getObject(1) + ":\n" + rs.getString(2) : "";
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  static List<String> notes(List<String> openJobs, Options options, List<String> more) {
    List<String> out = new ArrayList<>();
    if (!openJobs.isEmpty()) {
      out.add(
          openJobs.size()
              + " compile job(s) were unfinished in pg-boss, for "
              + String.join(", ", openJobs.subList(0, Math.min(20, openJobs.size())))
              + (openJobs.size() > 20 ? ", ..." : "")
              + (options.requeue()
                  ? ": their projects are queued again in ours"
                  : ": their projects end in error (--requeue queues them again)"));
    }
    out.add(
        "times without a time zone are read as "
            + options.timeZone()
            + "; the old tables stay in schema "
            + LegacySource.ASIDE
            + (options.dropPgboss()
                ? ", pg-boss's schema is dropped"
                : ", pg-boss's schema stays"));
    out.addAll(more);
    return out;
  }

  static Connection connect(DatabaseUrl url) throws SQLException {
    return DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
  }

  private static boolean exists(Connection c, String name) throws SQLException {
    return exists(c, name, "to_regclass");
  }

  private static boolean exists(Connection c, String name, String function) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("SELECT " + function + "(?) IS NOT NULL")) {
      st.setString(1, name);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() && rs.getBoolean(1);
      }
    }
  }

  static void execute(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }
}
