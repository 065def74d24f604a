package com.arservice.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.arservice.config.S3Settings;
import io.vertx.core.Vertx;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class S3ClientTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void closeVertx() {
    vertx.close().await();
  }

  private S3Client client(String endpoint, boolean pathStyle) {
    return new S3Client(
        vertx,
        new S3Settings(
            URI.create(endpoint),
            "ar-bucket",
            "eu-central-1",
            "id",
            "secret",
            "",
            pathStyle,
            Optional.empty()));
  }

  @Test
  void keysAreAddressedPathStyleOrAsVirtualHostsWithEachSegmentEncoded() {
    assertEquals(
        URI.create("http://minio:9000/ar-bucket/uploads/my%20photo.jpg"),
        client("http://minio:9000/", true).uri("uploads/my photo.jpg", null));
    assertEquals(
        URI.create("https://ar-bucket.s3.eu-central-1.amazonaws.com/ar-storage/a/b.mp4"),
        client("https://s3.eu-central-1.amazonaws.com", false).uri("ar-storage/a/b.mp4", null));
    assertEquals(
        URI.create("https://ar-bucket.s3.example/?list-type=2"),
        client("https://s3.example", false).uri("", "list-type=2"));
  }

  @Test
  void waitingForTheBucketOnAnEventLoopIsRefused() throws Exception {
    S3Client client = client("http://127.0.0.1:9", true);
    CompletableFuture<Throwable> refused = new CompletableFuture<>();
    vertx.runOnContext(
        v -> {
          try {
            client.blocking(() -> null);
            refused.complete(null);
          } catch (Exception e) {
            refused.complete(e);
          }
        });
    assertInstanceOf(IllegalStateException.class, refused.get(10, TimeUnit.SECONDS));
  }
}
