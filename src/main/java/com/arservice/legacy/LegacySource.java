package com.arservice.legacy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The old Node service's tables as one schema holds them, with each table's columns and their
 * types, so the conversion reads the columns that are there (its versions added some) and turns a
 * missing one into NULL.
 *
 * @param schema where the tables are: {@code public} before adoption, {@link #ASIDE} after it, a
 *     temporary schema for an import
 * @param jobs the table of pg-boss jobs (qualified), or null without one
 */
record LegacySource(String schema, Map<String, Map<String, String>> tables, String jobs) {
  /** Where adoption keeps the old tables, untouched, after converting them. */
  static final String ASIDE = "ar_legacy";

  static final String PROJECTS = "ar_projects";
  static final String ITEMS = "ar_project_items";
  static final String LOGS = "ar_compilation_logs";
  static final String WEBHOOKS = "ar_webhook_events";
  static final List<String> TABLES = List.of(PROJECTS, ITEMS, LOGS, WEBHOOKS);

  /** The pg-boss job table the old service's queue used. */
  static final String PGBOSS_JOBS = "pgboss.job";

  private static final String UUID_PATTERN =
      "'^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'";

  /** The old tables in {@code schema}, and pg-boss's job table at {@code jobs} when it exists. */
  static LegacySource read(Connection c, String schema, String jobs) throws SQLException {
    Map<String, Map<String, String>> tables = new HashMap<>();
    try (PreparedStatement st =
        c.prepareStatement(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
                + "WHERE table_schema = ? AND table_name = ANY (?)")) {
      st.setString(1, schema);
      st.setArray(2, c.createArrayOf("text", TABLES.toArray()));
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          tables
              .computeIfAbsent(rs.getString(1), t -> new HashMap<>())
              .put(rs.getString(2), rs.getString(3));
        }
      }
    }
    boolean hasJobs = false;
    if (jobs != null) {
      try (PreparedStatement st = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
        st.setString(1, jobs);
        try (ResultSet rs = st.executeQuery()) {
          hasJobs = rs.next() && rs.getBoolean(1);
        }
      }
    }
    return new LegacySource(schema, tables, hasJobs ? jobs : null);
  }

  /** Whether the schema holds the old service's projects (text ids, not our uuid ones). */
  boolean isLegacy() {
    String idType = column(PROJECTS, "id");
    return idType != null && !"uuid".equals(idType);
  }

  boolean has(String table) {
    return tables.containsKey(table);
  }

  /** The table's qualified name. */
  String table(String table) {
    return schema + "." + table;
  }

  private String column(String table, String column) {
    Map<String, String> columns = tables.get(table);
    return columns == null ? null : columns.get(column);
  }

  /** {@code alias.column} cast to {@code type}, or a NULL of that type where there is no column. */
  String col(String table, String alias, String column, String type) {
    return column(table, column) == null ? "NULL::" + type : alias + "." + column + "::" + type;
  }

  /**
   * A time column as {@code timestamptz}: the old service's {@code timestamp} columns hold the
   * server's local time, read in {@code zone}.
   */
  String time(String table, String alias, String column, String zone) {
    String type = column(table, column);
    if (type == null) {
      return "NULL::timestamptz";
    }
    return type.equals("timestamp without time zone")
        ? "(" + alias + "." + column + " AT TIME ZONE " + literal(zone) + ")"
        : alias + "." + column + "::timestamptz";
  }

  /** A ratio column (a number, or "16:9") as a number; anything else NULL. */
  String ratio(String table, String alias, String column) {
    if (column(table, column) == null) {
      return "NULL::double precision";
    }
    String v = "btrim(" + alias + "." + column + "::text)";
    return "CASE WHEN "
        + v
        + " ~ '^[0-9]+(\\.[0-9]+)?$' THEN "
        + v
        + "::double precision WHEN "
        + v
        + " ~ '^[0-9]+(\\.[0-9]+)? *[:/] *[0-9]*[1-9][0-9]*(\\.[0-9]+)?$' THEN "
        + "split_part(regexp_replace("
        + v
        + ", ' *[:/] *', ':'), ':', 1)::double precision / split_part(regexp_replace("
        + v
        + ", ' *[:/] *', ':'), ':', 2)::double precision END";
  }

  /** True where {@code expression} (text) is a UUID. */
  static String isUuid(String expression) {
    return expression + " ~ " + UUID_PATTERN;
  }

  /** {@code expression} (text) as a uuid, NULL where it is none (a bare cast would fail). */
  static String uuidOf(String expression) {
    return "CASE WHEN " + isUuid(expression) + " THEN lower(" + expression + ")::uuid END";
  }

  static String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
  }
}
