package com.arservice.storage;

import com.arservice.files.AtomicMove;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Artifacts in folders under {@code AR_STORAGE_PATH}: the pipeline writes into a hidden work folder
 * on the same file system, and a finished project appears at {@code <storage>/<id>/} in one rename,
 * so nobody ever sees half of a project's files. Several instances may share the folder.
 *
 * <p>Published folders are {@code 0755} and files {@code 0644} whatever the process umask and
 * however a step created them (temporary files are {@code 0600}), so a web server running as
 * another user (nginx's {@code www-data}) can serve them; work folders stay private until then.
 */
public final class LocalArtifactStore implements ArtifactStore {
  private static final Set<PosixFilePermission> FOLDER =
      PosixFilePermissions.fromString("rwxr-xr-x");
  private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-r--r--");
  private static final String REPLACED = "-replaced-";

  /**
   * Work folders ({@code <id>-<random>}) and replaced ones ({@code <id>-replaced-<n>}): all this
   * store names.
   */
  private static final Pattern WORK_NAME =
      Pattern.compile(
          "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}("
              + REPLACED
              + ")?-?[0-9]+");

  private final Vertx vertx;
  private final Path storage;
  private final Path work;

  /** The folder {@code storage}; the blocking file work runs on {@code vertx}'s worker threads. */
  public LocalArtifactStore(Vertx vertx, Path storage) {
    this.vertx = vertx;
    this.storage = storage;
    this.work = storage.resolve(".work");
  }

  /**
   * Creates the storage folder when it is missing, readable by other users like the project folders
   * in it (an existing folder keeps the permissions its owner gave it).
   */
  public static void createRoot(Path storage) throws IOException {
    if (!Files.isDirectory(storage)) {
      Files.createDirectories(storage);
      setPermissions(storage, FOLDER);
    }
  }

  public Path folder(UUID id) {
    return storage.resolve(id.toString());
  }

  @Override
  public Path newWorkFolder(UUID id) throws IOException {
    Files.createDirectories(work);
    return Files.createTempDirectory(work, id + "-");
  }

  @Override
  public Future<Void> publish(UUID id, Path workFolder) {
    return vertx.executeBlocking(
        () -> {
          publishNow(id, workFolder);
          return null;
        },
        false);
  }

  private void publishNow(UUID id, Path workFolder) throws IOException {
    makeReadable(workFolder);
    Path target = folder(id);
    Path old = null;
    if (Files.exists(target)) {
      old = work.resolve(id + REPLACED + System.nanoTime());
      AtomicMove.move(target, old);
      // a rename keeps the folder's time; the cleanup must count from the replacement
      Files.setLastModifiedTime(old, FileTime.from(Instant.now()));
    }
    AtomicMove.move(workFolder, target);
    discard(old);
  }

  @Override
  public Future<Integer> delete(UUID id) {
    return vertx.executeBlocking(() -> deleteTree(folder(id)), false);
  }

  @Override
  public Future<Optional<Buffer>> read(UUID id, String file) {
    Path path = folder(id).resolve(file).normalize();
    if (!path.startsWith(folder(id))) {
      return Future.succeededFuture(Optional.empty());
    }
    // a file that is absent, or not a file, is no artifact
    return vertx
        .fileSystem()
        .props(path.toString())
        .transform(
            props ->
                props.succeeded() && props.result().isRegularFile()
                    ? vertx.fileSystem().readFile(path.toString()).map(Optional::of)
                    : Future.succeededFuture(Optional.empty()));
  }

  @Override
  public void discard(Path folder) {
    if (folder == null) {
      return;
    }
    try {
      deleteTree(folder);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Future<Integer> removeLeftovers(Instant before) {
    return vertx.executeBlocking(() -> removeLeftoversNow(before), false);
  }

  private int removeLeftoversNow(Instant before) throws IOException {
    if (!Files.isDirectory(work)) {
      return 0;
    }
    List<Path> stale = new ArrayList<>();
    try (Stream<Path> folders = Files.list(work)) {
      for (Path folder : (Iterable<Path>) folders::iterator) {
        if (WORK_NAME.matcher(folder.getFileName().toString()).matches()
            && Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)
            && untouchedSince(folder, before)) {
          stale.add(folder);
        }
      }
    }
    for (Path folder : stale) {
      deleteTree(folder);
    }
    return stale.size();
  }

  /** Neither the folder nor anything in it was modified at or after {@code before}. */
  private static boolean untouchedSince(Path folder, Instant before) throws IOException {
    try (Stream<Path> walk = Files.walk(folder)) {
      return walk.allMatch(
          p -> {
            try {
              return Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS)
                  .toInstant()
                  .isBefore(before);
            } catch (IOException changing) {
              return false;
            }
          });
    } catch (UncheckedIOException changing) {
      return false;
    }
  }

  /**
   * Deletes a folder and everything under it; returns how many files went (0 when it was absent).
   */
  private static int deleteTree(Path folder) throws IOException {
    if (!Files.exists(folder)) {
      return 0;
    }
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(folder)) {
      paths = new ArrayList<>(walk.sorted(Comparator.reverseOrder()).toList());
    }
    int files = 0;
    for (Path p : paths) {
      try {
        if (!Files.isDirectory(p)) {
          files++;
        }
        Files.delete(p);
      } catch (NoSuchFileException gone) {
        // deleted meanwhile: the goal is reached
      }
    }
    return files;
  }

  /** Folders 0755 and files 0644 under {@code folder}, on file systems with POSIX permissions. */
  private static void makeReadable(Path folder) throws IOException {
    try (Stream<Path> walk = Files.walk(folder)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          setPermissions(p, FOLDER);
        } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          setPermissions(p, FILE);
        }
      }
    }
  }

  private static void setPermissions(Path p, Set<PosixFilePermission> permissions)
      throws IOException {
    PosixFileAttributeView view =
        Files.getFileAttributeView(p, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    if (view != null) {
      view.setPermissions(permissions);
    }
  }
}
