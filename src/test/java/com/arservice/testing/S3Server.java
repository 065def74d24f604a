package com.arservice.testing;

import com.arservice.config.ConfigKeys;
import com.arservice.config.S3Settings;
import com.arservice.storage.Bucket;
import com.arservice.storage.S3Client;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A real S3 server for the tests: s3proxy in this JVM on a loopback port, objects in a folder,
 * SigV4 signatures checked against one key pair. It can be stopped and started again on the same
 * port with the same objects (the bucket going away and coming back).
 */
public final class S3Server implements AutoCloseable {
  public static final String KEY_ID = "AKIDTESTSERVICE";
  public static final String SECRET = "test-secret-access-key-0123456789";
  public static final String BUCKET = "ar-bucket";

  private final FilesystemNio2BlobStore store;
  private final int port;
  private S3Proxy proxy;

  private S3Server(Path dir, int port) {
    this.store = new FilesystemNio2BlobStore(createdFolder(dir).toString());
    this.port = port;
    store.createContainer(BUCKET);
  }

  /** A server on a free port with an empty bucket {@link #BUCKET}, objects under {@code dir}. */
  public static S3Server start(Path dir) throws Exception {
    S3Server server = new S3Server(dir, Processes.freePort());
    server.start();
    return server;
  }

  private static Path createdFolder(Path dir) {
    try {
      return java.nio.file.Files.createDirectories(dir);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  public synchronized void start() throws Exception {
    proxy =
        S3Proxy.builder()
            .blobStore(store)
            .endpoint(endpoint())
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, KEY_ID, SECRET)
            .build();
    proxy.start();
    Await.until("s3proxy is started", () -> "STARTED".equals(proxy.getState()));
  }

  /** Stops answering (connections are refused) until {@link #start()}. */
  public synchronized void stop() throws Exception {
    proxy.stop();
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** The service's settings for this bucket (path-style, as s3proxy serves buckets). */
  public Map<String, Object> settings() {
    return Map.of(
        ConfigKeys.S3_ENDPOINT, endpoint().toString(),
        ConfigKeys.S3_BUCKET, BUCKET,
        ConfigKeys.S3_ACCESS_KEY_ID, KEY_ID,
        ConfigKeys.S3_SECRET_ACCESS_KEY, SECRET,
        ConfigKeys.S3_PATH_STYLE, "true");
  }

  /** A client of this server's bucket (no key prefix), on {@code vertx}. */
  public Bucket bucket(Vertx vertx) {
    return new Bucket(
        vertx,
        new S3Client(
            vertx,
            new S3Settings(
                endpoint(), BUCKET, "us-east-1", KEY_ID, SECRET, "", true, Optional.empty())));
  }

  /** The keys in the bucket that start with {@code prefix}, straight from the server's store. */
  public List<String> keys(String prefix) {
    return store
        .list(ListObjectsV2Request.builder().bucket(BUCKET).prefix(prefix).build())
        .contents()
        .stream()
        .map(S3Object::key)
        .sorted()
        .toList();
  }

  @Override
  public void close() throws Exception {
    stop();
  }
}
