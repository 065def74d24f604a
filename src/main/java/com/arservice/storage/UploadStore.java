package com.arservice.storage;

import com.arservice.common.ServiceException;
import com.arservice.common.ServiceException.Code;
import com.arservice.files.AtomicMove;
import com.arservice.project.UploadPaths;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Where {@code /objects/uploads/<name>} files are: in the shared uploads folder and, with a bucket
 * configured, in the bucket ({@code <prefix>uploads/<name>}), where {@code POST /uploads} then
 * stores them. A name is looked up in the folder first, so files the backend put there keep
 * working.
 */
public final class UploadStore {
  private final Vertx vertx;
  private final UploadPaths folder;
  private final Optional<Bucket> bucket;

  public UploadStore(Vertx vertx, UploadPaths folder, Optional<Bucket> bucket) {
    this.vertx = vertx;
    this.folder = folder;
    this.bucket = bucket;
  }

  public UploadPaths folder() {
    return folder;
  }

  /** Stores a received file as {@code name}: moved into the folder, or put into the bucket. */
  public Future<Void> store(Path received, String name, String contentType) {
    if (bucket.isPresent()) {
      return bucket
          .get()
          .put(bucket.get().uploadKey(name), received, contentType)
          .compose(v -> vertx.fileSystem().delete(received.toString()));
    }
    return vertx.executeBlocking(
        () -> {
          Files.createDirectories(folder.root());
          AtomicMove.move(received, folder.root().resolve(name));
          return null;
        },
        false);
  }

  /** Fails with a bad request naming {@code field} unless the upload exists. */
  public Future<Void> check(String field, String url) {
    return vertx
        .executeBlocking(
            () -> {
              UploadPaths.name(field, url);
              return folder.resolve(field, url);
            },
            false)
        .<Void>mapEmpty()
        .recover(
            missing ->
                bucket.isEmpty() || !(missing instanceof ServiceException)
                    ? Future.failedFuture(missing)
                    : inBucket(field, url)
                        .compose(
                            found ->
                                found ? Future.succeededFuture() : Future.failedFuture(missing)));
  }

  private Future<Boolean> inBucket(String field, String url) {
    String name;
    try {
      name = UploadPaths.name(field, url);
    } catch (ServiceException e) {
      return Future.failedFuture(e);
    }
    return bucket.get().exists(bucket.get().uploadKey(name));
  }

  /**
   * The upload as a local file: the folder's, or the bucket's downloaded into {@code inputs} (a
   * scratch folder of the caller). Blocking: for worker threads only.
   */
  public Path fetch(String field, String url, Path inputs) throws IOException {
    String name = UploadPaths.name(field, url);
    try {
      return folder.resolve(field, url);
    } catch (ServiceException notHere) {
      if (bucket.isEmpty()) {
        throw notHere;
      }
      Bucket b = bucket.get();
      Path target = inputs.resolve(UUID.randomUUID() + "-" + name.replace('/', '_'));
      if (!b.client().blocking(() -> b.download(b.uploadKey(name), target))) {
        throw new ServiceException(Code.BAD_REQUEST, field + ": file not found: " + url);
      }
      return target;
    }
  }

  /**
   * Deletes the uploads this service named that are older than {@code before} and not in {@code
   * inUse} (upload URLs), in the folder and in the bucket; answers how many went.
   */
  public Future<Integer> removeStale(Instant before, Set<String> inUse) {
    Future<Integer> local = vertx.executeBlocking(() -> folder.removeStale(before, inUse), false);
    if (bucket.isEmpty()) {
      return local;
    }
    Bucket b = bucket.get();
    String prefix = b.uploadsPrefix();
    return local.compose(
        n ->
            b.list(prefix)
                .compose(
                    entries -> {
                      List<String> stale =
                          entries.stream()
                              .filter(e -> e.lastModified().isBefore(before))
                              .map(Bucket.Entry::key)
                              .filter(k -> UploadPaths.generated(k.substring(prefix.length())))
                              .filter(
                                  k ->
                                      !inUse.contains(
                                          UploadPaths.PREFIX + k.substring(prefix.length())))
                              .toList();
                      return b.deleteAll(stale).map(m -> n + m);
                    }));
  }
}
