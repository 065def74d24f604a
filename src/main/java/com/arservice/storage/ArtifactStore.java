package com.arservice.storage;

import com.arservice.config.StorageSettings;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Where finished projects' artifacts live. The pipeline always writes into a local work folder; a
 * store makes that folder's files the project's artifacts in one step, as far as readers can tell:
 * nothing of a project is shown before its state says ready, which its outcome sets only after
 * {@link #publish} succeeded. {@link LocalArtifactStore} is a folder on a (possibly shared) disk,
 * {@link S3ArtifactStore} a bucket of an S3-compatible server. The asynchronous operations never
 * block the calling event loop.
 */
public interface ArtifactStore {
  /**
   * The public path under which the service serves artifacts, as {@code <PUBLIC_PATH>/<id>/<file>}.
   */
  String PUBLIC_PATH = "/objects/ar-storage";

  /**
   * Where readers find artifacts: the service's own path, or with {@code AR_S3_PUBLIC_URL} the
   * bucket's public address of the same objects.
   */
  static String publicBase(StorageSettings storage) {
    return storage
        .s3()
        .flatMap(
            s3 ->
                s3.publicUrl()
                    .map(
                        url ->
                            url.toString().replaceAll("/+$", "")
                                + "/"
                                + s3.prefix()
                                + Bucket.ARTIFACTS))
        .orElse(PUBLIC_PATH);
  }

  /** Whether browsers read artifacts, the viewer page included, straight from a public bucket. */
  static boolean publicBucket(StorageSettings storage) {
    return storage.s3().flatMap(s3 -> s3.publicUrl()).isPresent();
  }

  /** A new, private scratch folder on local disk for one compile attempt of {@code project}. */
  Path newWorkFolder(UUID project) throws IOException;

  /**
   * Makes the files of {@code workFolder} the project's artifacts, replacing earlier ones; fails
   * with an {@link IOException} when they could not all be stored.
   */
  Future<Void> publish(UUID project, Path workFolder);

  /** Removes all of a project's artifacts; answers how many files went (0 when there were none). */
  Future<Integer> delete(UUID project);

  /** One (small) artifact's bytes, if the project has it. */
  Future<Optional<Buffer>> read(UUID project, String file);

  /** Deletes a work folder that will not be published (null is fine). Blocking. */
  void discard(Path workFolder);

  /**
   * Deletes what crashed attempts left (work folders, folders replaced by a publish, unfinished
   * uploads) when nothing in them changed since {@code before}; answers how many went.
   */
  Future<Integer> removeLeftovers(Instant before);
}
