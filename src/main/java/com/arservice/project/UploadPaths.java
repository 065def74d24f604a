package com.arservice.project;

import com.arservice.common.ServiceException;
import com.arservice.common.ServiceException.Code;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Maps upload URLs ({@code /objects/uploads/<name>}) to files under the shared uploads folder and
 * refuses anything that could reach outside it: {@code ..}, absolute paths, encoded traversal, and
 * symbolic links that lead elsewhere.
 */
public final class UploadPaths {
  public static final String PREFIX = "/objects/uploads/";
  private static final String UUID_NAME =
      "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

  /** The names {@code POST /uploads} gives files; nothing else in the folder is ever deleted. */
  private static final Pattern GENERATED =
      Pattern.compile(UUID_NAME + "\\.(jpg|png|tif|webp|heic|avif|mp4|mov|webm)");

  /** The names of bodies being received in {@code .incoming}. */
  private static final Pattern INCOMING = Pattern.compile(UUID_NAME);

  private static final Pattern SAFE_NAME =
      Pattern.compile(
          "[A-Za-z0-9_-][A-Za-z0-9._ -]{0,199}(/[A-Za-z0-9_-][A-Za-z0-9._ -]{0,199}){0,3}");

  private final Path root;

  public UploadPaths(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  public Path root() {
    return root;
  }

  /**
   * Where bodies are received before they are stored: beside the uploads, so storing one is a
   * rename.
   */
  public Path incoming() {
    return root.resolve(".incoming");
  }

  /** A new upload file name: a random UUID and the extension of the file's real type. */
  public static String generatedName(String extension) {
    return UUID.randomUUID() + "." + extension;
  }

  /**
   * Deletes uploads the service named, last modified before {@code before} and not in {@code inUse}
   * (upload URLs), and bodies left in {@code .incoming} (by a crash) from before then; returns how
   * many files went. Blocking.
   */
  public int removeStale(Instant before, Set<String> inUse) throws IOException {
    return removeOld(root, GENERATED, before, name -> !inUse.contains(PREFIX + name))
        + removeOld(incoming(), INCOMING, before, name -> true);
  }

  private static int removeOld(Path folder, Pattern names, Instant before, Predicate<String> unused)
      throws IOException {
    if (!Files.isDirectory(folder)) {
      return 0;
    }
    List<Path> old;
    try (Stream<Path> files = Files.list(folder)) {
      old =
          files
              .filter(p -> names.matcher(p.getFileName().toString()).matches())
              .filter(
                  p ->
                      Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                          && modifiedBefore(p, before))
              .filter(p -> unused.test(p.getFileName().toString()))
              .toList();
    }
    int removed = 0;
    for (Path p : old) {
      if (Files.deleteIfExists(p)) {
        removed++;
      }
    }
    return removed;
  }

  private static boolean modifiedBefore(Path p, Instant before) {
    try {
      return Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(before);
    } catch (IOException gone) {
      return false;
    }
  }

  /**
   * Resolves {@code url} of request field {@code field} to an existing regular file inside the
   * uploads folder. Blocking (it touches the file system): call it off the event loop.
   */
  public Path resolve(String field, String url) {
    String name = name(field, url);
    Path candidate = root.resolve(name).normalize();
    if (!candidate.startsWith(root)) {
      throw bad(field, "is not a valid upload file name");
    }
    if (!Files.exists(candidate, LinkOption.NOFOLLOW_LINKS) && !Files.exists(candidate)) {
      throw new ServiceException(Code.BAD_REQUEST, field + ": file not found: " + url);
    }
    try {
      Path real = candidate.toRealPath();
      if (!real.startsWith(root.toRealPath())) {
        throw bad(field, "points outside the uploads folder");
      }
      if (!Files.isRegularFile(real)) {
        throw new ServiceException(Code.BAD_REQUEST, field + ": file not found: " + url);
      }
      return real;
    } catch (IOException e) {
      throw new ServiceException(Code.BAD_REQUEST, field + ": file not found: " + url);
    }
  }

  /**
   * The file name an upload URL of request field {@code field} names, checked like {@link #resolve}
   * checks it (no file system access).
   */
  public static String name(String field, String url) {
    if (url == null || !url.startsWith(PREFIX)) {
      throw bad(field, "must be an upload URL of the form " + PREFIX + "<file>");
    }
    String name;
    try {
      name = URLDecoder.decode(url.substring(PREFIX.length()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException badEscape) {
      throw bad(field, "is not a valid upload file name");
    }
    if (!SAFE_NAME.matcher(name).matches() || name.contains("..") || name.contains("\\")) {
      throw bad(field, "is not a valid upload file name");
    }
    return name;
  }

  /** Whether {@code name} is one {@code POST /uploads} generates (only such are ever deleted). */
  public static boolean generated(String name) {
    return GENERATED.matcher(name).matches();
  }

  private static ServiceException bad(String field, String problem) {
    return new ServiceException(Code.BAD_REQUEST, field + " " + problem);
  }
}
