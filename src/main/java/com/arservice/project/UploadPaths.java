package com.arservice.project;

import com.arservice.common.ServiceException;
import com.arservice.common.ServiceException.Code;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Maps upload URLs ({@code /objects/uploads/<name>}) to files under the shared uploads folder and
 * refuses anything that could reach outside it: {@code ..}, absolute paths, encoded traversal,
 * and symbolic links that lead elsewhere.
 */
public final class UploadPaths {
  public static final String PREFIX = "/objects/uploads/";
  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._ -]{0,199}(/[A-Za-z0-9_-][A-Za-z0-9._ -]{0,199}){0,3}");

  private final Path root;

  public UploadPaths(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  public Path root() {
    return root;
  }

  /**
   * Resolves {@code url} of request field {@code field} to an existing regular file inside the
   * uploads folder. Blocking (it touches the file system): call it off the event loop.
   */
  public Path resolve(String field, String url) {
    if (url == null || !url.startsWith(PREFIX)) {
      throw bad(field, "must be an upload URL of the form " + PREFIX + "<file>");
    }
    String name = URLDecoder.decode(url.substring(PREFIX.length()), StandardCharsets.UTF_8);
    if (!SAFE_NAME.matcher(name).matches() || name.contains("..") || name.contains("\\")) {
      throw bad(field, "is not a valid upload file name");
    }
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

  private static ServiceException bad(String field, String problem) {
    return new ServiceException(Code.BAD_REQUEST, field + " " + problem);
  }
}
