package com.arservice.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.arservice.config.ConfigKeys;
import com.arservice.config.DatabaseUrl;
import com.arservice.testing.Await;
import com.arservice.testing.OtherUser;
import com.arservice.testing.PostgresExtension;
import com.arservice.testing.Processes;
import com.arservice.testing.S3Server;
import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code docker/nginx.conf.template}, rendered with the hosts set to 127.0.0.1, run by Debian's
 * nginx in front of a running service and a stand-in shop backend. Its workers are unprivileged:
 * {@code www-data} when the test runs as root, as in the compose file's image, else this user.
 */
@ExtendWith(PostgresExtension.class)
class NginxRoutesTest {
  private static final Path TEMPLATE = Path.of("docker/nginx.conf.template");
  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private Process nginx;
  private HttpServer backend;

  @AfterEach
  void stop() throws InterruptedException {
    if (nginx != null) {
      nginx.destroy();
      nginx.waitFor(30, TimeUnit.SECONDS);
    }
    if (backend != null) {
      backend.stop(0);
    }
  }

  @Test
  void everyRouteReachesItsTargetThroughTheSameConfigDockerUses(@TempDir Path dir, DatabaseUrl db)
      throws Exception {
    // the temporary folder stands for the host folder holding the volumes: open to nginx's workers
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    try (ServiceHarness service =
        new ServiceHarness(dir.resolve("svc"), db, Clock.systemUTC(), Map.of())) {
      String id = service.readyPhotoAndVideo();
      int backendPort = startBackend();
      int port = startNginx(dir.resolve("nginx"), service.app.port(), backendPort, service.storage);

      HttpResponse<String> health = get(port, "/health");
      assertEquals(200, health.statusCode(), health.body());
      assertEquals("UP", new JsonObject(health.body()).getString("status"));
      assertEquals(200, get(port, "/health/ready").statusCode());
      assertEquals(200, get(port, "/health/live").statusCode());

      HttpResponse<String> viewer = get(port, "/ar/view/" + id);
      assertEquals(200, viewer.statusCode());
      assertTrue(viewer.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
      assertTrue(
          viewer.body().contains("/objects/ar-storage/" + id + "/marker.mind"), viewer.body());
      String policy = viewer.headers().firstValue("Content-Security-Policy").orElse("");
      assertTrue(policy.contains("frame-ancestors 'self'"), "the service's policy: " + policy);
      assertEquals(List.of("nosniff"), viewer.headers().allValues("X-Content-Type-Options"));
      // the static copy of the page comes from the service, with the same policy, headers once
      HttpResponse<String> page = get(port, "/objects/ar-storage/" + id + "/index.html");
      assertEquals(200, page.statusCode());
      assertEquals(
          List.of(policy), page.headers().allValues("Content-Security-Policy"), "the viewer's");
      assertEquals(List.of("nosniff"), page.headers().allValues("X-Content-Type-Options"));
      assertEquals(1, page.headers().allValues("Cache-Control").size());
      assertEquals(200, get(port, "/viewer/viewer.js").statusCode());
      HttpResponse<byte[]> library =
          getBytes(port, "/viewer/viewer.bundle.js", "Accept-Encoding", "gzip, br");
      assertEquals("br", library.headers().firstValue("Content-Encoding").orElse(""));
      byte[] mind = Files.readAllBytes(service.storage.resolve(id).resolve("marker.mind"));
      HttpResponse<byte[]> target =
          getBytes(port, "/objects/ar-storage/" + id + "/marker.mind", "Accept-Encoding", "gzip");
      assertEquals("gzip", target.headers().firstValue("Content-Encoding").orElse(""));
      assertTrue(target.headers().allValues("Vary").contains("Accept-Encoding"), "gzip_vary");
      try (var in =
          new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(target.body()))) {
        assertArrayEquals(mind, in.readAllBytes(), "nginx sends the copy the service wrote");
      }
      HttpResponse<String> vendor = get(port, "/vendor/none.js");
      assertEquals(404, vendor.statusCode());
      assertEquals(
          "Not found", new JsonObject(vendor.body()).getString("error"), "answered by the service");

      byte[] video = Files.readAllBytes(service.storage.resolve(id).resolve("video-0.mp4"));
      HttpResponse<byte[]> whole = getBytes(port, "/objects/ar-storage/" + id + "/video-0.mp4");
      assertEquals(200, whole.statusCode());
      assertEquals("video/mp4", whole.headers().firstValue("Content-Type").orElse(""));
      assertEquals("bytes", whole.headers().firstValue("Accept-Ranges").orElse(""));
      assertEquals("public, max-age=3600", whole.headers().firstValue("Cache-Control").orElse(""));
      assertEquals("nosniff", whole.headers().firstValue("X-Content-Type-Options").orElse(""));
      String etag = whole.headers().firstValue("ETag").orElse(null);
      assertNotNull(etag);
      HttpResponse<byte[]> range =
          getBytes(port, "/objects/ar-storage/" + id + "/video-0.mp4", "Range", "bytes=0-99");
      assertEquals(206, range.statusCode());
      assertEquals(
          "bytes 0-99/" + video.length, range.headers().firstValue("Content-Range").orElse(""));
      assertArrayEquals(Arrays.copyOf(video, 100), range.body());
      assertEquals(
          304,
          getBytes(port, "/objects/ar-storage/" + id + "/video-0.mp4", "If-None-Match", etag)
              .statusCode());
      // what the viewer picks from: the poster and each rendition the status lists
      JsonObject artifacts =
          new JsonObject(service.get("/status/" + id).body())
              .getJsonArray("targets")
              .getJsonObject(0)
              .getJsonObject("artifacts");
      HttpResponse<byte[]> poster = getBytes(port, artifacts.getString("poster"));
      assertEquals(200, poster.statusCode(), artifacts.encode());
      assertEquals("image/jpeg", poster.headers().firstValue("Content-Type").orElse(""));
      assertEquals("public, max-age=3600", poster.headers().firstValue("Cache-Control").orElse(""));
      assertTrue(poster.headers().firstValue("Content-Encoding").isEmpty(), "sent as stored");
      for (Object o : artifacts.getJsonArray("renditions")) {
        HttpResponse<byte[]> part =
            getBytes(port, ((JsonObject) o).getString("url"), "Range", "bytes=0-99");
        assertEquals(206, part.statusCode(), ((JsonObject) o).encode());
        assertEquals("video/mp4", part.headers().firstValue("Content-Type").orElse(""));
      }
      Path folder = service.storage.resolve(id);
      OtherUser.assertCanReadEveryFile(folder);
      List<Path> published;
      try (Stream<Path> files = Files.list(folder)) {
        published = files.toList();
      }
      for (Path file : published) {
        HttpResponse<byte[]> served =
            getBytes(port, "/objects/ar-storage/" + id + "/" + file.getFileName());
        assertEquals(200, served.statusCode(), file.getFileName() + " through nginx");
        assertArrayEquals(Files.readAllBytes(file), served.body());
      }
      assertEquals(
          404, get(port, "/objects/ar-storage/.cache/").statusCode(), "dot folders stay private");

      HttpResponse<String> api = get(port, "/api/ar/status/" + id);
      assertEquals(200, api.statusCode());
      assertEquals("backend saw /api/ar/status/" + id, api.body());
      HttpResponse<String> metrics = get(port, "/metrics");
      assertEquals(404, metrics.statusCode(), "metrics are scraped from the service, not the site");
      assertEquals("nosniff", metrics.headers().firstValue("X-Content-Type-Options").orElse(""));
      assertEquals(
          404,
          get(port, "/status/" + id).statusCode(),
          "the API is reached through the backend only");
      HttpResponse<String> report =
          http.send(
              HttpRequest.newBuilder(uri(port, "/ar/view/" + id + "/events"))
                  .POST(HttpRequest.BodyPublishers.ofString("{\"events\":[{\"name\":\"open\"}]}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(
          204, report.statusCode(), "a viewer report reaches the service: " + report.body());
      Await.until(
          "the report is counted",
          () ->
              new JsonObject(service.get("/projects/" + id + "/stats").body())
                      .getJsonObject("totals")
                      .getLong("scans")
                  == 1);
      assertEquals(403, get(port, "/ar/view/" + id + "/events").statusCode(), "reports are POSTs");
      HttpResponse<String> bigReport =
          http.send(
              HttpRequest.newBuilder(uri(port, "/ar/view/" + id + "/events"))
                  .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[8 * 1024]))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(413, bigReport.statusCode(), "nginx refuses a large report itself");
      HttpResponse<String> tooBig =
          http.send(
              HttpRequest.newBuilder(uri(port, "/ar/view/" + id))
                  .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[2 * 1024 * 1024]))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(413, tooBig.statusCode());
    }
  }

  @Test
  void aProjectsLiveProgressPassesThroughUnbufferedWhileTheRestOfStatusStaysHidden(
      @TempDir Path dir, DatabaseUrl db) throws Exception {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    // No workers: the project stays pending, so the stream stays open with only heartbeats.
    try (ServiceHarness service =
        new ServiceHarness(
            dir.resolve("svc"),
            db,
            Clock.systemUTC(),
            Map.of(ConfigKeys.ROLE, "api", ConfigKeys.SSE_HEARTBEAT, "PT0.1S"))) {
      String id =
          service
              .compile(
                  new JsonObject()
                      .put("userId", "u")
                      .put("photoUrl", service.uploadPhoto("landscape-800x640.jpg", "p.jpg")))
              .getString("projectId");
      int port =
          startNginx(dir.resolve("nginx"), service.app.port(), startBackend(), service.storage);
      HttpResponse<java.io.InputStream> stream =
          http.send(
              HttpRequest.newBuilder(uri(port, "/status/" + id + "/events"))
                  .header("Accept-Encoding", "gzip")
                  .build(),
              HttpResponse.BodyHandlers.ofInputStream());
      assertEquals(200, stream.statusCode());
      assertTrue(
          stream.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
      assertTrue(stream.headers().firstValue("Content-Encoding").isEmpty(), "not compressed");
      try (var lines =
          new java.io.BufferedReader(
              new java.io.InputStreamReader(
                  stream.body(), java.nio.charset.StandardCharsets.UTF_8))) {
        // A buffering proxy would hold these few hundred bytes back until the stream ended.
        assertEquals("retry: 2000", lines.readLine());
        assertEquals("id: 0", lines.readLine());
        assertEquals("event: status", lines.readLine());
        assertTrue(lines.readLine().contains("\"status\":\"pending\""));
        assertEquals("", lines.readLine());
        assertEquals(": heartbeat", lines.readLine());
        assertEquals("", lines.readLine());
        assertEquals(": heartbeat", lines.readLine());
      }
      assertEquals(404, get(port, "/status/" + id).statusCode());
      assertEquals(404, get(port, "/status/" + id + "/logs").statusCode());
    }
  }

  @Test
  void withArtifactsInABucketNginxHandsTheirPathToTheServiceWhichStreamsThem(
      @TempDir Path dir, DatabaseUrl db) throws Exception {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    try (S3Server s3 = S3Server.start(dir.resolve("s3"));
        ServiceHarness service =
            new ServiceHarness(dir.resolve("svc"), db, Clock.systemUTC(), s3.settings())) {
      String id = service.readyPhotoAndVideo();
      int port =
          startNginx(dir.resolve("nginx"), service.app.port(), startBackend(), service.storage);
      String video = "/objects/ar-storage/" + id + "/video-0.mp4";
      HttpResponse<byte[]> part = getBytes(port, video, "Range", "bytes=0-99");
      assertEquals(206, part.statusCode());
      assertEquals(100, part.body().length);
      assertEquals(
          part.headers().firstValue("Content-Range").orElse(""),
          service
              .getBytes(video, "Range", "bytes=0-99")
              .headers()
              .firstValue("Content-Range")
              .orElse(""),
          "the same object as the service serves");
      assertEquals(200, getBytes(port, "/objects/ar-storage/" + id + "/marker.mind").statusCode());
      assertEquals(404, get(port, "/objects/ar-storage/" + id + "/none.bin").statusCode());
      assertEquals(
          404, get(port, "/objects/ar-storage/.cache/").statusCode(), "dot folders stay private");
    }
  }

  /** A project of a photo and a video, compiled; its id. */
  /** The shop backend's stand-in: says which path it was asked for. */
  private int startBackend() throws IOException {
    backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    backend.createContext(
        "/",
        exchange -> {
          byte[] body =
              ("backend saw " + exchange.getRequestURI().getPath())
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    backend.start();
    return backend.getAddress().getPort();
  }

  /**
   * Renders the template, wraps it in a main config with every path under {@code dir}, starts
   * nginx.
   */
  private int startNginx(Path dir, int servicePort, int backendPort, Path storage)
      throws Exception {
    Files.createDirectories(dir.resolve("logs"));
    int port = Processes.freePort();
    String site =
        render(
            Files.readString(TEMPLATE),
            Map.of(
                "AR_SERVICE_HOST",
                "127.0.0.1",
                "AR_SERVICE_PORT",
                Integer.toString(servicePort),
                "BACKEND_HOST",
                "127.0.0.1",
                "BACKEND_PORT",
                Integer.toString(backendPort),
                "AR_STORAGE_ROOT",
                storage.toString(),
                "NGINX_PORT",
                "127.0.0.1:" + port));
    Files.writeString(dir.resolve("site.conf"), site);
    Files.writeString(
        dir.resolve("nginx.conf"),
        String.join(
            "\n",
            // As root (CI), workers run as www-data, as Debian's own nginx.conf has it; else as
            // this user.
            "root".equals(System.getProperty("user.name")) ? "user www-data;" : "",
            "daemon off;",
            "worker_processes 1;",
            "pid " + dir.resolve("nginx.pid") + ";",
            "error_log " + dir.resolve("logs/error.log") + " warn;",
            "events { worker_connections 64; }",
            "http {",
            "  include /etc/nginx/mime.types;",
            "  default_type application/octet-stream;",
            "  sendfile on;",
            "  access_log " + dir.resolve("logs/access.log") + ";",
            "  client_body_temp_path " + dir.resolve("client_body") + ";",
            "  proxy_temp_path " + dir.resolve("proxy") + ";",
            "  fastcgi_temp_path " + dir.resolve("fastcgi") + ";",
            "  uwsgi_temp_path " + dir.resolve("uwsgi") + ";",
            "  scgi_temp_path " + dir.resolve("scgi") + ";",
            "  include " + dir.resolve("site.conf") + ";",
            "}",
            ""));
    ProcessBuilder pb =
        new ProcessBuilder(
            nginxBinary(),
            "-p",
            dir.toString(),
            "-c",
            dir.resolve("nginx.conf").toString(),
            "-e",
            dir.resolve("logs/error.log").toString());
    pb.redirectErrorStream(true).redirectOutput(dir.resolve("logs/stdout.log").toFile());
    nginx = pb.start();
    Await.until(
        "nginx listens on port " + port,
        Duration.ofSeconds(30),
        () -> {
          if (!nginx.isAlive()) {
            throw new AssertionError(
                "nginx exited: "
                    + Files.readString(dir.resolve("logs/error.log"))
                    + Files.readString(dir.resolve("logs/stdout.log")));
          }
          try (Socket ignored = new Socket("127.0.0.1", port)) {
            return true;
          } catch (IOException notYet) {
            return false;
          }
        });
    return port;
  }

  /**
   * Fills {@code ${NAME}} the way the nginx image's envsubst step does; every placeholder must be
   * known.
   */
  static String render(String template, Map<String, String> values) {
    Matcher m = Pattern.compile("\\$\\{([A-Z_]+)}").matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = values.get(m.group(1));
      if (value == null) {
        throw new AssertionError(
            "the template uses ${" + m.group(1) + "}, which the test does not set");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    return m.appendTail(out).toString();
  }

  private static String nginxBinary() {
    for (String candidate : List.of("/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return candidate;
      }
    }
    throw new AssertionError("nginx is not installed (run .ci/setup-nginx.sh as root)");
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri(port, path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<byte[]> getBytes(int port, String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(port, path));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static URI uri(int port, String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }
}
