package com.arservice.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.arservice.config.DatabaseUrl;
import com.arservice.testing.PostgresExtension;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class MigrationsTest {

  @Test
  void theFirstMigrationCreatesTheFourTablesWithTheSeedsColumns(DatabaseUrl url)
      throws SQLException {
    Map<String, Map<String, String>> columns = columns(url);
    assertTrue(
        columns
            .keySet()
            .containsAll(
                List.of(
                    "ar_compilation_logs", "ar_project_items", "ar_projects", "ar_webhook_events")),
        columns.keySet()::toString);
    Map<String, String> projects = columns.get("ar_projects");
    for (String c :
        List.of(
            "id",
            "user_id",
            "order_id",
            "photo_url",
            "video_url",
            "mask_url",
            "marker_mind_url",
            "viewer_html_url",
            "qr_code_url",
            "view_url",
            "status",
            "queue_job_id",
            "created_at",
            "queued_at",
            "compilation_started_at",
            "compilation_finished_at",
            "compilation_time_ms",
            "error_message",
            "retry_count",
            "photo_width",
            "photo_height",
            "video_width",
            "video_height",
            "video_duration_ms",
            "photo_aspect_ratio",
            "video_aspect_ratio",
            "config",
            "fit_mode",
            "is_demo",
            "expires_at",
            "notification_sent",
            "notification_sent_at",
            "updated_at")) {
      assertTrue(projects.containsKey(c), "ar_projects." + c);
    }
    assertEquals("uuid", projects.get("id"));
    assertEquals("timestamp with time zone", projects.get("created_at"));
    assertEquals("jsonb", projects.get("config"));
    assertEquals("jsonb", columns.get("ar_compilation_logs").get("details"));
    for (String c :
        List.of(
            "event_type",
            "project_id",
            "payload",
            "response_status",
            "response_body",
            "attempts",
            "last_attempt_at",
            "next_retry_at",
            "created_at")) {
      assertTrue(columns.get("ar_webhook_events").containsKey(c), "ar_webhook_events." + c);
    }
    for (String c : List.of("project_id", "item_index", "photo_url", "video_url")) {
      assertTrue(columns.get("ar_project_items").containsKey(c), "ar_project_items." + c);
    }
  }

  @Test
  void migratingAnUpToDateDatabaseAppliesNothing(DatabaseUrl url) {
    assertEquals(0, Migrations.migrate(url));
    assertEquals(0, Migrations.migrate(url));
  }

  @Test
  void twoInstancesMigratingAFreshDatabaseAtOnceApplyEachVersionOnce(DatabaseUrl url)
      throws Exception {
    DatabaseUrl fresh = createDatabase(url, "ar_race");
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Callable<Integer> migrate = () -> Migrations.migrate(fresh);
      Future<Integer> a = pool.submit(migrate);
      Future<Integer> b = pool.submit(migrate);
      int applied = a.get() + b.get();
      assertEquals(versionCount(fresh), applied, "every version applied exactly once across both");
      assertEquals(columns(url).keySet(), columns(fresh).keySet());
      try (Connection c = connect(fresh);
          Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT count(*), count(DISTINCT version) FROM flyway_schema_history "
                      + "WHERE success")) {
        rs.next();
        assertEquals(rs.getInt(1), rs.getInt(2), "no version recorded twice");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static int versionCount(DatabaseUrl url) throws SQLException {
    try (Connection c = connect(url);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT count(*) FROM flyway_schema_history WHERE success AND version IS NOT NULL")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static DatabaseUrl createDatabase(DatabaseUrl url, String name) throws SQLException {
    try (Connection c = connect(url);
        Statement st = c.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + name);
      st.execute("CREATE DATABASE " + name);
    }
    return new DatabaseUrl(url.host(), url.port(), name, url.user(), url.password());
  }

  private static Map<String, Map<String, String>> columns(DatabaseUrl url) throws SQLException {
    Map<String, Map<String, String>> out = new HashMap<>();
    try (Connection c = connect(url);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT table_name, column_name, data_type FROM information_schema.columns "
                    + "WHERE table_schema = 'public' AND table_name LIKE 'ar\\_%'")) {
      while (rs.next()) {
        out.computeIfAbsent(rs.getString(1), k -> new HashMap<>())
            .put(rs.getString(2), rs.getString(3));
      }
    }
    return out;
  }

  private static Connection connect(DatabaseUrl url) throws SQLException {
    return DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
  }
}
