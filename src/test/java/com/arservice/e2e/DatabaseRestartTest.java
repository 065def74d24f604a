package com.arservice.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.arservice.config.ConfigKeys;
import com.arservice.config.DatabaseUrl;
import com.arservice.db.EmbeddedDatabase;
import com.arservice.pipeline.CompileVerticle;
import com.arservice.testing.Await;
import com.arservice.testing.BlockedThreadWatch;
import com.arservice.testing.WebhookReceiver;
import com.arservice.webhook.WebhookStore;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The database goes away while a compilation runs and comes back: the finished compilation is
 * recorded once it is back (its outcome report is retried), not thrown away and compiled again. The
 * test owns its PostgreSQL, so it can stop it and start it again on the same port.
 */
@ExtendWith(BlockedThreadWatch.class)
class DatabaseRestartTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final Logger compileLog = (Logger) LoggerFactory.getLogger(CompileVerticle.class);
  private final List<String> warningLines = new CopyOnWriteArrayList<>();
  private final AppenderBase<ILoggingEvent> warnings =
      new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
          warningLines.add(event.getFormattedMessage());
        }
      };
  private static final String SECRET = "restart-secret";

  private final Vertx vertx = Vertx.vertx();
  private EmbeddedDatabase db;

  @BeforeEach
  void recordTheWorkersWarnings() {
    // Kept from the console: only this test reads them.
    warnings.setContext(compileLog.getLoggerContext());
    warnings.start();
    compileLog.addAppender(warnings);
    compileLog.setLevel(Level.WARN);
    compileLog.setAdditive(false);
  }

  @AfterEach
  void stopDatabaseAndRecording() {
    if (db != null) {
      db.close();
    }
    vertx.close().await();
    compileLog.detachAppender(warnings);
    compileLog.setLevel(null);
    compileLog.setAdditive(true);
  }

  @Test
  void
      aCompilationThatFinishesWhileTheDatabaseIsAwayIsReportedReadyOnceItIsBackCompiledOnceWithItsWebhook(
          @TempDir Path dir) throws Exception {
    db = EmbeddedDatabase.start(dir.resolve("pg"), 0);
    DatabaseUrl url = db.url();
    HeldFfmpeg ffmpeg = new HeldFfmpeg(dir);
    WebhookReceiver backend = WebhookReceiver.start(vertx, 0, Clock.systemUTC(), SECRET);
    try (ServiceHarness service =
        new ServiceHarness(
            dir.resolve("svc"),
            url,
            Clock.systemUTC(),
            Map.of(
                ConfigKeys.FFMPEG_PATH,
                ffmpeg.path.toString(),
                ConfigKeys.BACKEND_URL,
                backend.url(),
                ConfigKeys.BACKEND_WEBHOOK_SECRET,
                SECRET,
                ConfigKeys.WEBHOOK_RETRY_SCHEDULE,
                "PT0.2S"))) {
      String id =
          service
              .compile(
                  new JsonObject()
                      .put("userId", "u")
                      .put("orderId", "o")
                      .put("photoUrl", service.uploadPhoto("landscape-800x640.jpg", "p.jpg"))
                      .put("videoUrl", service.uploadVideo("v.mp4", 320, 240)))
              .getString("projectId");
      ffmpeg.awaitStarted();

      db.close();
      db = null;
      ffmpeg.release();
      Await.until(
          "the worker failed to record the finished compilation", () -> reportFailures() > 0);
      assertTrue(
          Files.isRegularFile(service.storage.resolve(id).resolve("marker.mind")),
          "the compilation finished and was published while the database was away");

      db = EmbeddedDatabase.start(dir.resolve("pg"), url.port());
      JsonObject status = service.awaitFinished(id, TIMEOUT);

      assertEquals("ready", status.getString("status"), status.encode());
      assertEquals(
          0, status.getInteger("retryCount"), "compiled once: the attempt that finished was kept");
      assertEquals(
          List.of("completed 0"),
          rows(
              url,
              "SELECT state || ' ' || retry_count FROM ar_jobs "
                  + "WHERE data->>'projectId' = '"
                  + id
                  + "'"),
          "one job, completed by its first attempt");
      assertEquals(
          List.of("ar.compilation.complete delivered", "ar.email.request delivered"),
          Await.value(
              "the project's events are delivered",
              TIMEOUT,
              () ->
                  rows(
                      url,
                      "SELECT event_type || ' ' || state "
                          + "FROM ar_webhook_events WHERE project_id = '"
                          + id
                          + "' ORDER BY event_type"),
              events -> events.stream().allMatch(e -> e.endsWith(" delivered"))));
      List<String> completions =
          backend.received().stream()
              .map(r -> new JsonObject(r.body()))
              .filter(b -> WebhookStore.COMPILATION_COMPLETE.equals(b.getString("event")))
              .map(
                  b ->
                      b.getJsonObject("data").getString("projectId")
                          + " "
                          + b.getJsonObject("data").getString("status"))
              .toList();
      assertEquals(
          List.of(id + " ready"), completions, "the backend heard of the ready project once");
    } finally {
      backend.close();
    }
  }

  private long reportFailures() {
    return warningLines.stream().filter(line -> line.contains("could not be recorded")).count();
  }

  private static List<String> rows(DatabaseUrl url, String sql) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }
}
