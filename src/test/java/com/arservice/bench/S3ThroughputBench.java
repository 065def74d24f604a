package com.arservice.bench;

import com.arservice.config.DatabaseUrl;
import com.arservice.testing.PostgresExtension;
import com.arservice.testing.RoleProcesses;
import com.arservice.testing.S3Server;
import com.arservice.testing.ServiceProcess;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Throughput without a shared disk: one api and 1, then 2, worker jar processes (one compile worker
 * each) on one PostgreSQL and one bucket (s3proxy in this JVM), each run on a fresh database;
 * {@code N} projects of a photo and a 5 s 720p video are uploaded through the api and posted at
 * once, and the time from the first post to the last ready project gives ready projects per minute.
 * Loopback only, bounded in time.
 *
 * <pre>
 * mvn -q -DskipTests package && mvn -q test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:java \
 *   -Dexec.classpathScope=test -Dexec.mainClass=com.arservice.bench.S3ThroughputBench [-Dexec.args=10]
 * </pre>
 */
public final class S3ThroughputBench {
  private S3ThroughputBench() {}

  public static void main(String[] args) throws Exception {
    int projects = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    Path dir = Files.createTempDirectory("ar-s3-bench");
    Path video = dir.resolve("clip.mp4");
    ServiceProcess.makeVideo(video, 1280, 720, 30, 5);
    DatabaseUrl server = PostgresExtension.url();
    try (S3Server s3 = S3Server.start(dir.resolve("s3"))) {
      for (int workers = 1; workers <= 2; workers++) {
        DatabaseUrl db = freshDatabase(server, "bench_s3_" + workers + "_" + System.nanoTime());
        Path run = Files.createDirectories(dir.resolve("workers-" + workers));
        try (RoleProcesses roles =
            RoleProcesses.start(run, RoleProcesses.sharing(s3, db), workers)) {
          List<JsonObject> requests = new ArrayList<>();
          for (int i = 0; i < projects; i++) {
            requests.add(
                new JsonObject()
                    .put("userId", "bench")
                    .put("photoUrl", roles.upload(RoleProcesses.photo(i), "image/jpeg"))
                    .put("videoUrl", roles.upload(Files.readAllBytes(video), "video/mp4")));
          }
          long start = System.nanoTime();
          List<String> ids = new ArrayList<>();
          for (JsonObject request : requests) {
            ids.add(roles.compile(request));
          }
          int ready = 0;
          for (String id : ids) {
            ready += "ready".equals(roles.awaitFinished(id, Duration.ofMinutes(10))) ? 1 : 0;
          }
          double seconds = (System.nanoTime() - start) / 1e9;
          System.out.printf(
              Locale.ROOT,
              "%d worker process(es): %d of %d projects ready in %.1f s = %.1f ready projects per minute%n",
              workers,
              ready,
              projects,
              seconds,
              ready * 60 / seconds);
        }
      }
    }
    System.exit(0);
  }

  private static DatabaseUrl freshDatabase(DatabaseUrl server, String name) throws Exception {
    try (Connection c =
            DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    }
    return new DatabaseUrl(server.host(), server.port(), name, server.user(), server.password());
  }
}
