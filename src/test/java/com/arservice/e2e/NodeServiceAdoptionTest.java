package com.arservice.e2e;

import static com.arservice.testing.NodeServiceDatabase.ALBUM;
import static com.arservice.testing.NodeServiceDatabase.COMPILING;
import static com.arservice.testing.NodeServiceDatabase.EXPIRED_DEMO;
import static com.arservice.testing.NodeServiceDatabase.FAILED;
import static com.arservice.testing.NodeServiceDatabase.NOT_A_UUID;
import static com.arservice.testing.NodeServiceDatabase.READY;
import static com.arservice.testing.NodeServiceDatabase.WAITING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.arservice.config.ConfigKeys;
import com.arservice.config.DatabaseUrl;
import com.arservice.db.Migrations;
import com.arservice.legacy.LegacyAdoption;
import com.arservice.legacy.LegacyReport;
import com.arservice.mind.MindCompiler;
import com.arservice.mind.detect.GreyImage;
import com.arservice.mind.io.ImageLoader;
import com.arservice.testing.Await;
import com.arservice.testing.NodeServiceDatabase;
import com.arservice.testing.PostgresExtension;
import com.arservice.testing.SettableClock;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Taking over a database the old Node service left: refused unless asked, converted in place in one
 * transaction, and afterwards its projects answer as before, in our service.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(PostgresExtension.class)
class NodeServiceAdoptionTest {
  // after the old demo expired, hours before the 02:00 cleanup
  private final SettableClock clock = new SettableClock(Instant.parse("2026-06-01T10:00:00Z"));
  private byte[] single;
  private byte[] album;
  private Path dir;
  private Path storage;
  private DatabaseUrl db;

  @BeforeAll
  void compileMarkers() throws Exception {
    Path photos = Path.of("src/test/resources/photos");
    single = mind(photos.resolve("landscape-800x640.jpg"));
    album = mind(photos.resolve("portrait-640x800.jpg"), photos.resolve("landscape-800x640.jpg"));
  }

  private static byte[] mind(Path... photos) throws Exception {
    List<GreyImage> images = new ArrayList<>();
    for (Path p : photos) {
      images.add(new ImageLoader().load(p));
    }
    return MindCompiler.compile(images).mind();
  }

  @BeforeEach
  void oldDatabase(@TempDir Path dir, DatabaseUrl server) throws Exception {
    this.dir = dir;
    storage = dir.resolve("ar-storage");
    db = NodeServiceDatabase.create(server, storage, single, album);
  }

  private ServiceHarness service(boolean adopt) throws Exception {
    return service(adopt, clock);
  }

  private ServiceHarness service(boolean adopt, Clock clock) throws Exception {
    return new ServiceHarness(
        dir,
        db,
        clock,
        Map.of(
            ConfigKeys.ADOPT_LEGACY_SCHEMA,
            adopt,
            ConfigKeys.STORAGE_PATH,
            storage.toString(),
            ConfigKeys.DEMO_CLEANUP_SCHEDULE,
            "0 2 * * *"));
  }

  @Test
  void aStartThatWasNotAskedToAdoptStopsWithASentenceAndChangesNothing() throws Exception {
    Exception e = assertThrows(Exception.class, () -> service(false));
    assertTrue(e.getMessage().contains("holds the old Node AR service's tables"), e.getMessage());
    assertTrue(e.getMessage().contains("adopt --dry-run"), e.getMessage());
    assertEquals(LegacyAdoption.State.LEGACY, LegacyAdoption.state(db));
    assertEquals(7, count("SELECT count(*) FROM public.ar_projects"));
  }

  @Test
  void aDryRunCountsWhatAdoptionWouldDoAndChangesNothing() throws Exception {
    LegacyReport plan = LegacyAdoption.plan(db, options(false));
    assertFalse(plan.applied());
    assertEquals(7, plan.count("projects"));
    assertEquals(6, plan.count("projects to convert"));
    assertEquals(3, plan.count("  ready"));
    assertEquals(1, plan.count("  error"));
    assertEquals(2, plan.count("  unfinished (to error)"));
    assertEquals(1, plan.count("  expired demos (our cleanup removes them)"));
    assertEquals(1, plan.count("projects whose id is not a UUID (left in place, not converted)"));
    assertEquals(1, plan.count("pg-boss jobs ar-compile created"));
    assertEquals(1, plan.count("pg-boss jobs ar-compile active"));
    String notes = String.join("\n", plan.notes());
    assertTrue(
        notes.contains(WAITING + " (created)") && notes.contains(COMPILING + " (active)"), notes);
    assertEquals(LegacyAdoption.State.LEGACY, LegacyAdoption.state(db));
    assertEquals(0, count("SELECT count(*) FROM pg_namespace WHERE nspname = 'ar_legacy'"));
  }

  @Test
  void aFailureDuringTheConversionLeavesTheOldTablesAsTheyWere() throws Exception {
    Exception e =
        assertThrows(
            Exception.class,
            () ->
                Migrations.migrate(
                    db,
                    new Migrations.Conversion() {
                      @Override
                      public void before(Connection c) throws SQLException {
                        try (Statement st = c.createStatement()) {
                          for (String t :
                              List.of(
                                  "ar_projects",
                                  "ar_project_items",
                                  "ar_compilation_logs",
                                  "ar_webhook_events")) {
                            st.execute("ALTER TABLE public." + t + " SET SCHEMA pgboss");
                          }
                        }
                      }

                      @Override
                      public void after(Connection c) throws SQLException {
                        throw new SQLException("the disk is full");
                      }
                    }));
    assertTrue(String.valueOf(e.getMessage()).contains("the disk is full"), e.getMessage());
    assertEquals(7, count("SELECT count(*) FROM public.ar_projects"));
    assertEquals(
        0, count("SELECT count(*) FROM information_schema.tables WHERE table_name = 'ar_jobs'"));
    // and the real adoption still works afterwards
    try (ServiceHarness service = service(true)) {
      assertEquals("ready", status(service, READY).getString("status"));
    }
  }

  @Test
  void adoptedProjectsAnswerAsBeforeTheExpiredDemoIsCleanedUpAndASecondStartChangesNothing()
      throws Exception {
    // ten seconds before the cleanup: time for the checks before it runs
    SettableClock beforeCleanup = new SettableClock(Instant.parse("2026-06-02T01:59:50Z"));
    try (ServiceHarness service = service(true, beforeCleanup)) {
      assertEquals(LegacyAdoption.State.ADOPTED, LegacyAdoption.state(db));
      JsonObject ready = status(service, READY);
      assertEquals("ready", ready.getString("status"));
      assertEquals("https://shop.example/ar/view/" + READY, ready.getString("viewUrl"));
      assertEquals(
          "/objects/ar-storage/" + READY + "/marker.mind", ready.getString("markerMindUrl"));
      assertEquals(105000, ready.getInteger("compilationTimeMs"));
      assertEquals(
          "2026-05-01T10:00Z", ready.getString("createdAt"), "old local times read as UTC");
      JsonObject target = ready.getJsonArray("targets").getJsonObject(0);
      assertEquals(
          "/objects/ar-storage/" + READY + "/video-0.mp4",
          target.getJsonObject("artifacts").getString("video"));
      assertTrue(target.getInteger("points") > 100, target.encode());

      JsonArray logs =
          new JsonObject(service.get("/status/" + READY + "/logs").body()).getJsonArray("logs");
      assertEquals(3, logs.size(), logs.encode());
      assertEquals("compile", logs.getJsonObject(1).getString("step"));

      JsonObject albumStatus = status(service, ALBUM);
      assertEquals(2, albumStatus.getJsonArray("targets").size());
      assertEquals(
          "/objects/uploads/node-album-1.jpg",
          text(
              "SELECT photo_url FROM public.ar_project_items WHERE item_index = 1 AND project_id = '"
                  + ALBUM
                  + "'"));

      JsonObject failed = status(service, FAILED);
      assertEquals("error", failed.getString("status"));
      assertEquals("Photo is too small for AR tracking", failed.getString("errorMessage"));
      for (String unfinished : List.of(WAITING, COMPILING)) {
        JsonObject s = status(service, unfinished);
        assertEquals("error", s.getString("status"));
        assertTrue(s.getString("errorMessage").contains("Please send it again"), s.encode());
      }
      assertEquals(404, service.get("/status/" + NOT_A_UUID).statusCode());
      assertEquals(
          1, count("SELECT count(*) FROM ar_legacy.ar_projects WHERE id = '" + NOT_A_UUID + "'"));

      // the viewer is ours, from the old files
      String page = service.get("/ar/view/" + READY).body();
      assertTrue(page.contains("/viewer/viewer.bundle.js"), page);
      assertTrue(page.contains("/objects/ar-storage/" + READY + "/marker.mind"), page);
      assertTrue(Files.exists(storage.resolve(READY).resolve("index.html")), "the old page stays");
      assertEquals(410, service.get("/ar/view/" + EXPIRED_DEMO).statusCode());

      assertEquals(2, count("SELECT count(*) FROM public.ar_webhook_events"));
      assertEquals(
          "delivered",
          text(
              "SELECT state FROM public.ar_webhook_events WHERE event_type = 'ar.compilation.complete'"));
      assertEquals(
          1, count("SELECT count(*) FROM pgboss.job WHERE state = 'created'"), "pg-boss stays");

      // our cleanup removes the demo that expired under the old service
      Await.until(
          "the expired demo is deleted",
          Duration.ofSeconds(30),
          () -> "deleted".equals(status(service, EXPIRED_DEMO).getString("status")));
      assertFalse(Files.exists(storage.resolve(EXPIRED_DEMO)), "its folder is gone");
    }
    long projects = count("SELECT count(*) FROM public.ar_projects");
    long logs = count("SELECT count(*) FROM public.ar_compilation_logs");
    try (ServiceHarness again = service(true)) {
      assertEquals("ready", status(again, READY).getString("status"));
    }
    assertEquals(projects, count("SELECT count(*) FROM public.ar_projects"));
    assertEquals(logs, count("SELECT count(*) FROM public.ar_compilation_logs"));
    assertEquals(1, count("SELECT count(*) FROM ar_legacy.adoption"), "adopted once");
  }

  @Test
  void theOldTablesGoBackWithTheRollbackInTheReadme() throws Exception {
    LegacyAdoption.apply(db, storage, options(false));
    String readme = Files.readString(Path.of("README.md"));
    int start = readme.indexOf("```sql\nBEGIN;");
    String rollback = readme.substring(start + 7, readme.indexOf("```", start + 7));
    try (Connection c = NodeServiceDatabase.connect(db);
        Statement st = c.createStatement()) {
      st.execute(rollback);
    }
    assertEquals(LegacyAdoption.State.LEGACY, LegacyAdoption.state(db));
    assertEquals(7, count("SELECT count(*) FROM public.ar_projects"));
    assertEquals(2, count("SELECT count(*) FROM public.ar_project_items"));
    assertEquals(4, count("SELECT count(*) FROM public.ar_compilation_logs"));
    assertEquals(
        "2026-05-01 10:00:00",
        text("SELECT created_at::text FROM public.ar_projects WHERE id = '" + READY + "'"));
  }

  @Test
  void aReadyProjectWhoseFilesAreGoneIsReportedAndItsViewerSaysSo() throws Exception {
    try (var files = Files.walk(storage.resolve(READY))) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    LegacyReport report = LegacyAdoption.apply(db, storage, options(false));
    assertTrue(
        String.join("\n", report.notes()).contains(READY + ": no marker.mind"),
        report.notes().toString());
    try (ServiceHarness service = service(false)) {
      assertEquals("ready", status(service, READY).getString("status"));
      var page = service.get("/ar/view/" + READY, "Accept-Language", "ru");
      assertEquals(404, page.statusCode());
      assertTrue(page.body().contains("Файлы этого AR-проекта пропали"), page.body());
      assertEquals(200, service.get("/ar/view/" + ALBUM).statusCode(), "the others still work");
    }
  }

  @Test
  void askedToRequeueTheUnfinishedProjectsCompileInOurQueue() throws Exception {
    Path uploads = dir.resolve("uploads");
    Files.createDirectories(uploads);
    Files.copy(
        Path.of("src/test/resources/photos/wide-1024x768.jpg"),
        uploads.resolve("node-waiting.jpg"));
    LegacyReport report = LegacyAdoption.apply(db, storage, options(true));
    assertEquals(2, report.count("compile jobs queued again"));
    assertNull(text("SELECT error_message FROM public.ar_projects WHERE id = '" + WAITING + "'"));
    // the jobs are due now by the database's clock
    try (ServiceHarness service = service(false, Clock.systemUTC())) {
      for (String id : List.of(WAITING, COMPILING)) {
        assertEquals(
            "ready", service.awaitFinished(id, Duration.ofSeconds(120)).getString("status"));
      }
    }
  }

  private static LegacyAdoption.Options options(boolean requeue) {
    return new LegacyAdoption.Options(requeue, false, "UTC", 3, 60_000, 600_000);
  }

  private static JsonObject status(ServiceHarness service, String id) throws Exception {
    return new JsonObject(service.get("/status/" + id).body());
  }

  private long count(String sql) throws SQLException {
    try (Connection c = NodeServiceDatabase.connect(db);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private String text(String sql) throws SQLException {
    try (Connection c = NodeServiceDatabase.connect(db);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }
}
