package com.arservice.bench;

import com.arservice.analytics.DeviceFamily;
import com.arservice.analytics.Measure;
import com.arservice.analytics.Tally;
import com.arservice.config.DatabaseUrl;
import com.arservice.testing.PostgresExtension;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * What the viewer analytics cost in PostgreSQL: 1,000 projects scanned every day for a year, from
 * 1, 3 and all 9 device families a day, written as the service writes them (one row per project,
 * day and family, every count and bucket non-zero); prints {@code pg_total_relation_size} of {@code
 * ar_viewer_days} (table, TOAST and indexes) for each. Runs on its own embedded PostgreSQL.
 */
public final class ViewerAnalyticsSizeBench {
  private static final int PROJECTS = 1_000;
  private static final int DAYS = 365;

  private ViewerAnalyticsSizeBench() {}

  public static void main(String[] args) throws Exception {
    DatabaseUrl url = PostgresExtension.url();
    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
        Statement st = c.createStatement()) {
      st.execute(
          "INSERT INTO ar_projects (id, user_id, photo_url, status) SELECT gen_random_uuid(),"
              + " 'bench', '/objects/uploads/p.jpg', 'ready' FROM generate_series(1, "
              + PROJECTS
              + ")");
      for (int families : new int[] {1, 3, DeviceFamily.ALL.size()}) {
        st.execute("TRUNCATE ar_viewer_days");
        st.execute(
            "INSERT INTO ar_viewer_days (project_id, day, device, counts, ready_ms, found_ms)"
                + " SELECT p.id, DATE '2026-01-01' + d, f, array_fill(12::bigint, ARRAY["
                + Measure.values().length
                + "]), array_fill(3::bigint, ARRAY["
                + (Tally.BUCKETS_MS.length + 1)
                + "]), array_fill(2::bigint, ARRAY["
                + (Tally.BUCKETS_MS.length + 1)
                + "]) FROM ar_projects p, generate_series(0, "
                + (DAYS - 1)
                + ") d, unnest(ARRAY['"
                + String.join("','", DeviceFamily.ALL.subList(0, families))
                + "']) f");
        st.execute("VACUUM ANALYZE ar_viewer_days");
        try (ResultSet r =
            st.executeQuery(
                "SELECT count(*), pg_total_relation_size('ar_viewer_days'),"
                    + " pg_relation_size('ar_viewer_days') FROM ar_viewer_days")) {
          r.next();
          System.out.printf(
              "%d projects x %d days x %d famil%s: %,d rows, %.1f MB in all (table %.1f MB),"
                  + " %d bytes a row%n",
              PROJECTS,
              DAYS,
              families,
              families == 1 ? "y" : "ies",
              r.getLong(1),
              r.getLong(2) / 1e6,
              r.getLong(3) / 1e6,
              r.getLong(2) / r.getLong(1));
        }
      }
    }
    System.exit(0);
  }
}
