package com.arservice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.arservice.testing.PostgresExtension;
import com.arservice.testing.Processes;
import com.arservice.testing.RawHttp;
import com.arservice.testing.ServiceProcess;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar's {@code /metrics} under a flood of made-up request methods and paths: every label takes
 * a bounded set of values, so the scrape stays the size it was; and {@code AR_METRICS_TOKEN} guards
 * it.
 */
class MetricsLabelsIT {
  private static final Duration START = Duration.ofSeconds(90);
  private static final String TOKEN = "metrics-s3cret";
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void aFloodOfMadeUpMethodsAndPathsAddsNoSeriesAndTheScrapeNeedsTheMetricsToken(@TempDir Path dir)
      throws Exception {
    int port = Processes.freePort();
    Process service =
        ServiceProcess.start(
            Map.of(
                "PORT",
                Integer.toString(port),
                "AR_BIND_ADDRESS",
                "127.0.0.1",
                "AR_DATA_DIR",
                dir.resolve("data").toString(),
                "AR_DATABASE_URL",
                PostgresExtension.url().uri(),
                "AR_METRICS_TOKEN",
                TOKEN),
            dir.resolve("service.log"));
    try {
      ServiceProcess.awaitOk(port, "/health/live", service, START);
      assertEquals(401, scrape(port, null).statusCode(), "no token");
      assertEquals(401, scrape(port, "Bearer wrong").statusCode(), "a wrong token");
      assertEquals(
          "Bearer",
          scrape(port, "Bearer " + TOKEN.substring(1))
              .headers()
              .firstValue("WWW-Authenticate")
              .orElse(""));

      Random random = new Random(24);
      // every kind of request the flood makes, once, so each of their series exists already
      flood(port, random, 4);
      scrape(port, "Bearer " + TOKEN);
      String before = scrape(port, "Bearer " + TOKEN).body();

      flood(port, random, 500);
      HttpResponse<String> after = scrape(port, "Bearer " + TOKEN);
      assertEquals(200, after.statusCode());
      // a new series per method would be about 23 × 500; a first GC or pool use may add a few
      assertTrue(
          series(after.body()) <= series(before) + 20,
          series(before) + " series before, " + series(after.body()) + " after");
      assertTrue(
          after.body().length() < before.length() + 8_000,
          before.length() + " bytes before, " + after.body().length() + " after");
      assertTrue(
          after.body().contains("method=\"OTHER\""), "made-up methods count as OTHER: " + after);
      assertTrue(after.body().contains("route=\"/status/:id\""), "routes as their templates");
    } finally {
      ServiceProcess.stop(service);
    }
  }

  /**
   * {@code n} requests with a made-up 2,000-character method, each to a path of its own (none, a
   * route's template, the health route), and {@code n} GETs of made-up paths, on one connection.
   */
  private static void flood(int port, Random random, int n) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      OutputStream out = socket.getOutputStream();
      InputStream in = new BufferedInputStream(socket.getInputStream());
      String[] paths = {"/x", "/status/", "/viewer/", "/objects/ar-storage/p/", "/health/live?"};
      for (int i = 0; i < n; i++) {
        String method = token(random, 2_000);
        String path = paths[i % paths.length] + token(random, 40).toLowerCase();
        for (String request : new String[] {method + " " + path, "GET " + path}) {
          out.write(
              (request + " HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.UTF_8));
          out.flush();
          int status = RawHttp.readResponse(in);
          assertTrue(status >= 200 && status < 500, request.substring(0, 40) + ": " + status);
        }
      }
    }
  }

  private static String token(Random random, int length) {
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append((char) ('A' + random.nextInt(26)));
    }
    return out.toString();
  }

  private static long series(String scrape) {
    return scrape.lines().filter(l -> !l.isEmpty() && !l.startsWith("#")).count();
  }

  private HttpResponse<String> scrape(int port, String authorization)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
            .timeout(Duration.ofSeconds(10));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
