package com.arservice.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.arservice.config.DatabaseUrl;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded server's data directory: its version, password logins even after an interrupted
 * first start, and one owner at a time.
 */
class EmbeddedDatabaseTest {

  @Test
  void aDataDirectoryLeftWithTrustLoginsAndNoPasswordGetsPasswordLoginsAndKeepsItsData(
      @TempDir Path dir) throws Exception {
    Path data = dir.resolve("postgres");
    // What a first start stopped right after initdb leaves: trust logins for user postgres, no
    // password.
    run(
        PostgresBinaries.command("initdb", "-A", "trust", "-U", "postgres", "-D", data.toString()),
        "");
    run(
        PostgresBinaries.command("postgres", "--single", "-D", data.toString(), "postgres"),
        "CREATE TABLE kept (v text);\nINSERT INTO kept VALUES ('from before the password');\n");

    DatabaseUrl url;
    try (EmbeddedDatabase db = EmbeddedDatabase.start(data, 0)) {
      url = db.url();
      Path password = data.resolve(EmbeddedDatabase.PASSWORD_FILE);
      assertEquals(
          "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(password)));
      assertEquals(Files.readString(password).trim(), url.password());
      assertRefused(url, null);
      assertRefused(url, "not-the-password");
      try (Connection c =
              DriverManager.getConnection(
                  "jdbc:postgresql://localhost:" + url.port() + "/postgres",
                  url.user(),
                  url.password());
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT v FROM kept")) {
        assertTrue(rs.next());
        assertEquals("from before the password", rs.getString(1));
      }
    }
    try (EmbeddedDatabase again = EmbeddedDatabase.start(data, 0)) {
      assertEquals(url.password(), again.url().password(), "the password is made once and kept");
    }
  }

  @Test
  void aNewDataDirectoryIsMadeByPostgreSql17(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("postgres");
    try (EmbeddedDatabase db = EmbeddedDatabase.start(data, 0);
        Connection c =
            DriverManager.getConnection(db.url().jdbcUrl(), db.url().user(), db.url().password());
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SHOW server_version_num")) {
      assertTrue(rs.next());
      assertEquals(17, rs.getInt(1) / 10000);
    }
    assertEquals("17", Files.readString(data.resolve("PG_VERSION")).trim());
  }

  @Test
  void aDataDirectoryOfPostgreSql14IsRefusedWithWhatToDoAndLeftUnchanged(@TempDir Path dir)
      throws Exception {
    Path data = dir.resolve("postgres");
    // The files the previous release's PostgreSQL 14 keeps; the refusal is decided by PG_VERSION.
    Files.createDirectories(data.resolve("base").resolve("1"));
    Files.writeString(data.resolve("PG_VERSION"), "14\n");
    Files.writeString(data.resolve("postgresql.conf"), "# PostgreSQL 14\n");
    Files.writeString(data.resolve("base").resolve("1").resolve("1259"), "a catalog page");
    Files.writeString(data.resolve(EmbeddedDatabase.PASSWORD_FILE), "the password\n");
    Map<Path, String> before = contents(data);

    IOException refused = assertThrows(IOException.class, () -> EmbeddedDatabase.start(data, 0));

    assertEquals(
        "The embedded PostgreSQL data directory "
            + data
            + " was made by PostgreSQL 14 and this release "
            + "runs PostgreSQL 17, which cannot open it, so it was left unchanged: carry its data over with the previous "
            + "release as README's \"Upgrading the embedded PostgreSQL\" describes, or give this release another "
            + "AR_DATA_DIR.",
        refused.getMessage());
    assertEquals(before, contents(data));
    try (EmbeddedDatabase elsewhere = EmbeddedDatabase.start(dir.resolve("other"), 0)) {
      assertTrue(
          Files.exists(elsewhere.dataDirectory().resolve("PG_VERSION")),
          "the refusal released the claim");
    }
  }

  @Test
  void aDataDirectoryOfANewerPostgreSqlIsRefusedNamingTheReleaseThatMadeIt(@TempDir Path dir)
      throws Exception {
    Path data = Files.createDirectories(dir.resolve("postgres"));
    Files.writeString(data.resolve("PG_VERSION"), "18\n");
    Map<Path, String> before = contents(data);

    IOException refused = assertThrows(IOException.class, () -> EmbeddedDatabase.start(data, 0));

    assertEquals(
        "The embedded PostgreSQL data directory "
            + data
            + " was made by PostgreSQL 18, which this "
            + "release's PostgreSQL 17 cannot open, so it was left unchanged: run the release that made it, or give this "
            + "release another AR_DATA_DIR.",
        refused.getMessage());
    assertEquals(before, contents(data));
  }

  @Test
  void aSecondStartOnADataDirectoryInUseRefusesNamingTheProcessThatHasIt(@TempDir Path dir)
      throws Exception {
    Path data = dir.resolve("postgres");
    try (EmbeddedDatabase first = EmbeddedDatabase.start(data, 0)) {
      IOException refused = assertThrows(IOException.class, () -> EmbeddedDatabase.start(data, 0));
      assertEquals(
          "The embedded PostgreSQL in "
              + data
              + " is in use by another running AR Service (pid "
              + ProcessHandle.current().pid()
              + "); stop that one first or give this one another AR_DATA_DIR.",
          refused.getMessage());
      try (Connection c =
          DriverManager.getConnection(
              first.url().jdbcUrl(), first.url().user(), first.url().password())) {
        assertTrue(c.isValid(5), "the refused start left the running server alone");
      }
    }
  }

  /** Every file and folder under {@code dir}, with its permissions and content. */
  private static Map<Path, String> contents(Path dir) throws IOException {
    Map<Path, String> all = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.toList()) {
        String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
        all.put(
            dir.relativize(p), mode + (Files.isRegularFile(p) ? " " + Files.readString(p) : ""));
      }
    }
    return all;
  }

  private static void run(List<String> command, String input)
      throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(input.getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    assertFalse(out.contains("ERROR:"), out);
  }

  private static void assertRefused(DatabaseUrl url, String password) {
    SQLException e =
        assertThrows(
            SQLException.class,
            () -> DriverManager.getConnection(url.jdbcUrl(), url.user(), password).close());
    assertTrue(e.getMessage().contains("password"), e.getMessage());
  }
}
