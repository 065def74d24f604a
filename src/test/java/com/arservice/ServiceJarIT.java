package com.arservice;

import com.arservice.config.DatabaseUrl;
import com.arservice.testing.PostgresExtension;
import com.arservice.testing.Processes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shaded jar itself, started the way README says: services files merged, start-up, SIGTERM, restart. */
class ServiceJarIT {
  private static final Path JAR = Path.of(System.getProperty("ar.jar", "target/ar-service.jar"));
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void theJarStartsOnTheEmbeddedDatabaseStopsOnSigtermWithExitZeroAndKeepsItsDataAcrossRestarts(@TempDir Path dir)
      throws Exception {
    Path data = dir.resolve("data");
    int port = Processes.freePort();

    Process first = start(data, port, dir.resolve("first.log"));
    awaitHealthy(port, first);
    assertEquals(200, get(port, "/").statusCode());
    Path pid = data.resolve("postgres").resolve("postmaster.pid");
    assertTrue(Files.exists(pid), "the embedded server keeps its data under AR_DATA_DIR/postgres");
    stop(first);
    assertEquals(0, first.exitValue(), Files.readString(dir.resolve("first.log")));
    assertFalse(Files.exists(pid), "the embedded server was stopped");
    String log = Files.readString(dir.resolve("first.log"));
    assertTrue(log.contains("Using embedded PostgreSQL"), log);
    assertTrue(log.contains("GET /health 200"), "one line per request: " + log);

    Process second = start(data, port, dir.resolve("second.log"));
    awaitHealthy(port, second);
    stop(second);
    assertEquals(0, second.exitValue());
    assertTrue(Files.readString(dir.resolve("second.log")).contains("(0 migration(s) applied now)"),
        "the restart found the schema it made before");
  }

  @Test
  void theJarUsesAnExternalServerGivenByUrlAndMigratesIt(@TempDir Path dir) throws Exception {
    DatabaseUrl server = PostgresExtension.url();
    try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
         Statement st = c.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS ar_external");
      st.execute("DROP ROLE IF EXISTS shop");
      st.execute("CREATE ROLE shop LOGIN PASSWORD 's3cret'");
      st.execute("CREATE DATABASE ar_external OWNER shop");
    }
    int port = Processes.freePort();
    ProcessBuilder pb = new ProcessBuilder(Processes.javaBin(), "-jar", JAR.toString());
    pb.environment().put("AR_DATA_DIR", dir.resolve("data").toString());
    pb.environment().put("PORT", Integer.toString(port));
    pb.environment().put("AR_DATABASE_URL",
        "postgresql://shop:s3cret@localhost:" + server.port() + "/ar_external");
    Path log = dir.resolve("external.log");
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    Process p = pb.start();
    awaitHealthy(port, p);
    stop(p);
    assertEquals(0, p.exitValue());
    String out = Files.readString(log);
    assertTrue(out.contains("Using external PostgreSQL at postgresql://shop:***@localhost:"), out);
    assertFalse(out.contains("s3cret"), "the password is never logged");
    assertFalse(Files.exists(dir.resolve("data").resolve("postgres")), "no embedded server was started");
    try (Connection c = DriverManager.getConnection(
        "jdbc:postgresql://localhost:" + server.port() + "/ar_external", "shop", "s3cret");
         Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT count(*) FROM ar_projects")) {
      assertTrue(rs.next(), "the schema was migrated on the external server");
    }
  }

  @Test
  void theJarRefusesABadValueWithExitCodeTwo(@TempDir Path dir) throws Exception {
    Processes.Result r = Processes.run(List.of(Processes.javaBin(), "-jar", JAR.toString()),
        Map.of("AR_DATA_DIR", dir.toString(), "AR_ENABLE_BORDER_ENHANCER", "sometimes"));
    assertEquals(2, r.exitCode());
    assertEquals("ar-service: Invalid configuration AR_ENABLE_BORDER_ENHANCER: 'sometimes' is not true or false",
        r.stderr().trim());
  }

  private static Process start(Path data, int port, Path log) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(Processes.javaBin(), "-jar", JAR.toString(), "serve");
    pb.environment().put("AR_DATA_DIR", data.toString());
    pb.environment().put("PORT", Integer.toString(port));
    pb.environment().remove("AR_DATABASE_URL");
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    return pb.start();
  }

  private void awaitHealthy(int port, Process p) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      assertTrue(p.isAlive(), "the service exited during start-up");
      try {
        if (get(port, "/health").statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no healthy service within 90 s");
  }

  private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void stop(Process p) throws InterruptedException {
    p.destroy(); // SIGTERM
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("no exit within 60 s of SIGTERM");
    }
  }
}
