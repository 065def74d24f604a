package com.arservice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.arservice.config.DatabaseUrl;
import com.arservice.db.EmbeddedDatabase;
import com.arservice.testing.Await;
import com.arservice.testing.PostgresExtension;
import com.arservice.testing.Processes;
import com.arservice.testing.ServiceProcess;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar itself, started the way README says: services files merged, start-up, SIGTERM,
 * restart, and its embedded database: durable settings, password logins only, one jar per data
 * directory, kill -9 and restart.
 */
class ServiceJarIT {
  private static final Duration START = Duration.ofSeconds(90);
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final List<Process> started = new ArrayList<>();

  /** A test that failed half-way leaves no service (and so no database) running. */
  @AfterEach
  void stopWhatIsStillRunning() throws InterruptedException {
    for (Process p : started) {
      if (p.isAlive()) {
        ServiceProcess.stop(p);
      }
    }
  }

  @Test
  void theJarStartsOnTheEmbeddedDatabaseStopsOnSigtermWithExitZeroAndKeepsItsDataAcrossRestarts(
      @TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    int port = Processes.freePort();

    Process first = startHealthy(data, port, dir.resolve("first.log"));
    assertEquals(200, get(port, "/").statusCode());
    Path pid = data.resolve("postgres").resolve("postmaster.pid");
    assertTrue(Files.exists(pid), "the embedded server keeps its data under AR_DATA_DIR/postgres");
    assertTrue(ServiceProcess.stop(first), "exits within a minute of SIGTERM");
    assertEquals(0, first.exitValue(), Files.readString(dir.resolve("first.log")));
    assertFalse(Files.exists(pid), "the embedded server was stopped");
    String log = Files.readString(dir.resolve("first.log"));
    assertTrue(log.contains("Using embedded PostgreSQL"), log);
    assertTrue(log.contains("GET /health 200"), "one line per request: " + log);

    Process second = startHealthy(data, port, dir.resolve("second.log"));
    assertTrue(ServiceProcess.stop(second), "exits within a minute of SIGTERM");
    assertEquals(0, second.exitValue());
    assertTrue(
        Files.readString(dir.resolve("second.log")).contains("(0 migration(s) applied now)"),
        "the restart found the schema it made before");
  }

  @Test
  void theEmbeddedDatabaseSyncsEveryCommitRefusesPasswordlessLoginsAndServesOneJarAtATime(
      @TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    int port = Processes.freePort();
    Process first = startHealthy(data, port, dir.resolve("first.log"));
    DatabaseUrl db = ServiceProcess.embeddedDatabase(data);
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        Statement st = c.createStatement()) {
      for (String setting : List.of("fsync", "synchronous_commit", "full_page_writes")) {
        try (ResultSet rs = st.executeQuery("SHOW " + setting)) {
          assertTrue(rs.next());
          assertEquals("on", rs.getString(1), setting);
        }
      }
    }
    assertThrows(
        SQLException.class,
        () -> DriverManager.getConnection(db.jdbcUrl(), db.user(), null).close(),
        "no login without a password");
    SQLException wrong =
        assertThrows(
            SQLException.class,
            () -> DriverManager.getConnection(db.jdbcUrl(), db.user(), "postgres").close());
    assertEquals(
        "28P01",
        wrong.getSQLState(),
        "the server itself refuses a wrong password: " + wrong.getMessage());
    Path password = data.resolve("postgres").resolve(EmbeddedDatabase.PASSWORD_FILE);
    assertEquals(
        "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(password)));

    Processes.Result second =
        Processes.run(
            List.of(Processes.javaBin(), "-jar", ServiceProcess.jar().toString()),
            Map.of("AR_DATA_DIR", data.toString(), "PORT", Integer.toString(Processes.freePort())));
    assertEquals(1, second.exitCode(), second.stdout());
    assertEquals(
        "ar-service: The embedded PostgreSQL in "
            + data.resolve("postgres")
            + " is in use by another "
            + "running AR Service (pid "
            + first.pid()
            + "); stop that one first or give this one another AR_DATA_DIR.",
        second.stderr().trim());
    assertEquals(
        200, get(port, "/health").statusCode(), "the refused start left the running service alone");
    assertTrue(ServiceProcess.stop(first), "exits within a minute of SIGTERM");
    assertFalse(
        Files.readString(dir.resolve("first.log")).contains(db.password()),
        "the password is never logged");
  }

  @Test
  void afterKill9OfTheJarItsDatabaseStopsTooAndTheNextStartHasEveryProject(@TempDir Path dir)
      throws Exception {
    Path data = dir.resolve("data");
    int port = Processes.freePort();
    Process first = startHealthy(data, port, dir.resolve("first.log"));
    List<String> ids = compileProjects(data, port, 3);
    long server = ServiceProcess.embeddedServerPid(data);

    first.destroyForcibly(); // SIGKILL: no shutdown hook runs
    first.waitFor();
    Await.until("the watchdog stopped the killed service's database", () -> !alive(server));

    Process second = startHealthy(data, port, dir.resolve("second.log"));
    assertAllReady(port, ids);
    assertTrue(ServiceProcess.stop(second), "exits within a minute of SIGTERM");
  }

  @Test
  void aDatabaseLeftRunningByAJarKilledWithItsWatchdogIsStoppedByTheNextStartWithEveryProjectIntact(
      @TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    int port = Processes.freePort();
    Process first = startHealthy(data, port, dir.resolve("first.log"));
    List<String> ids = compileProjects(data, port, 3);
    long server = ServiceProcess.embeddedServerPid(data);

    // The watchdog first (so it never sees its pipe close), then the JVM: SIGKILL to all, as a kill
    // of the whole group.
    List<ProcessHandle> killed = new ArrayList<>(first.toHandle().children().toList());
    killed.addAll(first.toHandle().descendants().toList());
    killed.add(first.toHandle());
    for (ProcessHandle p : killed) {
      p.destroyForcibly();
      p.onExit().get();
    }
    assertTrue(alive(server), "the database outlived its service and its watchdog");

    Process second = startHealthy(data, port, dir.resolve("second.log"));
    // Its pid file is gone before the process itself is (and reaped by init): wait for both.
    Await.until("the server that was left is gone", () -> !alive(server));
    assertTrue(
        Files.readString(dir.resolve("second.log"))
            .contains(
                "Stopping the embedded PostgreSQL (pid "
                    + server
                    + ") left running in "
                    + data.resolve("postgres")
                    + " by a service that is gone"));
    assertAllReady(port, ids);
    assertTrue(ServiceProcess.stop(second), "exits within a minute of SIGTERM");
  }

  @Test
  void theJarUsesAnExternalServerGivenByUrlAndMigratesIt(@TempDir Path dir) throws Exception {
    DatabaseUrl server = PostgresExtension.url();
    try (Connection c =
            DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
        Statement st = c.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS ar_external");
      st.execute("DROP ROLE IF EXISTS shop");
      st.execute("CREATE ROLE shop LOGIN PASSWORD 's3cret'");
      st.execute("CREATE DATABASE ar_external OWNER shop");
    }
    int port = Processes.freePort();
    Path log = dir.resolve("external.log");
    Process p =
        ServiceProcess.start(
            Map.of(
                "AR_DATA_DIR",
                dir.resolve("data").toString(),
                "PORT",
                Integer.toString(port),
                "AR_DATABASE_URL",
                "postgresql://shop:s3cret@localhost:" + server.port() + "/ar_external"),
            log);
    ServiceProcess.awaitOk(port, "/health", p, START);
    assertTrue(ServiceProcess.stop(p), "exits within a minute of SIGTERM");
    assertEquals(0, p.exitValue());
    String out = Files.readString(log);
    assertTrue(out.contains("Using external PostgreSQL at postgresql://shop:***@localhost:"), out);
    assertFalse(out.contains("s3cret"), "the password is never logged");
    assertFalse(
        Files.exists(dir.resolve("data").resolve("postgres")), "no embedded server was started");
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:postgresql://localhost:" + server.port() + "/ar_external", "shop", "s3cret");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM ar_projects")) {
      assertTrue(rs.next(), "the schema was migrated on the external server");
    }
  }

  @Test
  void theJarRefusesABadValueWithExitCodeTwo(@TempDir Path dir) throws Exception {
    Processes.Result r =
        Processes.run(
            List.of(Processes.javaBin(), "-jar", ServiceProcess.jar().toString()),
            Map.of("AR_DATA_DIR", dir.toString(), "AR_ENABLE_BORDER_ENHANCER", "sometimes"));
    assertEquals(2, r.exitCode());
    assertEquals(
        "ar-service: Invalid configuration AR_ENABLE_BORDER_ENHANCER: 'sometimes' is not true or false",
        r.stderr().trim());
  }

  @Test
  void theJarRefusesTheDataDirectoryOfPostgreSql14WithOneSentenceAndExitCodeOne(@TempDir Path dir)
      throws Exception {
    Path postgres = Files.createDirectories(dir.resolve("data").resolve("postgres"));
    Files.writeString(postgres.resolve("PG_VERSION"), "14\n");
    Processes.Result r =
        Processes.run(
            List.of(Processes.javaBin(), "-jar", ServiceProcess.jar().toString()),
            Map.of(
                "AR_DATA_DIR",
                dir.resolve("data").toString(),
                "PORT",
                Integer.toString(Processes.freePort())));
    assertEquals(1, r.exitCode(), r.stdout());
    assertEquals(
        "ar-service: The embedded PostgreSQL data directory "
            + postgres
            + " was made by PostgreSQL 14 and "
            + "this release runs PostgreSQL 17, which cannot open it, so it was left unchanged: carry its data over with "
            + "the previous release as README's \"Upgrading the embedded PostgreSQL\" describes, or give this release "
            + "another AR_DATA_DIR.",
        r.stderr().trim());
    try (var files = Files.list(postgres)) {
      assertEquals(
          List.of(postgres.resolve("PG_VERSION")), files.toList(), "nothing was added to it");
    }
  }

  /** Posts {@code n} photo-only projects and waits until each is ready. */
  private List<String> compileProjects(Path data, int port, int n) throws Exception {
    Path uploads = Files.createDirectories(data.resolve("uploads"));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      try (InputStream in = getClass().getResourceAsStream("/photos/landscape-800x640.jpg")) {
        Files.copy(in, uploads.resolve("p" + i + ".jpg"));
      }
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/compile"))
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          new JsonObject()
                              .put("userId", "jar-test")
                              .put("photoUrl", "/objects/uploads/p" + i + ".jpg")
                              .encode()))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(202, r.statusCode(), r.body());
      ids.add(new JsonObject(r.body()).getString("projectId"));
    }
    for (String id : ids) {
      Await.until(id + " is ready", () -> "ready".equals(status(port, id)));
    }
    return ids;
  }

  private void assertAllReady(int port, List<String> ids) throws Exception {
    for (String id : ids) {
      assertEquals("ready", status(port, id), id);
      assertEquals(200, get(port, "/objects/ar-storage/" + id + "/marker.mind").statusCode(), id);
    }
  }

  private String status(int port, String id) {
    try {
      return new JsonObject(get(port, "/status/" + id).body()).getString("status");
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /** Starts the jar on its embedded database and waits until {@code /health} answers 200. */
  private Process startHealthy(Path data, int port, Path log)
      throws IOException, InterruptedException {
    Process p =
        ServiceProcess.start(
            Map.of("AR_DATA_DIR", data.toString(), "PORT", Integer.toString(port)), log, "serve");
    started.add(p);
    ServiceProcess.awaitOk(port, "/health", p, START);
    return p;
  }

  private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
