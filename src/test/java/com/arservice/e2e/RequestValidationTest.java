package com.arservice.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.arservice.config.ConfigKeys;
import com.arservice.config.DatabaseUrl;
import com.arservice.testing.BlockedThreadWatch;
import com.arservice.testing.PostgresExtension;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Every way a compile request or an upload is refused, and the API token. */
@ExtendWith({PostgresExtension.class, BlockedThreadWatch.class})
class RequestValidationTest {
  private ServiceHarness service;
  private String photo;

  @BeforeEach
  void start(@TempDir Path dir, DatabaseUrl db) throws Exception {
    service =
        new ServiceHarness(
            dir,
            db,
            Clock.systemUTC(),
            Map.of(
                ConfigKeys.COMPILE_WORKERS,
                1,
                ConfigKeys.API_TOKEN,
                "s3cret-token",
                ConfigKeys.MAX_UPLOAD_MB,
                1));
    photo = service.uploadPhoto("landscape-800x640.jpg", "p.jpg");
  }

  @AfterEach
  void stop() {
    service.close();
  }

  private void assertRefused(int status, String body, String expected) throws Exception {
    HttpResponse<String> r = service.post("/compile", body, "Authorization", "Bearer s3cret-token");
    assertEquals(status, r.statusCode(), r.body());
    String error = new JsonObject(r.body()).getString("error");
    assertTrue(error.contains(expected), "'" + error + "' should mention '" + expected + "'");
  }

  private JsonObject valid() {
    return new JsonObject().put("userId", "u").put("photoUrl", photo);
  }

  @Test
  void everyBadCompileRequestIsA400NamingTheField() throws Exception {
    assertRefused(400, "{not json", "not valid JSON");
    assertRefused(400, "[1,2]", "not valid JSON");
    assertRefused(400, new JsonObject().put("photoUrl", photo).encode(), "userId");
    assertRefused(400, new JsonObject().put("userId", "u").encode(), "photoUrl");
    JsonArray eleven = new JsonArray();
    for (int i = 0; i < 11; i++) {
      eleven.add(photo);
    }
    assertRefused(
        400, new JsonObject().put("userId", "u").put("photoUrls", eleven).encode(), "at most 10");
    assertRefused(
        400, valid().put("videoUrls", new JsonArray().add(photo).add(photo)).encode(), "videoUrls");
    assertRefused(400, valid().put("shapeType", "star").encode(), "shapeType");
    assertRefused(400, valid().put("shapeType", "custom").encode(), "maskUrl");
    assertRefused(
        400, valid().put("config", new JsonObject().put("zoom", 3)).encode(), "config.zoom");
    assertRefused(
        400,
        valid().put("config", new JsonObject().put("offsetX", -0.9)).encode(),
        "config.offsetX");
    assertRefused(
        400,
        valid().put("config", new JsonObject().put("fitMode", "stretch")).encode(),
        "config.fitMode");
    assertRefused(400, valid().put("isDemo", "yes").encode(), "isDemo");
    assertRefused(
        400, valid().put("photoUrl", "/objects/uploads/missing.jpg").encode(), "file not found");
  }

  @Test
  void uploadUrlsCannotReachOutsideTheUploadsFolder(@TempDir Path outside) throws Exception {
    Files.writeString(outside.resolve("secret.jpg"), "secret");
    Files.createSymbolicLink(service.uploads.resolve("link.jpg"), outside.resolve("secret.jpg"));
    for (String url :
        new String[] {
          "/objects/uploads/../../etc/passwd",
          "/objects/uploads/%2e%2e/%2e%2e/etc/passwd",
          "/objects/uploads//etc/passwd",
          "/etc/passwd",
          "https://evil.example/x.jpg",
          "/objects/uploads/a\\..\\b",
          "/objects/uploads/.incoming/x"
        }) {
      assertRefused(400, valid().put("photoUrl", url).encode(), "photoUrl");
    }
    assertRefused(
        400,
        valid().put("photoUrl", "/objects/uploads/link.jpg").encode(),
        "outside the uploads folder");
  }

  @Test
  void anOversizedBodyIs413() throws Exception {
    String big = valid().put("padding", "x".repeat(2 * 1024 * 1024)).encode();
    HttpResponse<String> r = service.post("/compile", big, "Authorization", "Bearer s3cret-token");
    assertEquals(413, r.statusCode());
  }

  @Test
  void writeRoutesNeedTheApiTokenButStatusAndViewerStayPublic() throws Exception {
    assertEquals(401, service.post("/compile", valid().encode()).statusCode());
    assertEquals(
        401,
        service.post("/compile", valid().encode(), "Authorization", "Bearer wrong").statusCode());
    HttpResponse<String> ok =
        service.post("/compile", valid().encode(), "Authorization", "Bearer s3cret-token");
    assertEquals(202, ok.statusCode());
    String id = new JsonObject(ok.body()).getString("projectId");
    assertEquals(200, service.get("/status/" + id).statusCode());
    assertEquals(200, service.get("/ar/view/" + id).statusCode());
    assertEquals(
        401,
        upload("photo.jpg", Files.readAllBytes(service.uploads.resolve("p.jpg")), null)
            .statusCode());
  }

  @Test
  void uploadsAreStoredUnderAGeneratedNameByTheirRealType() throws Exception {
    byte[] jpeg = Files.readAllBytes(service.uploads.resolve("p.jpg"));
    HttpResponse<String> r = upload("holiday.png", jpeg, "s3cret-token");
    assertEquals(201, r.statusCode(), r.body());
    JsonObject stored = new JsonObject(r.body());
    assertTrue(
        stored.getString("url").matches("/objects/uploads/[0-9a-f-]{36}\\.jpg"),
        stored.getString("url"));
    assertEquals("image", stored.getString("type"));
    Path file =
        service.uploads.resolve(stored.getString("url").substring("/objects/uploads/".length()));
    assertEquals(jpeg.length, Files.size(file));
    assertEquals(
        202,
        service
            .post(
                "/compile",
                new JsonObject()
                    .put("userId", "u")
                    .put("photoUrl", stored.getString("url"))
                    .encode(),
                "Authorization",
                "Bearer s3cret-token")
            .statusCode(),
        "the URL is usable in /compile");

    HttpResponse<String> text =
        upload("x.jpg", "hello, I am text".getBytes(StandardCharsets.UTF_8), "s3cret-token");
    assertEquals(400, text.statusCode());
    assertTrue(
        new JsonObject(text.body()).getString("error").contains("HEIC, AVIF, WebP or TIFF photos"));
    assertEquals(413, upload("big.jpg", new byte[2 * 1024 * 1024], "s3cret-token").statusCode());
  }

  @Test
  void heicAndAvifUploadsAreImagesAndAnM4aIsRefusedAsHavingNoPicture() throws Exception {
    for (String[] c : new String[][] {{"heic", "mif1heic"}, {"avif", "avifmif1"}}) {
      HttpResponse<String> r = upload("photo.mp4", ftyp(c[0], c[1]), "s3cret-token");
      assertEquals(201, r.statusCode(), r.body());
      JsonObject stored = new JsonObject(r.body());
      assertEquals("image", stored.getString("type"), c[0]);
      assertTrue(stored.getString("url").endsWith("." + c[0]), stored.getString("url"));
    }
    HttpResponse<String> audio = upload("song.mp4", ftyp("M4A ", "M4A isom"), "s3cret-token");
    assertEquals(400, audio.statusCode());
    assertEquals(
        "The file is M4A audio and has no picture: upload a photo or a video",
        new JsonObject(audio.body()).getString("error"));
  }

  /** The start of an ISO media file: its ftyp box with a major and compatible brands. */
  private static byte[] ftyp(String major, String compatible) {
    byte[] brands = compatible.getBytes(StandardCharsets.ISO_8859_1);
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16 + brands.length + 64);
    b.putInt(16 + brands.length).put("ftyp".getBytes(StandardCharsets.ISO_8859_1));
    b.put(major.getBytes(StandardCharsets.ISO_8859_1)).putInt(0).put(brands);
    return b.array();
  }

  @Test
  void aBodyThatIsTheFileItselfIsStoredLikeAMultipartOneAndRefusedLikeOne() throws Exception {
    byte[] jpeg = Files.readAllBytes(service.uploads.resolve("p.jpg"));
    HttpResponse<String> r = rawUpload("video/mp4", HttpRequest.BodyPublishers.ofByteArray(jpeg));
    assertEquals(201, r.statusCode(), r.body());
    JsonObject stored = new JsonObject(r.body());
    assertTrue(
        stored.getString("url").matches("/objects/uploads/[0-9a-f-]{36}\\.jpg"),
        "sniffed, not declared");
    assertEquals(jpeg.length, stored.getInteger("size"));
    assertArrayEquals(
        jpeg,
        Files.readAllBytes(
            service.uploads.resolve(
                stored.getString("url").substring("/objects/uploads/".length()))));

    HttpResponse<String> text =
        rawUpload("image/jpeg", HttpRequest.BodyPublishers.ofString("hello, I am text"));
    assertEquals(400, text.statusCode());
    assertTrue(
        new JsonObject(text.body()).getString("error").contains("HEIC, AVIF, WebP or TIFF photos"));
    assertEquals(
        413,
        rawUpload("image/jpeg", HttpRequest.BodyPublishers.ofByteArray(new byte[2 * 1024 * 1024]))
            .statusCode(),
        "refused by its Content-Length");
    // no Content-Length: refused when the limit is passed
    assertEquals(
        413,
        rawUpload(
                "image/jpeg",
                HttpRequest.BodyPublishers.ofInputStream(
                    () -> new java.io.ByteArrayInputStream(new byte[2 * 1024 * 1024])))
            .statusCode(),
        "refused while streaming");
    try (var left = Files.list(service.uploads.resolve(".incoming"))) {
      assertEquals(0, left.count(), "nothing half-received is left behind");
    }
  }

  private HttpResponse<String> rawUpload(String type, HttpRequest.BodyPublisher body)
      throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(
                    URI.create("http://localhost:" + service.app.port() + "/uploads"))
                .header("Content-Type", type)
                .header("Authorization", "Bearer s3cret-token")
                .POST(body)
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> upload(String filename, byte[] content, String token)
      throws Exception {
    String boundary = "----ar-test-boundary";
    byte[] head =
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                + filename
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8);
    byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
    byte[] body = new byte[head.length + content.length + tail.length];
    System.arraycopy(head, 0, body, 0, head.length);
    System.arraycopy(content, 0, body, head.length, content.length);
    System.arraycopy(tail, 0, body, head.length + content.length, tail.length);
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://localhost:" + service.app.port() + "/uploads"))
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
