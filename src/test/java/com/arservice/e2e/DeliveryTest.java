package com.arservice.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aayushatharva.brotli4j.decoder.Decoder;
import com.arservice.config.DatabaseUrl;
import com.arservice.mind.MindFile;
import com.arservice.testing.PostgresExtension;
import com.arservice.viewer.ViewerPage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a phone downloads: the libraries, the viewer script and the target compressed as the client
 * accepts them (brotli first, then gzip, else as stored), with caching validators, and the target
 * whole or by range in the form MindAR's loader reads.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(PostgresExtension.class)
class DeliveryTest {
  private static final String ALL = "gzip, deflate, br";

  private ServiceHarness service;
  private String id;
  private String page;

  @BeforeAll
  void readyProject(@TempDir Path dir, DatabaseUrl db) throws Exception {
    service = new ServiceHarness(dir, db, Clock.systemUTC(), Map.of());
    id = service.readyPhotoAndVideo();
    HttpResponse<byte[]> view = service.getBytes("/ar/view/" + id, "Accept-Encoding", ALL);
    assertEquals("gzip", encoding(view), "the page is compressed as it is sent");
    page = new String(gunzip(view.body()), StandardCharsets.UTF_8);
  }

  @AfterAll
  void stop() {
    service.close();
  }

  @Test
  void theViewerPageOpensTheCameraAtOnceAndItsScriptsAreNamedByVersion() throws Exception {
    assertTrue(
        page.contains(
            "<meta name=\"ar-marker\" content=\"/objects/ar-storage/" + id + "/marker.mind\">"),
        page);
    int camera = page.indexOf("getUserMedia(");
    assertTrue(
        camera >= 0 && camera < page.indexOf("src=\"/viewer/viewer.bundle.js"),
        "the camera starts before the viewer's script loads");
    assertTrue(
        page.matches(
            "(?s).*<script type=\"text/javascript\""
                + " src=\"/viewer/viewer\\.bundle\\.js\\?v=[0-9a-f]{12}\" defer>.*"),
        page);
    String runtime = new String(resource("/viewer/viewer.bundle.js"), StandardCharsets.UTF_8);
    assertTrue(runtime.contains("meta[name=\"ar-marker\"]"), "the runtime starts the target");
    assertTrue(
        runtime.contains(sceneUrl().substring("/viewer/".length())),
        "the runtime loads the scene script by its version");
  }

  @Test
  void theViewersScriptsGoAsBrotliThenGzipThenAsStoredAndTheLicencesBeside() throws Exception {
    for (String path : new String[] {scriptUrl(), sceneUrl()}) {
      servedInEachEncoding(path);
    }
    HttpResponse<byte[]> unversioned =
        service.getBytes("/viewer/viewer.js", "Accept-Encoding", ALL);
    assertEquals("public, no-cache", unversioned.headers().firstValue("Cache-Control").orElse(""));
    HttpResponse<byte[]> licence = service.getBytes("/vendor/three@0.160.1/LICENSE");
    assertEquals(200, licence.statusCode());
    assertTrue(new String(licence.body(), StandardCharsets.UTF_8).contains("MIT"));
    assertEquals(404, service.getBytes("/vendor/none.js").statusCode());
    assertEquals(404, service.getBytes("/vendor/none.js").statusCode(), "a miss stays a miss");
  }

  private void servedInEachEncoding(String path) throws Exception {
    String file = path.replaceFirst("\\?.*", "");
    byte[] plain = resource(file);
    HttpResponse<byte[]> br = service.getBytes(path, "Accept-Encoding", ALL);
    assertEquals(200, br.statusCode());
    assertEquals("br", encoding(br), path);
    assertArrayEquals(resource(file + ".br"), br.body());
    assertTrue(br.body().length < plain.length / 3, path + " shrinks");
    assertEquals("Accept-Encoding", br.headers().firstValue("Vary").orElse(""));
    assertEquals(
        "public, max-age=31536000, immutable", br.headers().firstValue("Cache-Control").orElse(""));

    HttpResponse<byte[]> gzip = service.getBytes(path, "Accept-Encoding", "br;q=0, gzip;q=0.8");
    assertEquals("gzip", encoding(gzip));
    assertArrayEquals(plain, gunzip(gzip.body()));

    HttpResponse<byte[]> identity = service.getBytes(path);
    assertEquals("identity", encoding(identity));
    assertArrayEquals(plain, identity.body());

    String etag = br.headers().firstValue("ETag").orElseThrow();
    assertFalse(etag.equals(gzip.headers().firstValue("ETag").orElse("")), "one per encoding");
    assertEquals(
        304, service.getBytes(path, "Accept-Encoding", ALL, "If-None-Match", etag).statusCode());
  }

  @Test
  void theTargetGoesBrotliOrGzippedWholeAndAsStoredByRange() throws Exception {
    String url = "/objects/ar-storage/" + id + "/marker.mind";
    byte[] stored = Files.readAllBytes(service.storage.resolve(id).resolve("marker.mind"));
    HttpResponse<byte[]> whole = service.getBytes(url, "Accept-Encoding", ALL);
    assertEquals(200, whole.statusCode());
    assertEquals("br", encoding(whole));
    assertEquals(
        Long.toString(whole.body().length),
        whole.headers().firstValue("Content-Length").orElse(""));
    assertArrayEquals(stored, Decoder.decompress(whole.body()).getDecompressedData());
    assertEquals(1, MindFile.read(Decoder.decompress(whole.body()).getDecompressedData()).size());
    assertNotNull(whole.headers().firstValue("ETag").orElse(null));

    HttpResponse<byte[]> gzipped = service.getBytes(url, "Accept-Encoding", "gzip, deflate");
    assertEquals("gzip", encoding(gzipped));
    assertArrayEquals(stored, gunzip(gzipped.body()));
    assertTrue(
        whole.body().length < gzipped.body().length * 0.9 && gzipped.body().length < stored.length,
        "brotli "
            + whole.body().length
            + " B, gzip "
            + gzipped.body().length
            + " B, stored "
            + stored.length
            + " B");

    HttpResponse<byte[]> range =
        service.getBytes(url, "Accept-Encoding", ALL, "Range", "bytes=0-99");
    assertEquals(206, range.statusCode());
    assertEquals("identity", encoding(range));
    assertArrayEquals(Arrays.copyOf(stored, 100), range.body());

    HttpResponse<byte[]> plain = service.getBytes(url);
    assertEquals("identity", encoding(plain));
    assertArrayEquals(stored, plain.body());

    HttpResponse<byte[]> video =
        service.getBytes("/objects/ar-storage/" + id + "/video-0.mp4", "Accept-Encoding", ALL);
    assertEquals("identity", encoding(video), "videos are compressed already");
  }

  @Test
  void jsonAndDocumentsAreCompressedForClientsThatAcceptIt() throws Exception {
    HttpResponse<byte[]> api = service.getBytes("/openapi.yaml", "Accept-Encoding", "gzip");
    assertEquals("gzip", encoding(api));
    assertTrue(new String(gunzip(api.body())).startsWith("openapi:"));
    assertFalse(
        service.getBytes("/openapi.yaml").headers().firstValue("Content-Encoding").isPresent(),
        "as stored for a client that asks for nothing");
  }

  /** The scene script with the version of its content, as the runtime script must name it. */
  private static String sceneUrl() throws IOException {
    byte[] scene = resource("/viewer/viewer-scene.bundle.js");
    return "/viewer/viewer-scene.bundle.js?v="
        + ViewerPage.version(new String(scene, StandardCharsets.UTF_8));
  }

  private String scriptUrl() {
    Matcher m = Pattern.compile("/viewer/viewer\\.bundle\\.js\\?v=[0-9a-f]{12}").matcher(page);
    assertTrue(m.find(), page);
    return m.group();
  }

  private static String encoding(HttpResponse<?> r) {
    return r.headers().firstValue("Content-Encoding").orElse("identity");
  }

  private static byte[] resource(String path) throws IOException {
    String name = "webroot" + path;
    try (InputStream in = DeliveryTest.class.getClassLoader().getResourceAsStream(name)) {
      assertNotNull(in, name + " is packaged (the build's precompress step needs node)");
      return in.readAllBytes();
    }
  }

  private static byte[] gunzip(byte[] bytes) throws IOException {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
      return in.readAllBytes();
    }
  }
}
