package com.arservice.legacy;

import com.arservice.config.DatabaseUrl;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyOut;

/**
 * Copies the old service's projects from another database into ours: the old tables are streamed
 * with {@code COPY} into a scratch schema of ours (one snapshot of the source, read only), then
 * converted as adoption converts them, in one transaction. Projects already here are skipped, so a
 * second run changes nothing; an id held here by another project is reported as a conflict.
 */
public final class LegacyImport {
  private static final String SCRATCH = "ar_import";
  private static final String JOBS = SCRATCH + ".pgboss_job";

  private LegacyImport() {}

  /** Imports from {@code from} into {@code into}; a dry run reports and rolls everything back. */
  public static LegacyReport run(
      DatabaseUrl into,
      DatabaseUrl from,
      Path storage,
      LegacyAdoption.Options options,
      boolean dryRun) {
    try (Connection source = LegacyAdoption.connect(from);
        Connection target = LegacyAdoption.connect(into)) {
      source.setAutoCommit(false);
      source.setReadOnly(true);
      LegacyAdoption.execute(source, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
      LegacySource remote = LegacySource.read(source, "public", LegacySource.PGBOSS_JOBS);
      if (!remote.isLegacy()) {
        throw new IllegalStateException(
            "No tables of the old Node AR service in "
                + from.redacted()
                + " (no ar_projects with text ids)");
      }
      target.setAutoCommit(false);
      try {
        // one import at a time: they share the scratch schema's name
        LegacyAdoption.execute(target, "SELECT pg_advisory_xact_lock(hashtext('" + SCRATCH + "'))");
        LegacyAdoption.execute(target, "CREATE SCHEMA " + SCRATCH);
        for (String table : LegacySource.TABLES) {
          if (remote.has(table)) {
            copy(source, target, table, remote.tables().get(table));
          }
        }
        if (remote.jobs() != null) {
          LegacyAdoption.execute(
              target, "CREATE TABLE " + JOBS + " (name text, state text, data jsonb)");
          stream(
              source,
              target,
              "COPY (SELECT name, state::text, data FROM "
                  + LegacySource.PGBOSS_JOBS
                  + ") TO STDOUT",
              "COPY " + JOBS + " FROM STDIN");
        }
        LegacySource src = LegacySource.read(target, SCRATCH, JOBS);
        LegacyConversion conversion = new LegacyConversion(src, options.conversion());
        Map<String, Long> counts = new LinkedHashMap<>(conversion.plan(target, true));
        List<String> notes = new ArrayList<>(conflicts(target));
        notes.addAll(LegacyAdoption.notes(conversion.openJobs(target), options, List.of()));
        if (!dryRun) {
          List<LegacyConversion.Converted> converted = conversion.convert(target, counts);
          notes.addAll(new LegacyArtifacts(storage).attach(target, converted));
        }
        LegacyAdoption.execute(target, "DROP SCHEMA " + SCRATCH + " CASCADE");
        if (dryRun) {
          target.rollback();
        } else {
          target.commit();
        }
        return new LegacyReport(
            "Importing the Node service's projects from " + from.redacted(),
            !dryRun,
            counts,
            notes);
      } catch (SQLException | IOException | RuntimeException e) {
        target.rollback();
        throw e;
      }
    } catch (SQLException | IOException e) {
      throw new IllegalStateException(
          "The import failed, nothing was changed: " + e.getMessage(), e);
    }
  }

  /** Copies one old table, its columns as the source has them (enums as text). */
  private static void copy(
      Connection source, Connection target, String table, Map<String, String> columns)
      throws SQLException {
    List<String> names = new ArrayList<>(columns.keySet());
    List<String> defs = new ArrayList<>();
    List<String> selected = new ArrayList<>();
    for (String name : names) {
      String type = columns.get(name);
      boolean plain = !type.equals("USER-DEFINED") && !type.equals("ARRAY");
      defs.add("\"" + name + "\" " + (plain ? type : "text"));
      selected.add("\"" + name + "\"" + (plain ? "" : "::text"));
    }
    LegacyAdoption.execute(
        target, "CREATE TABLE " + SCRATCH + "." + table + " (" + String.join(", ", defs) + ")");
    stream(
        source,
        target,
        "COPY (SELECT " + String.join(", ", selected) + " FROM public." + table + ") TO STDOUT",
        "COPY " + SCRATCH + "." + table + " FROM STDIN");
  }

  /** Pipes one COPY's rows from the source into the target, a buffer at a time. */
  private static void stream(Connection source, Connection target, String out, String in)
      throws SQLException {
    CopyOut reader = source.unwrap(PGConnection.class).getCopyAPI().copyOut(out);
    CopyIn writer = target.unwrap(PGConnection.class).getCopyAPI().copyIn(in);
    try {
      byte[] row;
      while ((row = reader.readFromCopy()) != null) {
        writer.writeToCopy(row, 0, row.length);
      }
      writer.endCopy();
    } finally {
      if (writer.isActive()) {
        writer.cancelCopy();
      }
      if (reader.isActive()) {
        reader.cancelCopy();
      }
    }
  }

  /** Ids the source shares with other projects here (another user), which are not imported. */
  private static List<String> conflicts(Connection c) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement st =
            c.prepareStatement(
                "SELECT p.id::text FROM "
                    + SCRATCH
                    + ".ar_projects p JOIN public.ar_projects o ON o.id = "
                    + LegacySource.uuidOf("p.id::text")
                    + " WHERE o.user_id <> p.user_id::text ORDER BY 1 LIMIT 21");
        ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    if (out.isEmpty()) {
      return out;
    }
    return List.of(
        "ids taken here by another user's project, not imported: "
            + String.join(", ", out.subList(0, Math.min(20, out.size())))
            + (out.size() > 20 ? ", ..." : ""));
  }
}
