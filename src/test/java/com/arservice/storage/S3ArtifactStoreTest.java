package com.arservice.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.arservice.config.ConfigKeys;
import com.arservice.config.S3Settings;
import com.arservice.pipeline.MindCache;
import com.arservice.testing.S3Server;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The bucket store against a real S3 server (s3proxy, which checks every request's signature). */
// a hung bucket request fails the test instead of the whole run
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class S3ArtifactStoreTest {
  private final Vertx vertx = Vertx.vertx();
  @TempDir Path dir;
  private S3Server server;
  private S3ArtifactStore store;

  @BeforeEach
  void startServer() throws Exception {
    server = S3Server.start(dir.resolve("s3"));
    store = new S3ArtifactStore(bucket(S3Server.SECRET, "shop-a"), local());
  }

  @AfterEach
  void stopServer() throws Exception {
    server.close();
    vertx.close().await();
  }

  private Bucket bucket(String secret, String prefix) {
    return new Bucket(
        vertx,
        new S3Client(
            vertx,
            new S3Settings(
                server.endpoint(),
                S3Server.BUCKET,
                "us-east-1",
                S3Server.KEY_ID,
                secret,
                prefix.isEmpty() ? "" : prefix + "/",
                true,
                Optional.empty())));
  }

  private LocalArtifactStore local() {
    return new LocalArtifactStore(vertx, dir.resolve("storage"));
  }

  @Test
  void aPublishedWorkFolderBecomesTheProjectsObjectsAndNothingOfAnEarlierAttemptStays()
      throws Exception {
    UUID id = UUID.randomUUID();
    Path first = store.newWorkFolder(id);
    Files.writeString(first.resolve("index.html"), "first");
    Files.writeString(first.resolve("mask-1.png"), "only the first attempt made this");
    store.publish(id, first).await();
    assertEquals("first", store.read(id, "index.html").await().orElseThrow().toString());

    Path second = store.newWorkFolder(id);
    Files.writeString(second.resolve("index.html"), "second");
    Files.writeString(second.resolve("viewer.json"), "{}");
    store.publish(id, second).await();
    String prefix = "shop-a/ar-storage/" + id + "/";
    assertEquals(List.of(prefix + "index.html", prefix + "viewer.json"), server.keys(prefix));
    assertEquals("second", store.read(id, "index.html").await().orElseThrow().toString());
    assertTrue(store.read(id, "mask-1.png").await().isEmpty());
    assertTrue(
        store.read(id, "../other/index.html").await().isEmpty(), "no way out of the project");
  }

  @Test
  void aVideoLargerThanOnePartGoesUpInPartsAndComesBackWhole() throws Exception {
    UUID id = UUID.randomUUID();
    Path work = store.newWorkFolder(id);
    byte[] video = new byte[(int) (Bucket.MULTIPART_THRESHOLD + 3 * 1024 * 1024 + 7)];
    new Random(7).nextBytes(video);
    Files.write(work.resolve("video-0.mp4"), video);
    store.publish(id, work).await();

    Path back = dir.resolve("back.mp4");
    Bucket bucket = store.bucket();
    assertTrue(bucket.download(store.key(id, "video-0.mp4"), back).await());
    assertArrayEquals(sha256(video), sha256(Files.readAllBytes(back)));
    assertEquals(
        0,
        bucket.abortUploadsBefore("", Instant.now().plusSeconds(60)).await(),
        "the multipart upload was completed, none is left open");
  }

  @Test
  void deletingAProjectRemovesEveryObjectUnderItsPrefixAndNoOther() throws Exception {
    UUID id = UUID.randomUUID();
    UUID other = UUID.randomUUID();
    for (UUID project : List.of(id, other)) {
      Path work = store.newWorkFolder(project);
      Files.writeString(work.resolve("a.txt"), "a");
      Files.writeString(work.resolve("b.txt"), "b");
      store.publish(project, work).await();
    }
    assertEquals(2, store.delete(id).await());
    assertEquals(0, store.delete(id).await(), "deleting again is harmless");
    assertEquals(List.of(), server.keys("shop-a/ar-storage/" + id + "/"));
    assertEquals(2, server.keys("shop-a/ar-storage/" + other + "/").size());
  }

  // a body that arrived before a foreign thread set its handlers was lost: the call never ended
  @Test
  void callsFromOutsideVertxGetEveryAnswerWithItsBody() throws Exception {
    UUID id = UUID.randomUUID();
    Path work = store.newWorkFolder(id);
    Files.writeString(work.resolve("a.txt"), "a");
    store.publish(id, work).await();
    Bucket bucket = store.bucket();
    for (int i = 0; i < 400; i++) {
      assertEquals(1, bucket.list(bucket.projectPrefix(id)).await().size());
      assertTrue(bucket.exists(store.key(id, "a.txt")).await());
      assertEquals("a", bucket.read(store.key(id, "a.txt")).await().orElseThrow().toString());
    }
  }

  @Test
  void mindFilesAreCachedInTheBucketAndADamagedEntryIsAMiss() throws Exception {
    MindCache cache = new MindCache(CacheEntries.inBucket(store.bucket()));
    byte[] mind = "compiled targets".getBytes();
    assertTrue(cache.get("k1").isEmpty());
    assertTrue(cache.put("k1", mind));
    assertArrayEquals(mind, cache.get("k1").orElseThrow());
    assertEquals(List.of("shop-a/cache/mind/k1.mind"), server.keys("shop-a/cache/"));

    store
        .bucket()
        .put("shop-a/cache/mind/k1.mind", io.vertx.core.buffer.Buffer.buffer("torn"), "x")
        .await();
    assertTrue(cache.get("k1").isEmpty(), "a damaged entry is compiled again");
  }

  @Test
  void wrongCredentialsAreRefusedWithASentenceNamingTheSettingsToCheck() {
    Bucket wrong = bucket("not-the-secret", "");
    Throwable e = assertThrows(Exception.class, () -> wrong.probe().await());
    assertInstanceOf(S3Exception.class, e);
    assertEquals(403, ((S3Exception) e).status());
    assertTrue(e.getMessage().contains(ConfigKeys.S3_SECRET_ACCESS_KEY), e.getMessage());
    assertTrue(e.getMessage().contains("SignatureDoesNotMatch"), e.getMessage());
  }

  @Test
  void aServerThatIsDownIsReportedAsUnreachableAndWorksAgainWhenItIsBack() throws Exception {
    Bucket bucket = store.bucket();
    bucket.probe().await();
    server.stop();
    Throwable e = assertThrows(Exception.class, () -> bucket.probe().await());
    assertTrue(e.getMessage().contains("could not be reached"), e.getMessage());
    server.start();
    bucket.probe().await();
  }

  @Test
  void uploadsGoToTheBucketAndAreFetchedForACompileWhileFolderFilesStillWork() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("uploads"));
    UploadStore uploads =
        new UploadStore(
            vertx, new com.arservice.project.UploadPaths(folder), Optional.of(store.bucket()));
    Path received = Files.writeString(dir.resolve("received"), "jpeg bytes");
    String name = UUID.randomUUID() + ".jpg";
    uploads.store(received, name, "image/jpeg").await();
    assertFalse(Files.exists(received), "the received body is gone once stored");
    assertFalse(Files.exists(folder.resolve(name)), "nothing in the folder");
    assertEquals(List.of("shop-a/uploads/" + name), server.keys("shop-a/uploads/"));

    uploads.check("photoUrls", "/objects/uploads/" + name).await();
    Files.writeString(folder.resolve("backend.jpg"), "the backend's file");
    uploads.check("photoUrls", "/objects/uploads/backend.jpg").await();
    Exception missing =
        assertThrows(
            Exception.class, () -> uploads.check("photoUrls", "/objects/uploads/none.jpg").await());
    assertEquals("photoUrls: file not found: /objects/uploads/none.jpg", missing.getMessage());

    Path inputs = Files.createDirectories(dir.resolve("inputs"));
    Path fetched = uploads.fetch("photoUrls", "/objects/uploads/" + name, inputs);
    assertEquals("jpeg bytes", Files.readString(fetched));
    assertEquals(
        folder.resolve("backend.jpg").toRealPath(),
        uploads.fetch("photoUrls", "/objects/uploads/backend.jpg", inputs));

    assertEquals(
        0, uploads.removeStale(Instant.now().minusSeconds(3600), java.util.Set.of()).await());
    assertEquals(
        0,
        uploads
            .removeStale(
                Instant.now().plusSeconds(60), java.util.Set.of("/objects/uploads/" + name))
            .await(),
        "in use");
    assertEquals(1, uploads.removeStale(Instant.now().plusSeconds(60), java.util.Set.of()).await());
    assertEquals(List.of(), server.keys("shop-a/uploads/"));
  }

  private static byte[] sha256(byte[] data) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(data);
  }
}
