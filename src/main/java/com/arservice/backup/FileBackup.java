package com.arservice.backup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Incremental copies of the artifact and upload folders into {@code files/storage} and {@code
 * files/uploads} of the backup folder. A project's files never change once its folder is published
 * (a recompile publishes a new folder), so a file is copied when it is new or its size or time
 * changed, else left alone; each copy adds its SHA-256 to {@code files/MANIFEST.sha256}. A file
 * gone from the service (a deleted demo, an old upload) is noted in {@code files/GONE} and leaves
 * the backup once it has been gone for the retention. Hidden files and folders (work folders, the
 * target cache, half-written uploads) are never copied.
 */
public final class FileBackup {
  private static final String GONE = "GONE";

  private final BackupFolder folder;
  private final Map<String, Path> sources;
  // the manifest's last line per file, read once: it is only ever appended to by this instance
  private Map<String, String> manifest;

  /**
   * @param sources the folders to copy by their name in the backup ({@code storage}, {@code
   *     uploads})
   */
  public FileBackup(BackupFolder folder, Map<String, Path> sources) {
    this.folder = folder;
    this.sources = sources;
  }

  /**
   * Copies what is new or changed and prunes what is gone past {@code retention}; returns the count
   * copied.
   */
  public synchronized int sync(Duration retention, Clock clock) throws IOException {
    Path files = loadManifest();
    java.util.Set<String> present = new java.util.HashSet<>();
    int copied = 0;
    for (Map.Entry<String, Path> source : sources.entrySet()) {
      copied += copy(source.getKey(), source.getValue(), source.getValue(), present);
    }
    prune(files, manifest, present, retention, clock);
    return copied;
  }

  /**
   * Copies the files of one project as soon as it changed (its row is committed then, its WAL
   * archived later): what is new of {@code storage/<id>/}; answers the count copied.
   */
  public synchronized int syncProject(String id) throws IOException {
    Path storage = sources.get("storage");
    if (storage == null || id.startsWith(".") || id.contains("/")) {
      return 0;
    }
    return copy("storage", storage, storage.resolve(id), new java.util.HashSet<>());
  }

  /** Copies what is new or changed under {@code from} (in {@code root}); notes what is present. */
  private int copy(String source, Path root, Path from, java.util.Set<String> present)
      throws IOException {
    Path files = loadManifest();
    List<String> added = new ArrayList<>();
    for (Path file : visible(from)) {
      String name = source + "/" + root.relativize(file);
      present.add(name);
      Path target = files.resolve(name);
      try {
        if (manifest.containsKey(name) && same(file, target)) {
          continue;
        }
        Files.createDirectories(target.getParent());
        String sum = Checksums.copy(file, target, false);
        Files.setLastModifiedTime(target, Files.getLastModifiedTime(file));
        added.add(Checksums.line(sum, name));
        manifest.put(name, sum);
      } catch (NoSuchFileException removedMeanwhile) {
        present.remove(name);
      }
    }
    Checksums.append(files.resolve(BackupFolder.MANIFEST), added);
    return added.size();
  }

  /** Reads the manifest the first time; answers the {@code files/} folder. */
  private Path loadManifest() throws IOException {
    Path files = Files.createDirectories(folder.files());
    if (manifest == null) {
      manifest = Checksums.read(files.resolve(BackupFolder.MANIFEST));
    }
    return files;
  }

  /** Notes newly gone files, and removes those gone for longer than {@code retention}. */
  private static void prune(
      Path files,
      Map<String, String> manifest,
      java.util.Set<String> present,
      Duration retention,
      Clock clock)
      throws IOException {
    Path goneFile = files.resolve(GONE);
    Map<String, Instant> gone = new LinkedHashMap<>();
    if (Files.exists(goneFile)) {
      for (String line : Files.readAllLines(goneFile, StandardCharsets.UTF_8)) {
        int space = line.indexOf(' ');
        gone.put(line.substring(space + 1), Instant.parse(line.substring(0, space)));
      }
    }
    Map<String, Instant> before = new LinkedHashMap<>(gone);
    gone.keySet().retainAll(manifest.keySet());
    gone.keySet().removeAll(present);
    Instant now = clock.instant();
    boolean removed = false;
    for (String name : manifest.keySet()) {
      if (!present.contains(name)) {
        gone.putIfAbsent(name, now);
      }
    }
    for (var it = gone.entrySet().iterator(); it.hasNext(); ) {
      var entry = it.next();
      if (entry.getValue().plus(retention).isBefore(now)) {
        Files.deleteIfExists(files.resolve(entry.getKey()));
        manifest.remove(entry.getKey());
        it.remove();
        removed = true;
      }
    }
    if (removed) {
      Checksums.write(files.resolve(BackupFolder.MANIFEST), manifest);
    }
    if (!gone.equals(before)) {
      StringBuilder text = new StringBuilder();
      gone.forEach((name, at) -> text.append(at).append(' ').append(name).append('\n'));
      Checksums.writeAtomically(goneFile, text.toString());
    }
  }

  private static boolean same(Path file, Path target) throws IOException {
    return Files.exists(target)
        && Files.size(file) == Files.size(target)
        && Files.getLastModifiedTime(file).equals(Files.getLastModifiedTime(target));
  }

  /** The regular files under {@code root} with no hidden name on their way. */
  static List<Path> visible(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> all = Files.walk(root)) {
      return all.filter(
              p -> {
                for (Path part : root.relativize(p)) {
                  if (part.toString().startsWith(".")) {
                    return false;
                  }
                }
                return Files.isRegularFile(p);
              })
          .toList();
    } catch (java.io.UncheckedIOException e) {
      // a folder renamed or removed during the walk: this sync stops, the next sees the new state
      throw e.getCause();
    }
  }
}
