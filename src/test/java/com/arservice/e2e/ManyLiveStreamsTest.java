package com.arservice.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.arservice.config.ConfigKeys;
import com.arservice.config.DatabaseUrl;
import com.arservice.testing.Await;
import com.arservice.testing.BlockedThreadWatch;
import com.arservice.testing.PostgresExtension;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hundreds of "being prepared" pages following projects that no worker compiles ({@code api} role):
 * what they cost the database, what reaches them, and how many one client may hold.
 */
@ExtendWith({PostgresExtension.class, BlockedThreadWatch.class})
class ManyLiveStreamsTest {
  private static final int PROJECTS = 3;
  private static final int PER_PROJECT = 100;
  private static final int PER_CLIENT = 20;
  private static final Duration QUIET = Duration.ofSeconds(3);

  private Vertx vertx;
  private final Map<String, HttpClient> clients = new java.util.HashMap<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void threeHundredOpenStreamsCostTheDatabaseAConstantAndEachChangeIsReadOnceForAll(
      @TempDir Path dir, DatabaseUrl db) throws Exception {
    try (ServiceHarness service =
            new ServiceHarness(
                dir,
                db,
                Clock.systemUTC(),
                Map.of(
                    ConfigKeys.ROLE,
                    "api",
                    ConfigKeys.SSE_RECHECK_INTERVAL,
                    "PT1S",
                    ConfigKeys.QUEUE_POLL_INTERVAL,
                    "PT60S"));
        Connection sql = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
      String photo = service.uploadPhoto("landscape-800x640.jpg", "p.jpg");
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < PROJECTS; i++) {
        ids.add(
            service
                .compile(new JsonObject().put("userId", "u").put("photoUrl", photo))
                .getString("projectId"));
      }
      // Twenty streams from each of fifteen loopback addresses (the most one client may hold).
      List<List<Follower>> byProject = new ArrayList<>();
      int opened = 0;
      for (String id : ids) {
        List<Follower> followers = new ArrayList<>();
        for (int i = 0; i < PER_PROJECT; i++, opened++) {
          followers.add(follow(service, "127.0.0." + (2 + opened / PER_CLIENT), id));
        }
        byProject.add(followers);
      }
      List<Follower> all = byProject.stream().flatMap(List::stream).toList();
      Await.until(
          "every stream shows its project pending",
          () -> all.stream().allMatch(f -> f.saw("\"status\":\"pending\"")));

      // At rest the streams cost the recheck's one query a second, whatever their number (each
      // polling on its own every 2 s cost some 450 a second). PostgreSQL counts a transaction in
      // pg_stat_database up to a second or so after it, so the streams' opening reads are let in
      // first: two readings 1.5 s apart that differ by little.
      awaitCountsSettled(sql);
      long before = commits(sql);
      long end = System.nanoTime() + QUIET.toNanos();
      Await.until(
          "the quiet interval has passed", QUIET.plusSeconds(5), () -> System.nanoTime() > end);
      long quiet = commits(sql) - before;
      assertTrue(quiet < 60, quiet + " transactions in " + QUIET + " with 300 streams open");

      // A change whose NOTIFY was lost is found by the recheck.
      update(sql, "progress = 37", ids.get(0), false);
      Await.until(
          "every stream of the first project shows the new progress",
          () -> byProject.get(0).stream().allMatch(f -> f.saw("\"progress\":37")));

      // A notified change is read once for all hundred streams of its project, which end with it.
      before = commits(sql);
      update(sql, "status = 'error', error_message = 'stopped by the test'", ids.get(1), true);
      Await.until(
          "every stream of the second project ends in error",
          () -> byProject.get(1).stream().allMatch(f -> f.ended && f.saw("event: error")));
      long change = commits(sql) - before;
      assertTrue(change < 30, change + " transactions to tell 100 streams of one change");
      assertTrue(
          byProject.get(2).stream().noneMatch(f -> f.ended || f.saw("event: error")),
          "the third project's streams go on as they were");

      // The address holding twenty streams gets no twenty-first; any other address does.
      Follower refused = answered(follow(service, "127.0.0.2", ids.get(2)));
      assertEquals(429, refused.status);
      assertTrue(new JsonObject(refused.received.toString()).getString("error").contains("20"));
      assertEquals(200, answered(follow(service, "127.0.0.100", ids.get(2))).status);
      // Closing one frees its place.
      byProject.get(0).get(0).response.request().connection().close();
      Await.until(
          "a stream from the address is accepted again",
          () -> answered(follow(service, "127.0.0.2", ids.get(2))).status == 200);
      // Unknown projects are refused without taking a place.
      for (int i = 0; i < PER_CLIENT + 5; i++) {
        assertEquals(
            404, answered(follow(service, "127.0.0.101", UUID.randomUUID().toString())).status);
      }
      assertEquals(200, answered(follow(service, "127.0.0.101", ids.get(2))).status);
    }
  }

  /** One client's open stream: what it was answered and has received so far. */
  private static final class Follower {
    private final StringBuffer received = new StringBuffer();
    private volatile int status;
    private volatile boolean ended;
    private volatile HttpClientResponse response;

    boolean saw(String text) {
      return received.indexOf(text) >= 0;
    }
  }

  private Follower follow(ServiceHarness service, String from, String id) {
    Follower f = new Follower();
    HttpClient client =
        clients.computeIfAbsent(
            from,
            a ->
                vertx.createHttpClient(
                    new HttpClientOptions().setLocalAddress(a),
                    new PoolOptions().setHttp1MaxSize(PER_CLIENT + 5)));
    // On a Vert.x context, so the handlers are set before the answer's body can arrive (from the
    // test thread a short 404 could end before them, and its end would never be seen).
    vertx.runOnContext(
        ignored ->
            client
                .request(
                    HttpMethod.GET, service.app.port(), "127.0.0.1", "/status/" + id + "/events")
                .compose(r -> r.send())
                .onSuccess(
                    r -> {
                      f.response = r;
                      r.handler(chunk -> f.received.append(chunk.toString()));
                      r.endHandler(v -> f.ended = true);
                      f.status = r.statusCode();
                    })
                .onFailure(e -> f.ended = true));
    return f;
  }

  /** Waits until the stream is answered (its status, or a refusal's whole body). */
  private static Follower answered(Follower f) {
    Await.until("the stream is answered", () -> f.status == 200 || f.ended);
    return f;
  }

  /** Changes the project in the database, announcing it (as the service does) or not. */
  private static void update(Connection sql, String set, String id, boolean notify)
      throws SQLException {
    try (PreparedStatement st =
        sql.prepareStatement(
            "UPDATE ar_projects SET " + set + ", updated_at = now() WHERE id = ?::uuid")) {
      st.setString(1, id);
      assertEquals(1, st.executeUpdate());
    }
    if (notify) {
      try (PreparedStatement st = sql.prepareStatement("SELECT pg_notify('ar_projects', ?)")) {
        st.setString(1, id);
        st.executeQuery().close();
      }
    }
  }

  /** Waits until two readings of {@link #commits} 1.5 s apart differ by fewer than ten. */
  private static void awaitCountsSettled(Connection sql) {
    long[] last = {-1, System.nanoTime()};
    Await.until(
        "the opening reads are counted",
        () -> {
          if (System.nanoTime() - last[1] < Duration.ofMillis(1500).toNanos()) {
            return false;
          }
          long now = commits(sql);
          boolean settled = last[0] >= 0 && now - last[0] < 10;
          last[0] = now;
          last[1] = System.nanoTime();
          return settled;
        });
  }

  /** Transactions committed in the test database, as PostgreSQL's statistics count them. */
  private static long commits(Connection sql) throws SQLException {
    try (PreparedStatement st =
            sql.prepareStatement(
                "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()");
        ResultSet rs = st.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
