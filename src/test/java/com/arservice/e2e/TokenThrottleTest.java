package com.arservice.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.arservice.config.ConfigKeys;
import com.arservice.config.DatabaseUrl;
import com.arservice.testing.BlockedThreadWatch;
import com.arservice.testing.PostgresExtension;
import com.arservice.testing.SettableClock;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Guessing the token is slowed down per client: 429 with a Retry-After that keeps growing. */
@ExtendWith({PostgresExtension.class, BlockedThreadWatch.class})
class TokenThrottleTest {
  private static final String TOKEN = "throttle-test-token-0123456789abcdef";
  private static final String[] RIGHT = {"Authorization", "Bearer " + TOKEN};
  private static final String XFF = "X-Forwarded-For";

  @Test
  void wrongTokensFromOneClientWaitLongerAndLongerWhileOthersAndTheRightTokenLaterGetThrough(
      @TempDir Path dir, DatabaseUrl db) throws Exception {
    SettableClock clock = new SettableClock(Instant.parse("2026-03-01T10:00:00Z"));
    // The test talks over loopback, a trusted proxy by default: X-Forwarded-For names the client.
    try (ServiceHarness service =
        new ServiceHarness(
            dir, db, clock, Map.of(ConfigKeys.API_TOKEN, TOKEN, ConfigKeys.ROLE, "api"))) {
      String[] guesser = {XFF, "198.51.100.7"};
      for (int i = 0; i < 5; i++) {
        assertEquals(401, wrongToken(service, guesser, i).statusCode());
      }
      assertRetryAfter(1, service.get("/admin/stats", with(guesser, RIGHT)));
      assertEquals(
          200,
          service.get("/admin/stats", with(new String[] {XFF, "198.51.100.8"}, RIGHT)).statusCode(),
          "another client");
      assertEquals(404, service.get("/status/" + UUID.randomUUID(), guesser).statusCode());

      clock.advance(Duration.ofSeconds(1));
      assertEquals(401, wrongToken(service, guesser, 5).statusCode());
      assertRetryAfter(2, wrongToken(service, guesser, 6));
      assertRetryAfter(2, signIn(service, TOKEN, guesser));
      assertRetryAfter(
          2,
          service.get("/status/" + UUID.randomUUID(), with(guesser, RIGHT)),
          "a status seen in full is no way around it");
      clock.advance(Duration.ofSeconds(2));
      assertEquals(401, signIn(service, "guess", guesser).statusCode());
      assertRetryAfter(4, service.get("/admin/stats", with(guesser, RIGHT)));

      clock.advance(Duration.ofSeconds(4));
      assertEquals(200, service.get("/admin/stats", with(guesser, RIGHT)).statusCode());
      for (int i = 0; i < 4; i++) {
        assertEquals(401, wrongToken(service, guesser, i).statusCode(), "counted afresh");
      }
      assertEquals(
          401,
          service
              .get("/admin/stats", with(guesser, "Cookie", "ar_console=" + "x".repeat(43)))
              .statusCode());
      assertRetryAfter(1, signIn(service, TOKEN, guesser), "an unknown cookie counts too");
    }
  }

  @Test
  void fromAPeerThatIsNotATrustedProxyAForgedForwardedForChangesNothing(
      @TempDir Path dir, DatabaseUrl db) throws Exception {
    SettableClock clock = new SettableClock(Instant.parse("2026-03-01T10:00:00Z"));
    try (ServiceHarness service =
        new ServiceHarness(
            dir,
            db,
            clock,
            Map.of(
                ConfigKeys.API_TOKEN,
                TOKEN,
                ConfigKeys.ROLE,
                "api",
                ConfigKeys.TRUSTED_PROXIES,
                "192.0.2.1"))) {
      for (int i = 0; i < 5; i++) {
        assertEquals(
            401, wrongToken(service, new String[] {XFF, "203.0.113." + i}, i).statusCode());
      }
      assertRetryAfter(
          1, service.get("/admin/stats", with(new String[] {XFF, "203.0.113.99"}, RIGHT)));
      assertRetryAfter(1, service.get("/admin/stats", RIGHT));
    }
  }

  private static HttpResponse<String> wrongToken(ServiceHarness service, String[] client, int n)
      throws Exception {
    return service.get("/admin/stats", with(client, "Authorization", "Bearer guess-" + n));
  }

  private static HttpResponse<String> signIn(ServiceHarness service, String token, String[] client)
      throws Exception {
    return service.post(
        "/admin/session",
        new JsonObject().put("token", token).encode(),
        with(client, "X-AR-Console", "1"));
  }

  private static void assertRetryAfter(long seconds, HttpResponse<String> r, String... why) {
    String message = String.join(" ", why) + " " + r.body();
    assertEquals(429, r.statusCode(), message);
    assertEquals(
        Long.toString(seconds), r.headers().firstValue("Retry-After").orElse(null), message);
    assertEquals(true, new JsonObject(r.body()).containsKey("error"), message);
  }

  private static String[] with(String[] first, String... more) {
    String[] all = new String[first.length + more.length];
    System.arraycopy(first, 0, all, 0, first.length);
    System.arraycopy(more, 0, all, first.length, more.length);
    return all;
  }
}
