package com.arservice.storage;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Artifacts as objects in a bucket, {@code <prefix>ar-storage/<id>/<file>}. Work folders stay on
 * local disk (as in {@link LocalArtifactStore}, whose work-space handling this store uses). A
 * publish uploads the files (videos first, the pages last), then deletes objects an earlier attempt
 * left that this one did not make; the project becomes ready only after that, so no reader is ever
 * shown a half-published project. A publish that fails part-way leaves objects that the next
 * attempt replaces, or that the project's deletion (the demo cleanup, by prefix) removes;
 * unfinished multipart uploads are aborted by the cleanup's {@link #removeLeftovers}.
 */
public final class S3ArtifactStore implements ArtifactStore {
  /** The page files readers open first: uploaded last. */
  private static final Set<String> LAST = Set.of("index.html", "viewer.json");

  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "json", "application/json",
          "mp4", "video/mp4",
          "png", "image/png",
          "jpg", "image/jpeg",
          "mind", "application/octet-stream");

  private final Bucket bucket;
  private final LocalArtifactStore workSpace;

  /** {@code workSpace}: the local folder whose {@code .work} holds the work folders. */
  public S3ArtifactStore(Bucket bucket, LocalArtifactStore workSpace) {
    this.bucket = bucket;
    this.workSpace = workSpace;
  }

  public Bucket bucket() {
    return bucket;
  }

  /** The object key of one artifact. */
  public String key(UUID id, String file) {
    return bucket.projectPrefix(id) + file;
  }

  @Override
  public Path newWorkFolder(UUID project) throws IOException {
    return workSpace.newWorkFolder(project);
  }

  @Override
  public Future<Void> publish(UUID id, Path workFolder) {
    String prefix = bucket.projectPrefix(id);
    return bucket
        .client()
        .vertx()
        .executeBlocking(() -> files(workFolder), false)
        .compose(
            files -> {
              Future<Void> chain = Future.succeededFuture();
              for (Path file : files) {
                String name = workFolder.relativize(file).toString().replace('\\', '/');
                chain = chain.compose(v -> bucket.put(prefix + name, file, type(name)));
              }
              Set<String> made =
                  files.stream()
                      .map(f -> prefix + workFolder.relativize(f).toString().replace('\\', '/'))
                      .collect(Collectors.toSet());
              return chain
                  .compose(v -> bucket.list(prefix))
                  .compose(
                      old ->
                          bucket.deleteAll(
                              old.stream()
                                  .map(Bucket.Entry::key)
                                  .filter(k -> !made.contains(k))
                                  .toList()))
                  .mapEmpty();
            });
  }

  /** The work folder's files, the pages last and the largest first otherwise. */
  private static List<Path> files(Path folder) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(folder)) {
      files = new ArrayList<>(walk.filter(Files::isRegularFile).toList());
    }
    files.sort(
        Comparator.comparing((Path p) -> LAST.contains(p.getFileName().toString()))
            .thenComparing(p -> -p.toFile().length()));
    return files;
  }

  private static String type(String name) {
    String extension = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    return TYPES.getOrDefault(extension, "application/octet-stream");
  }

  @Override
  public Future<Integer> delete(UUID id) {
    return bucket.deletePrefix(bucket.projectPrefix(id));
  }

  @Override
  public Future<Optional<Buffer>> read(UUID id, String file) {
    if (!validName(file)) {
      return Future.succeededFuture(Optional.empty());
    }
    return bucket.read(key(id, file));
  }

  /** A file name a project can have: no folder, no parent, nothing hidden. */
  public static boolean validName(String file) {
    return file.matches("[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}");
  }

  @Override
  public void discard(Path workFolder) {
    workSpace.discard(workFolder);
  }

  @Override
  public Future<Integer> removeLeftovers(Instant before) {
    return workSpace
        .removeLeftovers(before)
        .compose(
            folders -> bucket.abortUploadsBefore(bucket.prefix(), before).map(n -> folders + n));
  }
}
