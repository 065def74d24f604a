package com.arservice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.arservice.config.DatabaseUrl;
import com.arservice.testing.HeadlessViewer;
import com.arservice.testing.PostgresExtension;
import com.arservice.testing.RoleProcesses;
import com.arservice.testing.S3Server;
import com.arservice.testing.ServiceProcess;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three jar processes that share nothing but one database and one bucket (a real S3 server): one
 * api and two workers, each with its own empty local folders. Every project, photo and video, ends
 * ready once, and its viewer finds the printed photo in headless chromium.
 */
@ExtendWith(PostgresExtension.class)
class RolesS3JarIT {
  private static final int PROJECTS = 6;

  @Test
  void oneApiAndTwoWorkersWithOnlyADatabaseAndABucketInCommonMakeEachProjectReadyOnce(
      @TempDir Path dir, DatabaseUrl db) throws Exception {
    String browserMissing = HeadlessViewer.missing();
    if (browserMissing != null && "true".equals(System.getenv("CI"))) {
      fail(browserMissing);
    }
    try (S3Server s3 = S3Server.start(dir.resolve("s3"));
        RoleProcesses roles = RoleProcesses.start(dir, RoleProcesses.sharing(s3, db), 2)) {
      Path video = dir.resolve("clip.mp4");
      ServiceProcess.makeVideo(video, 320, 256, 15, 2);
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < PROJECTS; i++) {
        ids.add(
            roles.compile(
                new JsonObject()
                    .put("userId", "u")
                    .put("photoUrl", roles.upload(RoleProcesses.photo(i), "image/jpeg"))
                    .put("videoUrl", roles.upload(Files.readAllBytes(video), "video/mp4"))));
      }
      for (String id : ids) {
        assertEquals("ready", roles.awaitFinished(id, Duration.ofSeconds(180)), id);
        assertEquals(
            List.of("started", "completed"),
            roles.logs(id).stream()
                .map(o -> (JsonObject) o)
                .filter(e -> "marker".equals(e.getString("step")))
                .map(e -> e.getString("status"))
                .toList(),
            "compiled once: " + id);
        assertTrue(s3.keys("ar-storage/" + id + "/").contains("ar-storage/" + id + "/video-0.mp4"));
      }
      assertEquals(2, completedByWorker(db).size(), "both workers compiled");
      try (Stream<Path> files = Files.walk(dir)) {
        assertEquals(
            List.of(),
            files
                .filter(p -> !p.startsWith(dir.resolve("s3")))
                .filter(
                    p -> p.toString().contains("ar-storage") || p.toString().contains("uploads"))
                .filter(Files::isRegularFile)
                .toList(),
            "no process kept a project's or an upload's file in its own folders");
      }
      if (browserMissing == null) {
        assertTheViewerFindsThePhoto(dir, roles.apiPort(), ids.get(0));
      }
    }
  }

  private static void assertTheViewerFindsThePhoto(Path dir, int port, String id) throws Exception {
    HeadlessViewer browser = HeadlessViewer.create();
    Path camera =
        HeadlessViewer.camera(
            dir,
            browser.project().resolve("src/test/resources/photos/landscape-800x640.jpg"),
            "scale=400:320,pad=640:480:(ow-iw)/2:(oh-ih)/2:color=0x808080",
            "flat.mjpeg");
    JsonObject result =
        browser.view(
            new JsonObject()
                .put("url", "http://localhost:" + port + "/ar/view/" + id)
                .put("camera", camera.toString())
                .put("mode", "track")
                .put("foundTimeoutMs", 30_000)
                .put("observeMs", 3_000)
                .put("screenshot", dir.resolve("viewer.png").toString()));
    assertNull(result.getValue("failure"), result.getString("failure"));
    assertNotNull(result.getValue("foundMs"), "the printed photo is found: " + result.encode());
    JsonObject played = result.getJsonObject("viewer").getJsonArray("videos").getJsonObject(0);
    assertFalse(played.getBoolean("paused"), "the video from the bucket plays: " + played);
    assertTrue(played.getInteger("frames") > 5, "it shows frames: " + played);
  }

  /** Completed jobs per worker process. */
  private static Map<String, Integer> completedByWorker(DatabaseUrl db) throws Exception {
    Map<String, Integer> byWorker = new HashMap<>();
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT worker_id, count(*) FROM ar_jobs WHERE state = 'completed'"
                    + " GROUP BY worker_id")) {
      while (rs.next()) {
        byWorker.put(rs.getString(1), rs.getInt(2));
      }
    }
    return byWorker;
  }
}
