package com.arservice;

import com.arservice.config.DatabaseUrl;
import com.arservice.testing.PostgresExtension;
import com.arservice.testing.Processes;
import com.arservice.testing.ServiceProcess;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shaded jar itself, started the way README says: services files merged, start-up, SIGTERM, restart. */
class ServiceJarIT {
  private static final Duration START = Duration.ofSeconds(90);
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void theJarStartsOnTheEmbeddedDatabaseStopsOnSigtermWithExitZeroAndKeepsItsDataAcrossRestarts(@TempDir Path dir)
      throws Exception {
    Path data = dir.resolve("data");
    int port = Processes.freePort();

    Process first = start(data, port, dir.resolve("first.log"));
    ServiceProcess.awaitOk(port, "/health", first, START);
    assertEquals(200, get(port, "/").statusCode());
    Path pid = data.resolve("postgres").resolve("postmaster.pid");
    assertTrue(Files.exists(pid), "the embedded server keeps its data under AR_DATA_DIR/postgres");
    assertTrue(ServiceProcess.stop(first), "exits within a minute of SIGTERM");
    assertEquals(0, first.exitValue(), Files.readString(dir.resolve("first.log")));
    assertFalse(Files.exists(pid), "the embedded server was stopped");
    String log = Files.readString(dir.resolve("first.log"));
    assertTrue(log.contains("Using embedded PostgreSQL"), log);
    assertTrue(log.contains("GET /health 200"), "one line per request: " + log);

    Process second = start(data, port, dir.resolve("second.log"));
    ServiceProcess.awaitOk(port, "/health", second, START);
    assertTrue(ServiceProcess.stop(second), "exits within a minute of SIGTERM");
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
    Path log = dir.resolve("external.log");
    Process p = ServiceProcess.start(Map.of("AR_DATA_DIR", dir.resolve("data").toString(),
        "PORT", Integer.toString(port),
        "AR_DATABASE_URL", "postgresql://shop:s3cret@localhost:" + server.port() + "/ar_external"), log);
    ServiceProcess.awaitOk(port, "/health", p, START);
    assertTrue(ServiceProcess.stop(p), "exits within a minute of SIGTERM");
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
    Processes.Result r = Processes.run(List.of(Processes.javaBin(), "-jar", ServiceProcess.jar().toString()),
        Map.of("AR_DATA_DIR", dir.toString(), "AR_ENABLE_BORDER_ENHANCER", "sometimes"));
    assertEquals(2, r.exitCode());
    assertEquals("ar-service: Invalid configuration AR_ENABLE_BORDER_ENHANCER: 'sometimes' is not true or false",
        r.stderr().trim());
  }

  private static Process start(Path data, int port, Path log) throws IOException {
    return ServiceProcess.start(Map.of("AR_DATA_DIR", data.toString(), "PORT", Integer.toString(port)), log, "serve");
  }

  private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
