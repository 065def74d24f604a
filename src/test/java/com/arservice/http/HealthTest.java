package com.arservice.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.arservice.db.EmbeddedDatabase;
import com.arservice.db.Migrations;
import com.arservice.db.PgPool;
import com.arservice.testing.TestConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Health and readiness follow the database, liveness does not: this test owns a server of its own
 * so it can stop and restart it.
 */
@ExtendWith(VertxExtension.class)
class HealthTest {
  private EmbeddedDatabase db;

  @AfterEach
  void stopDatabase() {
    if (db != null) {
      db.close();
    }
  }

  @Test
  void healthAndReadinessAreDownWhileTheDatabaseIsAwayAndUpAgainWhenItReturnsWhileLivenessStaysUp(
      Vertx vertx, @TempDir Path dir) throws Exception {
    db = EmbeddedDatabase.start(dir.resolve("pg"), 0);
    int dbPort = db.url().port();
    Migrations.migrate(db.url());
    Pool pool = PgPool.create(vertx, db.url(), 4);
    HttpVerticle http = TestHttp.verticle(vertx, pool, TestConfig.create(dir));
    vertx.deployVerticle(http).await();
    WebClient client = WebClient.create(vertx);

    HttpResponse<Buffer> up = client.get(http.actualPort(), "localhost", "/health").send().await();
    assertEquals(200, up.statusCode());
    JsonObject body = up.bodyAsJsonObject();
    assertEquals("UP", body.getString("status"));
    assertEquals(
        "UP",
        client
            .get(http.actualPort(), "localhost", "/health/ready")
            .send()
            .await()
            .bodyAsJsonObject()
            .getString("status"));

    db.close();
    db = null;
    HttpResponse<Buffer> down =
        client.get(http.actualPort(), "localhost", "/health").send().await();
    assertEquals(
        503,
        client.get(http.actualPort(), "localhost", "/health/ready").send().await().statusCode());
    HttpResponse<Buffer> live =
        client.get(http.actualPort(), "localhost", "/health/live").send().await();
    assertEquals(200, live.statusCode(), "the process itself is alive without its database");
    assertEquals("UP", live.bodyAsJsonObject().getString("status"));
    assertEquals(503, down.statusCode());
    JsonObject downBody = down.bodyAsJsonObject();
    assertEquals("DOWN", downBody.getString("status"));
    JsonObject check =
        downBody.getJsonArray("checks").stream()
            .map(o -> (JsonObject) o)
            .filter(c -> "database".equals(c.getString("id")))
            .findFirst()
            .orElseThrow();
    assertEquals("DOWN", check.getString("status"));

    db = EmbeddedDatabase.start(dir.resolve("pg"), dbPort);
    HttpResponse<Buffer> back =
        client.get(http.actualPort(), "localhost", "/health").send().await();
    assertEquals(200, back.statusCode(), back.bodyAsString());
    assertEquals(
        200,
        client.get(http.actualPort(), "localhost", "/health/ready").send().await().statusCode());
  }

  @Test
  void unknownRoutesAnswerJson404AndTheRootDescribesTheService(Vertx vertx, @TempDir Path dir)
      throws Exception {
    db = EmbeddedDatabase.start(dir.resolve("pg"), 0);
    Pool pool = PgPool.create(vertx, db.url(), 2);
    HttpVerticle http = TestHttp.verticle(vertx, pool, TestConfig.create(dir));
    vertx.deployVerticle(http).await();
    WebClient client = WebClient.create(vertx);
    HttpResponse<Buffer> missing =
        client.get(http.actualPort(), "localhost", "/no/such/thing").send().await();
    assertEquals(404, missing.statusCode());
    assertEquals("Not found", missing.bodyAsJsonObject().getString("error"));
    JsonObject root =
        client.get(http.actualPort(), "localhost", "/").send().await().bodyAsJsonObject();
    assertEquals("ar-service", root.getString("service"));
    assertEquals("/health", root.getJsonArray("endpoints").getJsonObject(1).getString("path"));
  }
}
