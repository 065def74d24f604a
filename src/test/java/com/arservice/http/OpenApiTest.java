package com.arservice.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.arservice.config.DatabaseUrl;
import com.arservice.db.PgPool;
import com.arservice.testing.PostgresExtension;
import com.arservice.testing.TestConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

@ExtendWith({VertxExtension.class, PostgresExtension.class})
class OpenApiTest {
  /**
   * Wildcard routes (Vert.x reports them without the star) and the templated paths documenting
   * them.
   */
  private static final Map<String, String> WILDCARDS =
      Map.of(
          "/objects/ar-storage/", "/objects/ar-storage/{id}/{file}",
          "/viewer/", "/viewer/{file}",
          "/vendor/", "/vendor/{package}/{file}",
          "/admin/app/", "/admin/app/{file}");

  @Test
  @SuppressWarnings("unchecked")
  void theServedDocumentDescribesExactlyTheRoutesTheServerHas(
      Vertx vertx, DatabaseUrl db, @TempDir Path dir) {
    HttpVerticle http =
        TestHttp.verticle(vertx, PgPool.create(vertx, db, 1), TestConfig.create(dir));
    vertx.deployVerticle(http).await();
    HttpResponse<Buffer> served =
        WebClient.create(vertx).get(http.actualPort(), "localhost", "/openapi.yaml").send().await();
    assertEquals(200, served.statusCode());
    assertTrue(served.getHeader("Content-Type").startsWith("application/yaml"));
    Map<String, Object> doc = new Yaml().load(served.bodyAsString());
    assertTrue(String.valueOf(doc.get("openapi")).startsWith("3."));

    Set<String> documented = new TreeSet<>();
    Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) doc.get("paths");
    paths.forEach(
        (path, operations) ->
            operations
                .keySet()
                .forEach(
                    m -> {
                      documented.add(m.toUpperCase() + " " + path);
                      Map<String, Object> op = (Map<String, Object>) operations.get(m);
                      assertTrue(
                          op.containsKey("responses"), m + " " + path + " documents its responses");
                    }));
    Set<String> routed = new TreeSet<>();
    for (String route : http.routes()) {
      String[] parts = route.split(" ", 2);
      String path = WILDCARDS.getOrDefault(parts[1], parts[1].replaceAll(":([A-Za-z]+)", "{$1}"));
      routed.add(parts[0] + " " + path);
    }
    assertEquals(routed, documented);

    // GET / lists endpoints by hand; each must be a real, documented route.
    JsonObject root =
        WebClient.create(vertx)
            .get(http.actualPort(), "localhost", "/")
            .send()
            .await()
            .bodyAsJsonObject();
    for (Object o : root.getJsonArray("endpoints")) {
      JsonObject e = (JsonObject) o;
      String operation =
          e.getString("method") + " " + e.getString("path").replaceAll(":([A-Za-z]+)", "{$1}");
      assertTrue(
          documented.contains(operation), "GET / lists " + operation + ", which is not a route");
    }
  }
}
