package com.arservice.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.arservice.config.ConfigKeys;
import com.arservice.config.DatabaseUrl;
import com.arservice.testing.BlockedThreadWatch;
import com.arservice.testing.PostgresExtension;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * Requests as an attacker sends them, byte by byte: malformed ones are a 4xx with the usual JSON
 * error, never a 500, on every documented route; hidden files stay hidden however they are asked
 * for.
 */
@ExtendWith({PostgresExtension.class, BlockedThreadWatch.class})
class HostileRequestsTest {
  private static final String TOKEN = "malformed-requests-token";
  private static final String AUTH = "Authorization: Bearer " + TOKEN + "\r\n";

  private ServiceHarness service;

  @BeforeEach
  void start(@TempDir Path dir, DatabaseUrl db) throws Exception {
    service =
        new ServiceHarness(
            dir,
            db,
            Clock.systemUTC(),
            Map.of(ConfigKeys.API_TOKEN, TOKEN, ConfigKeys.ROLE, "api"));
  }

  @AfterEach
  void stop() {
    service.close();
  }

  @Test
  void aBadEscapeInAnUploadUrlOrThePathIsA400() throws Exception {
    Reply r =
        send(
            "POST",
            "/compile",
            AUTH + "Content-Type: application/json\r\n",
            new JsonObject()
                .put("userId", "u")
                .put("photoUrl", "/objects/uploads/%zz.jpg")
                .encode());
    assertEquals(400, r.status(), r.text());
    assertTrue(r.error().contains("is not a valid upload file name"), r.text());
    Reply path = send("GET", "/status/%zz", "", "");
    assertEquals(400, path.status(), path.text());
    assertEquals("The request path is malformed", path.error());
  }

  @Test
  void theArtifactFolderItselfIsA404() throws Exception {
    for (String path :
        List.of("/objects/ar-storage", "/objects/ar-storage/", "/objects/ar-storage//x")) {
      Reply r = send("GET", path, "", "");
      assertEquals(404, r.status(), path + ": " + r.text());
      assertEquals("Not found", r.error());
    }
  }

  @Test
  void aRawNulInThePathIsRefused() throws Exception {
    for (String path :
        List.of("/objects/ar-storage/a\0b/c", "/viewer/a\0.js", "/status/\0", "/ar/view/\0x")) {
      Reply r = send("GET", path, "", "");
      assertTrue(r.status() == 400 || r.status() == 404, path + ": " + r.text());
    }
  }

  @Test
  void anHttp11RequestWithoutHostIsA400() throws Exception {
    for (String path : List.of("/health/live", "/status/" + UUID.randomUUID(), "/")) {
      Reply r = raw("GET " + path + " HTTP/1.1\r\nConnection: close\r\n\r\n");
      assertEquals(400, r.status(), path + ": " + r.text());
    }
  }

  @Test
  void aHiddenFileIsNotFoundWhetherAskedForPlainGzippedRangedOrConditionally() throws Exception {
    Path hidden = service.storage.resolve(".work/p");
    Files.createDirectories(hidden);
    Files.writeString(hidden.resolve("x.mind"), "work in progress");
    Files.writeString(hidden.resolve("x.mind.gz"), "gzip of it");
    String visible = UUID.randomUUID().toString();
    Files.createDirectories(service.storage.resolve(visible));
    Files.writeString(service.storage.resolve(visible + "/marker.mind"), "target");
    Files.writeString(service.storage.resolve(visible + "/marker.mind.gz"), "gzipped");
    List<String> ways =
        List.of(
            "",
            "Accept-Encoding: gzip\r\n",
            "Range: bytes=0-3\r\n",
            "If-None-Match: *\r\n",
            "Accept-Encoding: gzip\r\nIf-None-Match: *\r\n");
    for (String path :
        List.of(
            "/objects/ar-storage/.work/p/x.mind",
            "/objects/ar-storage/%2ework/p/x.mind",
            "/objects/ar-storage/" + visible + "/../.work/p/x.mind")) {
      for (String way : ways) {
        Reply r = send("GET", path, way, "");
        assertEquals(404, r.status(), path + " [" + way.strip() + "]: " + r.text());
        assertFalse(r.header("ETag") != null || r.header("Last-Modified") != null, r.text());
      }
    }
    // The same ways reach a visible target, so the 404s above are the check's.
    String target = "/objects/ar-storage/" + visible + "/marker.mind";
    assertEquals(200, send("GET", target, "", "").status());
    Reply gzipped = send("GET", target, ways.get(1), "");
    assertEquals("gzip", gzipped.header("Content-Encoding"), gzipped.text());
    assertEquals(206, send("GET", target, ways.get(2), "").status());
    assertEquals(304, send("GET", target, ways.get(3), "").status());
  }

  /**
   * Every documented operation with malformed path values, headers and bodies: never a 5xx, and an
   * API 4xx carries a JSON error.
   */
  @Test
  @SuppressWarnings("unchecked")
  void noMalformedRequestToAnyRouteGetsA5xx() throws Exception {
    Map<String, Object> doc = new Yaml().load(service.get("/openapi.yaml").body());
    Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) doc.get("paths");
    List<String> values =
        List.of(
            "%zz",
            "%00",
            "%",
            "..%2f..%2fetc%2fpasswd",
            "%2e%2e",
            ".work",
            "%c0%af",
            "%ff%fe",
            "x".repeat(3000),
            "%F0%9F%98%80",
            UUID.randomUUID().toString());
    List<String> headers =
        List.of(
            "",
            AUTH,
            AUTH + "Content-Type: application/json\r\n",
            AUTH + "Content-Type: multipart/form-data\r\n",
            AUTH + "Content-Type: multipart/form-data; boundary=\"\"\r\n",
            AUTH + "Range: bytes=zz-\r\nIf-None-Match: \"\r\nIf-Modified-Since: never\r\n",
            "Accept-Encoding: gzip;q=x, br;q=\r\nAccept-Language: ;;,ru;q=nan\r\n",
            "Last-Event-ID: -1e99\r\nCookie: ar_console=%%%; ar_console=1.\r\n",
            "Authorization: Bearer \u00ff\u0001\r\nX-Forwarded-Proto: \u00ff\r\n",
            AUTH + "Content-Length: 1\r\nContent-Length: 2\r\n");
    List<String> bodies = List.of("{", "[1]", "--x\r\n", "\0\0\0", "{\"token\":7}");
    List<String> failures = new ArrayList<>();
    int sent = 0;
    for (var entry : paths.entrySet()) {
      for (String method : entry.getValue().keySet()) {
        String m = method.toUpperCase();
        for (int i = 0; i < values.size(); i++) {
          String path = fill(entry.getKey(), values.get(i));
          String header = headers.get(i % headers.size());
          String body = m.equals("GET") || m.equals("DELETE") ? "" : bodies.get(i % bodies.size());
          Reply r = send(m, path, header, body);
          sent++;
          if (r.status() >= 500 || r.status() < 100) {
            failures.add(m + " " + path + " [" + header.strip() + "] -> " + r.text());
          } else if (r.status() >= 400
              && r.contentType().startsWith("application/json")
              && r.error() == null) {
            failures.add(m + " " + path + " -> " + r.status() + " without an error: " + r.text());
          }
        }
      }
    }
    assertTrue(sent > 200, "sent " + sent);
    assertEquals(List.of(), failures);
  }

  /** The template with every {@code {param}} set to {@code value}. */
  private static String fill(String template, String value) {
    return template.replaceAll("\\{[^}]+}", Matcher.quoteReplacement(value));
  }

  private Reply send(String method, String path, String headers, String body) throws IOException {
    byte[] content = body.getBytes(StandardCharsets.ISO_8859_1);
    String length =
        headers.contains("Content-Length") || content.length == 0
            ? ""
            : "Content-Length: " + content.length + "\r\n";
    return raw(
        method
            + " "
            + path
            + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
            + headers
            + length
            + "\r\n"
            + body);
  }

  /** Sends {@code request} as ISO-8859-1 bytes and reads the whole answer. */
  private Reply raw(String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", service.app.port())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      InputStream in = socket.getInputStream();
      try {
        in.transferTo(out);
      } catch (java.net.SocketTimeoutException e) {
        return new Reply("timeout after: " + out.toString(StandardCharsets.ISO_8859_1));
      }
      return new Reply(out.toString(StandardCharsets.ISO_8859_1));
    }
  }

  private record Reply(String text) {
    private static final Pattern STATUS = Pattern.compile("^HTTP/1\\.[01] (\\d{3})");

    int status() {
      Matcher m = STATUS.matcher(text);
      return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    String contentType() {
      String type = header("Content-Type");
      return type == null ? "" : type;
    }

    /** The first header {@code name} of the answer, or null. */
    String header(String name) {
      int end = text.indexOf("\r\n\r\n");
      Matcher m =
          Pattern.compile("(?im)^" + Pattern.quote(name) + ": *(.*?)\r?$")
              .matcher(end < 0 ? text : text.substring(0, end));
      return m.find() ? m.group(1).strip() : null;
    }

    String error() {
      int start = text.indexOf("\r\n\r\n");
      try {
        return new JsonObject(text.substring(start + 4)).getString("error");
      } catch (RuntimeException notJson) {
        return null;
      }
    }
  }
}
