package com.arservice.db;

import com.arservice.config.DatabaseUrl;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The embedded server's data directory: upgrades from trust logins, and one owner at a time. */
class EmbeddedDatabaseTest {

  @Test
  void aDataDirectoryOfTheOldVersionWithTrustLoginsIsConvertedToPasswordLoginsAndKeepsItsData(@TempDir Path dir)
      throws Exception {
    Path data = dir.resolve("postgres");
    // What the old version ran: zonky's defaults, trust logins for user postgres, no password.
    try (EmbeddedPostgres old = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false)
        .setRegisterShutdownHook(false).setOutputRedirector(ProcessBuilder.Redirect.DISCARD)
        .setErrorRedirector(ProcessBuilder.Redirect.DISCARD).start();
         Connection c = old.getPostgresDatabase().getConnection();
         Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + EmbeddedDatabase.DATABASE);
      st.execute("CREATE TABLE kept (v text)");
      st.execute("INSERT INTO kept VALUES ('from the old version')");
    }

    DatabaseUrl url;
    try (EmbeddedDatabase db = EmbeddedDatabase.start(data, 0)) {
      url = db.url();
      Path password = data.resolve(EmbeddedDatabase.PASSWORD_FILE);
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(password)));
      assertEquals(Files.readString(password).trim(), url.password());
      assertRefused(url, null);
      assertRefused(url, "not-the-password");
      try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:" + url.port() + "/postgres",
          url.user(), url.password());
           Statement st = c.createStatement();
           ResultSet rs = st.executeQuery("SELECT v FROM kept")) {
        assertTrue(rs.next());
        assertEquals("from the old version", rs.getString(1));
      }
    }
    try (EmbeddedDatabase again = EmbeddedDatabase.start(data, 0)) {
      assertEquals(url.password(), again.url().password(), "the password is made once and kept");
    }
  }

  @Test
  void aSecondStartOnADataDirectoryInUseRefusesNamingTheProcessThatHasIt(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("postgres");
    try (EmbeddedDatabase first = EmbeddedDatabase.start(data, 0)) {
      IOException refused = assertThrows(IOException.class, () -> EmbeddedDatabase.start(data, 0));
      assertEquals("The embedded PostgreSQL in " + data + " is in use by another running AR Service (pid "
          + ProcessHandle.current().pid() + "); stop that one first or give this one another AR_DATA_DIR.",
          refused.getMessage());
      try (Connection c = DriverManager.getConnection(first.url().jdbcUrl(), first.url().user(),
          first.url().password())) {
        assertTrue(c.isValid(5), "the refused start left the running server alone");
      }
    }
  }

  private static void assertRefused(DatabaseUrl url, String password) {
    SQLException e = assertThrows(SQLException.class, () -> DriverManager.getConnection(url.jdbcUrl(), url.user(),
        password).close());
    assertTrue(e.getMessage().contains("password"), e.getMessage());
  }
}
