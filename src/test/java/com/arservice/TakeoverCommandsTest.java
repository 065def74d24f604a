package com.arservice;

import static com.arservice.testing.NodeServiceDatabase.FAILED;
import static com.arservice.testing.NodeServiceDatabase.READY;
import static com.arservice.testing.NodeServiceDatabase.WAITING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.arservice.config.ConfigKeys;
import com.arservice.config.DatabaseUrl;
import com.arservice.mind.MindCompiler;
import com.arservice.mind.io.ImageLoader;
import com.arservice.testing.NodeServiceDatabase;
import com.arservice.testing.PostgresExtension;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The takeover commands, run as an operator runs them, against real databases. */
@ExtendWith(PostgresExtension.class)
class TakeoverCommandsTest {
  private Path dir;
  private Path storage;
  private DatabaseUrl server;
  private DatabaseUrl old;

  @BeforeEach
  void oldService(@TempDir Path dir, DatabaseUrl server) throws Exception {
    this.dir = dir;
    this.server = server;
    storage = dir.resolve("ar-storage");
    byte[] mind =
        MindCompiler.compile(
                List.of(
                    new ImageLoader()
                        .load(Path.of("src/test/resources/photos/landscape-800x640.jpg"))))
            .mind();
    old = NodeServiceDatabase.create(server, storage, mind, mind);
  }

  @Test
  void importCopiesTheOldProjectsOnceReportsConflictsAndADryRunChangesNothing() throws Exception {
    DatabaseUrl ours = NodeServiceDatabase.newDatabase(server);
    Path conf = conf(ours);
    String dry = run(0, "import", "--from", old.uri(), "--dry-run", "--conf", conf.toString());
    assertTrue(dry.contains("dry run: nothing was changed"), dry);
    assertTrue(dry.matches("(?s).*projects to convert +6\\n.*"), dry);
    assertEquals(0, count(ours, "SELECT count(*) FROM ar_projects"));

    String first = run(0, "import", "--from", old.uri(), "--conf", conf.toString());
    assertTrue(first.matches("(?s).*projects converted +6\\n.*"), first);
    assertEquals(6, count(ours, "SELECT count(*) FROM ar_projects"));
    assertEquals(4, count(ours, "SELECT count(*) FROM ar_compilation_logs"));
    assertEquals(2, count(ours, "SELECT count(*) FROM ar_webhook_events"));
    assertTrue(Files.exists(storage.resolve(READY).resolve("viewer.json")), "our viewer's data");

    String second = run(0, "import", "--from", old.uri(), "--conf", conf.toString());
    assertTrue(second.matches("(?s).*projects converted +0\\n.*"), second);
    assertTrue(second.matches("(?s).*projects already here \\(skipped\\) +6\\n.*"), second);
    assertEquals(6, count(ours, "SELECT count(*) FROM ar_projects"));
    assertEquals(4, count(ours, "SELECT count(*) FROM ar_compilation_logs"));
    assertEquals(2, count(ours, "SELECT count(*) FROM ar_webhook_events"));

    DatabaseUrl taken = NodeServiceDatabase.newDatabase(server);
    Path takenConf = conf(taken);
    run(0, "import", "--from", old.uri(), "--dry-run", "--conf", takenConf.toString());
    execute(
        taken,
        "INSERT INTO ar_projects (id, user_id, photo_url, status) VALUES ('"
            + FAILED
            + "', 'someone-else', '/objects/uploads/x.jpg', 'ready')");
    String conflicts = run(0, "import", "--from", old.uri(), "--conf", takenConf.toString());
    assertTrue(conflicts.contains("not imported: " + FAILED), conflicts);
    assertTrue(conflicts.matches("(?s).*projects converted +5\\n.*"), conflicts);
    assertEquals(
        1, count(taken, "SELECT count(*) FROM ar_projects WHERE user_id = 'someone-else'"));
  }

  @Test
  void adoptOnlyActsWhenAskedAndThenOnce() throws Exception {
    Path conf = conf(old);
    assertTrue(run(2, "adopt", "--conf", conf.toString()).contains("--dry-run or --apply"));
    String dry = run(0, "adopt", "--dry-run", "--conf", conf.toString());
    assertTrue(dry.contains("pg-boss jobs ar-compile active"), dry);
    assertEquals(0, count(old, "SELECT count(*) FROM pg_namespace WHERE nspname = 'ar_legacy'"));
    String applied = run(0, "adopt", "--apply", "--drop-pgboss", "--conf", conf.toString());
    assertTrue(applied.matches("(?s).*projects converted +6\\n.*"), applied);
    assertEquals(0, count(old, "SELECT count(*) FROM pg_namespace WHERE nspname = 'pgboss'"));
    assertTrue(run(0, "adopt", "--apply", "--conf", conf.toString()).contains("Nothing to adopt"));
  }

  @Test
  void recompileQueuesProjectsWhoseUploadsAreStillThereAndSaysWhyNotForTheOthers()
      throws Exception {
    Path conf = conf(old);
    run(0, "adopt", "--apply", "--conf", conf.toString());
    Files.createDirectories(dir.resolve("uploads"));
    Files.copy(
        Path.of("src/test/resources/photos/wide-1024x768.jpg"),
        dir.resolve("uploads/node-waiting.jpg"));
    assertTrue(run(2, "recompile", "--conf", conf.toString()).contains("ids or --all"));
    assertTrue(
        run(2, "recompile", READY, "--mode", "fancy", "--conf", conf.toString())
            .contains("must be one of"));
    String reference =
        run(0, "recompile", WAITING, "--mode", "reference", "--dry-run", "--conf", conf.toString());
    assertTrue(
        reference.contains(WAITING + ": would be compiled again (mode reference)"), reference);
    String out = run(0, "recompile", READY, WAITING, "--conf", conf.toString());
    assertTrue(out.contains(READY + ": skipped, its uploads are no longer"), out);
    assertTrue(out.contains(WAITING + ": queued (mode robust)"), out);
    assertEquals(
        1,
        count(
            old,
            "SELECT count(*) FROM ar_jobs WHERE state = 'created' AND data->>'mode' = 'robust' "
                + "AND data->>'projectId' = '"
                + WAITING
                + "'"));
    assertEquals(1, count(old, "SELECT count(*) FROM ar_projects WHERE status = 'pending'"));
  }

  private Path conf(DatabaseUrl db) throws Exception {
    Path conf = Files.createTempFile(dir, "conf", ".json");
    Files.writeString(
        conf,
        new JsonObject()
            .put(ConfigKeys.DATABASE_URL, db.uri())
            .put(ConfigKeys.DATA_DIR, dir.toString())
            .put(ConfigKeys.STORAGE_PATH, storage.toString())
            .put(ConfigKeys.UPLOADS_PATH, dir.resolve("uploads").toString())
            .encode());
    return conf;
  }

  private static String run(int code, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
    int actual = Main.run(args, print, print);
    String text = out.toString(StandardCharsets.UTF_8);
    assertEquals(code, actual, text);
    return text;
  }

  private static long count(DatabaseUrl db, String sql) throws SQLException {
    try (Connection c = NodeServiceDatabase.connect(db);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void execute(DatabaseUrl db, String sql) throws SQLException {
    try (Connection c = NodeServiceDatabase.connect(db);
        Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }
}
