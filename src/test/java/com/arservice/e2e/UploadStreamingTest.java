package com.arservice.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.arservice.config.DatabaseUrl;
import com.arservice.testing.HostileFiles;
import com.arservice.testing.PostgresExtension;
import com.arservice.testing.Processes;
import com.arservice.testing.ServiceProcess;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Uploads larger than the service's whole heap: the service runs in its own JVM with 64 MB of heap,
 * so a body held in memory would end it with an OutOfMemoryError.
 */
@ExtendWith(PostgresExtension.class)
class UploadStreamingTest {
  private static final long FILE_BYTES = 150L * 1024 * 1024;
  // Java's default client asks for an h2c upgrade, whose body a server holds in memory until done
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void rawAndMultipartUploadsBiggerThanTheHeapStreamToDisk(@TempDir Path dir, DatabaseUrl db)
      throws Exception {
    int port = Processes.freePort();
    Process service =
        Processes.startMain(
            Map.of(
                "PORT",
                Integer.toString(port),
                "AR_ROLE",
                "api",
                "AR_DATA_DIR",
                dir.resolve("data").toString(),
                "AR_DATABASE_URL",
                db.uri()),
            List.of("-Xmx64m", "-XX:+ExitOnOutOfMemoryError"),
            dir.resolve("service.log"),
            "serve");
    try {
      ServiceProcess.awaitOk(port, "/health/live", service, Duration.ofSeconds(90));
      byte[] photo = getClass().getResourceAsStream("/photos/portrait-640x800.jpg").readAllBytes();

      JsonObject raw = send(port, "image/jpeg", () -> file(photo), FILE_BYTES);
      assertEquals(FILE_BYTES, raw.getLong("size"));

      String boundary = "----ar-large-upload";
      byte[] head =
          ("--"
                  + boundary
                  + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.jpg\"\r\n"
                  + "Content-Type: image/jpeg\r\n\r\n")
              .getBytes(StandardCharsets.UTF_8);
      byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
      JsonObject multipart =
          send(
              port,
              "multipart/form-data; boundary=" + boundary,
              () ->
                  new SequenceInputStream(
                      new SequenceInputStream(new ByteArrayInputStream(head), file(photo)),
                      new ByteArrayInputStream(tail)),
              head.length + FILE_BYTES + tail.length);
      assertEquals(FILE_BYTES, multipart.getLong("size"));

      for (JsonObject stored : List.of(raw, multipart)) {
        Path file =
            dir.resolve("data")
                .resolve("uploads")
                .resolve(stored.getString("url").substring("/objects/uploads/".length()));
        assertEquals(FILE_BYTES, Files.size(file));
      }
      assertTrue(service.isAlive(), "the service is still running");
    } finally {
      ServiceProcess.stop(service);
    }
  }

  /** A JPEG of {@link #FILE_BYTES}: the photo, then zeros, made as it is read. */
  private static InputStream file(byte[] photo) {
    return HostileFiles.paddedBody(photo, FILE_BYTES);
  }

  private JsonObject send(int port, String type, Supplier<InputStream> body, long length)
      throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/uploads"))
                .header("Content-Type", type)
                .POST(
                    HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(body), length))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(201, r.statusCode(), r.body());
    return new JsonObject(r.body());
  }
}
