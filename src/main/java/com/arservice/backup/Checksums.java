package com.arservice.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * SHA-256 of the files the backup writes and reads, and its manifests in the format of {@code
 * sha256sum} ({@code <hex> <path>} per line), so that an operator can check a backup folder with
 * {@code sha256sum -c} too.
 */
final class Checksums {
  private Checksums() {}

  /**
   * Copies {@code from} to {@code to} through a temporary file beside it, synced and renamed, and
   * returns the SHA-256 of the bytes copied; with {@code gunzip} the source is decompressed and the
   * checksum is that of the compressed source.
   */
  static String copy(Path from, Path to, boolean gunzip) throws IOException {
    Path tmp = to.resolveSibling("." + to.getFileName() + ".tmp");
    MessageDigest sha = sha256();
    try (InputStream raw = new DigestInputStream(Files.newInputStream(from), sha);
        InputStream in = gunzip ? new GZIPInputStream(raw, 64 * 1024) : raw;
        OutputStream out = Files.newOutputStream(tmp)) {
      in.transferTo(out);
      if (gunzip) {
        // the digest covers the whole file, trailing bytes included
        raw.transferTo(OutputStream.nullOutputStream());
      }
    }
    sync(tmp);
    Files.move(tmp, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return hex(sha);
  }

  /** The SHA-256 of {@code file}. */
  static String of(Path file) throws IOException {
    MessageDigest sha = sha256();
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return hex(sha);
  }

  /** A manifest's lines: path to checksum, in file order (a later line for a path wins). */
  static Map<String, String> read(Path manifest) throws IOException {
    Map<String, String> sums = new LinkedHashMap<>();
    if (!Files.exists(manifest)) {
      return sums;
    }
    for (String line : Files.readAllLines(manifest, StandardCharsets.UTF_8)) {
      int gap = line.indexOf("  ");
      if (gap != 64) {
        throw new IOException(manifest + " is damaged: '" + line + "' is not '<sha256>  <path>'");
      }
      sums.put(line.substring(gap + 2), line.substring(0, gap));
    }
    return sums;
  }

  /** Writes a whole manifest aside, synced, then renamed over {@code manifest}. */
  static void write(Path manifest, Map<String, String> sums) throws IOException {
    StringBuilder text = new StringBuilder();
    sums.forEach((path, sum) -> text.append(line(sum, path)));
    writeAtomically(manifest, text.toString());
  }

  /** Appends lines to a manifest and syncs it. */
  static void append(Path manifest, List<String> lines) throws IOException {
    if (lines.isEmpty()) {
      return;
    }
    try (FileChannel out =
        FileChannel.open(
            manifest,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.APPEND)) {
      out.write(java.nio.ByteBuffer.wrap(String.join("", lines).getBytes(StandardCharsets.UTF_8)));
      out.force(true);
    }
  }

  static String line(String sum, String path) {
    return sum + "  " + path + "\n";
  }

  /** Replaces {@code file} by {@code text} in one rename, synced first. */
  static void writeAtomically(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    sync(tmp);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  static void sync(Path file) throws IOException {
    try (FileChannel channel =
        FileChannel.open(
            file, Files.isDirectory(file) ? StandardOpenOption.READ : StandardOpenOption.WRITE)) {
      channel.force(true);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  private static String hex(MessageDigest sha) {
    return java.util.HexFormat.of().formatHex(sha.digest());
  }

  /** Deletes {@code dir} and everything in it, if it exists. */
  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (java.util.stream.Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
