package com.arservice.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.arservice.config.ConfigKeys;
import com.arservice.config.DatabaseUrl;
import com.arservice.testing.BlockedThreadWatch;
import com.arservice.testing.PostgresExtension;
import com.arservice.testing.SettableClock;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's sign-in: the token becomes a cookie that stands for it, CSRF-safe, a session kept
 * in the database that signing out or a new token ends.
 */
@ExtendWith({PostgresExtension.class, BlockedThreadWatch.class})
class ConsoleSessionTest {
  private static final String TOKEN = "console-token";
  private static final String CONSOLE = "X-AR-Console";

  @Test
  void theTokenBecomesAStrictHttpOnlyCookieThatOpensTheConsolesRoutes(
      @TempDir Path dir, DatabaseUrl db) throws Exception {
    try (ServiceHarness service =
        new ServiceHarness(
            dir,
            db,
            Clock.systemUTC(),
            Map.of(ConfigKeys.API_TOKEN, TOKEN, ConfigKeys.ROLE, "api"))) {
      HttpResponse<String> page = service.get("/admin/");
      assertEquals(200, page.statusCode());
      assertTrue(page.body().contains("/admin/app/console.js"));
      assertEquals(200, service.get("/admin/app/console.js").statusCode());
      assertEquals(
          new JsonObject().put("enabled", true).put("signedIn", false),
          new JsonObject(service.get("/admin/session").body()));

      String body = new JsonObject().put("token", TOKEN).encode();
      assertEquals(400, service.post("/admin/session", body).statusCode(), "no console header");
      assertEquals(
          401,
          service
              .post("/admin/session", new JsonObject().put("token", "guess").encode(), CONSOLE, "1")
              .statusCode());
      HttpResponse<String> signedIn = service.post("/admin/session", body, CONSOLE, "1");
      assertEquals(200, signedIn.statusCode(), signedIn.body());
      String setCookie = signedIn.headers().firstValue("Set-Cookie").orElseThrow();
      assertTrue(setCookie.startsWith("ar_console="), setCookie);
      assertTrue(setCookie.toLowerCase().contains("; httponly"), setCookie);
      assertTrue(setCookie.contains("SameSite=Strict"), setCookie);
      assertFalse(setCookie.contains("Secure"), "plain http here: " + setCookie);
      String cookie = setCookie.substring(0, setCookie.indexOf(';'));

      assertEquals(200, service.get("/admin/stats", "Cookie", cookie).statusCode());
      assertEquals(
          true,
          new JsonObject(service.get("/admin/session", "Cookie", cookie).body())
              .getValue("signedIn"));
      String unknown = "/projects/" + UUID.randomUUID();
      // A write with the cookie alone (what a form on another site could send) is refused.
      assertEquals(401, service.send("DELETE", unknown, "Cookie", cookie).statusCode());
      assertEquals(
          404, service.send("DELETE", unknown, "Cookie", cookie, CONSOLE, "1").statusCode());
      assertEquals(401, service.get("/admin/stats", "Cookie", "ar_console=1.forged").statusCode());
      // The session is looked up in the database before the body is read; none of it is lost.
      HttpResponse<String> compile =
          service.post(
              "/compile",
              new JsonObject().put("userId", "u").put("photoUrl", "not-an-upload").encode(),
              "Cookie",
              cookie,
              CONSOLE,
              "1");
      assertEquals(400, compile.statusCode(), compile.body());
      assertTrue(compile.body().contains("photoUrl"), compile.body());

      HttpResponse<String> https =
          service.post("/admin/session", body, CONSOLE, "1", "X-Forwarded-Proto", "https");
      assertTrue(https.headers().firstValue("Set-Cookie").orElseThrow().contains("Secure"));
      HttpResponse<String> out = service.send("DELETE", "/admin/session", "Cookie", cookie);
      assertTrue(out.headers().firstValue("Set-Cookie").orElseThrow().contains("Max-Age=0"));
      assertEquals(
          401,
          service.get("/admin/stats", "Cookie", cookie).statusCode(),
          "a copy of the cookie kept after signing out opens nothing");
      assertEquals(
          false,
          new JsonObject(service.get("/admin/session", "Cookie", cookie).body())
              .getValue("signedIn"));
    }
  }

  @Test
  void twoSignInsInTheSameInstantAreTwoSessionsAndSigningOutEndsOnlyItsOwn(
      @TempDir Path dir, DatabaseUrl db) throws Exception {
    SettableClock clock = new SettableClock(Instant.parse("2026-03-01T10:00:00Z"));
    try (ServiceHarness service = api(dir, db, clock, TOKEN)) {
      String first = signIn(service);
      String second = signIn(service);
      assertNotEquals(first, second);
      assertEquals(200, service.get("/admin/stats", "Cookie", first).statusCode());
      assertEquals(200, service.send("DELETE", "/admin/session", "Cookie", first).statusCode());
      assertEquals(401, service.get("/admin/stats", "Cookie", first).statusCode());
      assertEquals(200, service.get("/admin/stats", "Cookie", second).statusCode());

      clock.advance(Duration.ofHours(12));
      assertEquals(401, service.get("/admin/stats", "Cookie", second).statusCode(), "expired");
      signIn(service);
      assertEquals(
          1L,
          service
              .app
              .pool()
              .query("SELECT count(*) FROM ar_console_sessions")
              .execute()
              .await()
              .iterator()
              .next()
              .getLong(0),
          "a sign-in forgets the expired sessions");
    }
  }

  @Test
  void aSessionHoldsInEveryProcessOnTheDatabaseAndAcrossRestartsUntilSignOutOrANewToken(
      @TempDir Path dir, DatabaseUrl db) throws Exception {
    String kept;
    try (ServiceHarness one = api(dir.resolve("one"), db, Clock.systemUTC(), TOKEN);
        ServiceHarness two = api(dir.resolve("two"), db, Clock.systemUTC(), TOKEN)) {
      String signedOutElsewhere = signIn(one);
      kept = signIn(one);
      assertEquals(200, two.get("/admin/stats", "Cookie", signedOutElsewhere).statusCode());
      assertEquals(
          200, two.send("DELETE", "/admin/session", "Cookie", signedOutElsewhere).statusCode());
      assertEquals(
          401,
          one.get("/admin/stats", "Cookie", signedOutElsewhere).statusCode(),
          "signed out in the other process");
      assertEquals(200, one.get("/admin/stats", "Cookie", kept).statusCode());
    }
    try (ServiceHarness restarted = api(dir.resolve("three"), db, Clock.systemUTC(), TOKEN)) {
      assertEquals(200, restarted.get("/admin/stats", "Cookie", kept).statusCode());
    }
    try (ServiceHarness newToken =
        api(dir.resolve("four"), db, Clock.systemUTC(), "another-console-token")) {
      assertEquals(401, newToken.get("/admin/stats", "Cookie", kept).statusCode());
      assertEquals(
          false,
          new JsonObject(newToken.get("/admin/session", "Cookie", kept).body())
              .getValue("signedIn"));
    }
  }

  private static ServiceHarness api(Path dir, DatabaseUrl db, Clock clock, String token)
      throws Exception {
    return new ServiceHarness(
        dir, db, clock, Map.of(ConfigKeys.API_TOKEN, token, ConfigKeys.ROLE, "api"));
  }

  /** Signs in with the token; returns the {@code name=value} to send as {@code Cookie}. */
  private static String signIn(ServiceHarness service) throws Exception {
    HttpResponse<String> r =
        service.post("/admin/session", new JsonObject().put("token", TOKEN).encode(), CONSOLE, "1");
    assertEquals(200, r.statusCode(), r.body());
    String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
    return setCookie.substring(0, setCookie.indexOf(';'));
  }

  @Test
  void withoutATokenTheConsoleSaysItIsDisabled(@TempDir Path dir, DatabaseUrl db) throws Exception {
    try (ServiceHarness service =
        new ServiceHarness(dir, db, Clock.systemUTC(), Map.of(ConfigKeys.ROLE, "api"))) {
      assertEquals(
          new JsonObject().put("enabled", false).put("signedIn", false),
          new JsonObject(service.get("/admin/session").body()));
      assertEquals(
          409,
          service
              .post(
                  "/admin/session",
                  new JsonObject().put("token", "x").encode(),
                  "X-AR-Console",
                  "1")
              .statusCode());
    }
  }
}
