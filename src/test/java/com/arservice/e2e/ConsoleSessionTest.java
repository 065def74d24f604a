package com.arservice.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.arservice.config.ConfigKeys;
import com.arservice.config.DatabaseUrl;
import com.arservice.testing.BlockedThreadWatch;
import com.arservice.testing.PostgresExtension;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The console's sign-in: the token becomes a cookie that stands for it, CSRF-safe. */
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

      HttpResponse<String> https =
          service.post("/admin/session", body, CONSOLE, "1", "X-Forwarded-Proto", "https");
      assertTrue(https.headers().firstValue("Set-Cookie").orElseThrow().contains("Secure"));
      HttpResponse<String> out = service.send("DELETE", "/admin/session", "Cookie", cookie);
      assertTrue(out.headers().firstValue("Set-Cookie").orElseThrow().contains("Max-Age=0"));
    }
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
