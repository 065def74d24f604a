package com.arservice.db;

import com.arservice.config.DatabaseUrl;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A real PostgreSQL {@value PostgresBinaries#MAJOR} server run from the binaries in the jar,
 * keeping its data directory between runs, with an {@code ar_db} database like the seed's. It runs
 * as a service needs: fsync, synchronous_commit and full_page_writes on (set on the command line,
 * so no configuration file can turn them off), TCP on localhost only, no Unix socket, and password
 * logins only (SCRAM) with a generated password kept readable by its owner only in {@value
 * #PASSWORD_FILE} in the data directory. A data directory left without a password (a first start
 * stopped between initdb and setting it) gets one on its next start; one of another PostgreSQL
 * major version is refused and left unchanged.
 *
 * <p>The server is a process of its own, so it would outlive a {@code kill -9} of the service.
 * Therefore: the service holds a lock file beside the data directory, with its pid in it, while it
 * runs (the kernel releases it when the process dies), and a start refuses while another live
 * process holds it; a watchdog child process stops the server (fast shutdown) when the service
 * dies; and a start that finds a server of its data directory still running without a live owner
 * stops it before starting its own.
 */
public final class EmbeddedDatabase implements DatabaseServer {
  /** The file in the data directory that holds the generated password. */
  public static final String PASSWORD_FILE = ".ar-password";

  static final String DATABASE = "ar_db";
  private static final String USER = "postgres";
  private static final String PID_FILE = "postmaster.pid";
  private static final String SERVER_LOG = "server.log";
  private static final String WAIT_SECONDS = "60";
  private static final String PG_HBA =
      String.join(
          "\n",
          "# Written by AR Service: password (SCRAM) logins only, from this machine only.",
          "local all all scram-sha-256",
          "host all all 127.0.0.1/32 scram-sha-256",
          "host all all ::1/128 scram-sha-256",
          "");
  // Runs until the service's end of the pipe closes (the JVM exited, however it died), then sends
  // SIGINT (fast shutdown) to the server it watches if that server is still running on this data
  // directory.
  private static final String WATCHDOG =
      "cat >/dev/null; "
          + "[ \"$(head -n 1 \"$2/"
          + PID_FILE
          + "\" 2>/dev/null)\" = \"$1\" ] && kill -INT \"$1\"";
  // fcntl locks belong to the process, and closing any channel on the file drops them: this JVM's
  // own claims are kept here so that a second claim never opens the lock file.
  private static final Set<Path> CLAIMED = ConcurrentHashMap.newKeySet();

  private final Path dataDirectory;
  private final DatabaseUrl url;
  private final FileChannel claim;
  private final Process watchdog;
  private boolean closed;

  private EmbeddedDatabase(
      Path dataDirectory, DatabaseUrl url, FileChannel claim, Process watchdog) {
    this.dataDirectory = dataDirectory;
    this.url = url;
    this.claim = claim;
    this.watchdog = watchdog;
  }

  /**
   * Starts the server on {@code port} (0 picks a free one) with its data in {@code dataDirectory}.
   *
   * @throws IOException when the server cannot start; the message says why in one sentence
   */
  public static EmbeddedDatabase start(Path dataDirectory, int port) throws IOException {
    return start(dataDirectory, port, dir -> List.of());
  }

  /**
   * Server settings ({@code name=value}, set on its command line) decided once the data directory
   * exists, e.g. from its {@link #systemIdentifier}.
   */
  @FunctionalInterface
  public interface Settings {
    List<String> of(Path dataDirectory) throws IOException;
  }

  /**
   * {@link #start(Path, int)} with {@code settings} added to the server's own (which they cannot
   * override).
   */
  public static EmbeddedDatabase start(Path dataDirectory, int port, Settings settings)
      throws IOException {
    Path dir = dataDirectory.toAbsolutePath().normalize();
    Files.createDirectories(dir.getParent());
    FileChannel claim = claim(dir);
    EmbeddedDatabase db;
    try {
      refuseOtherVersion(dir);
      stopLeftoverServer(dir);
      String password = prepare(dir);
      int actualPort = port > 0 ? port : freePort();
      startServer(dir, actualPort, settings.of(dir));
      Process watchdog;
      try {
        watchdog = watch(dir);
      } catch (IOException | RuntimeException e) {
        pgCtlStop(dir);
        throw e;
      }
      db =
          new EmbeddedDatabase(
              dir,
              new DatabaseUrl("localhost", actualPort, DATABASE, USER, password),
              claim,
              watchdog);
    } catch (IOException | RuntimeException e) {
      release(dir, claim);
      throw e;
    }
    try {
      db.createDatabaseIfMissing();
    } catch (SQLException e) {
      db.close();
      throw new IOException(
          "The embedded PostgreSQL started but "
              + DATABASE
              + " could not be created: "
              + e.getMessage(),
          e);
    }
    return db;
  }

  @Override
  public DatabaseUrl url() {
    return url;
  }

  public Path dataDirectory() {
    return dataDirectory;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      pgCtlStop(dataDirectory);
    } catch (IOException e) {
      LOG.warn("Embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
    }
    try {
      // EOF for the watchdog: the server is stopped already, so it has nothing to do.
      watchdog.getOutputStream().close();
    } catch (IOException e) {
      LOG.debug("The watchdog of the embedded PostgreSQL is gone already: {}", e.getMessage());
    }
    release(dataDirectory, claim);
  }

  /**
   * Takes the lock file beside {@code dir} for this process, or says which live process holds it.
   */
  private static FileChannel claim(Path dir) throws IOException {
    long self = ProcessHandle.current().pid();
    if (!CLAIMED.add(dir)) {
      throw inUse(dir, Long.toString(self));
    }
    FileChannel channel = null;
    try {
      channel =
          FileChannel.open(
              dir.resolveSibling(dir.getFileName() + ".lock"),
              StandardOpenOption.CREATE,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE);
      if (channel.tryLock() == null) {
        ByteBuffer holder = ByteBuffer.allocate(32);
        channel.read(holder, 0);
        throw inUse(
            dir,
            new String(holder.array(), 0, holder.position(), StandardCharsets.US_ASCII).trim());
      }
      channel.truncate(0);
      channel.write(ByteBuffer.wrap((self + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
      channel.force(true);
      return channel;
    } catch (IOException | RuntimeException e) {
      release(dir, channel);
      throw e;
    }
  }

  private static IOException inUse(Path dir, String pid) {
    return new IOException(
        "The embedded PostgreSQL in "
            + dir
            + " is in use by another running AR Service (pid "
            + pid
            + "); stop that one first or give this one another AR_DATA_DIR.");
  }

  private static void release(Path dir, FileChannel claim) {
    try {
      if (claim != null) {
        claim.close();
      }
    } catch (IOException e) {
      LOG.warn("Could not release the lock of {}: {}", dir, e.getMessage());
    } finally {
      CLAIMED.remove(dir);
    }
  }

  /**
   * A server of one major version cannot open the data directory of another, and this jar has the
   * binaries of its own only: a directory of another version is left exactly as it is, with what to
   * do.
   */
  private static void refuseOtherVersion(Path dir) throws IOException {
    Path file = dir.resolve("PG_VERSION");
    if (!Files.exists(file)) {
      return;
    }
    String version = Files.readString(file, StandardCharsets.US_ASCII).trim();
    if (version.equals(Integer.toString(PostgresBinaries.MAJOR))) {
      return;
    }
    String made =
        "The embedded PostgreSQL data directory " + dir + " was made by PostgreSQL " + version;
    boolean older =
        version.matches("\\d+(\\.\\d+)?") && Double.parseDouble(version) < PostgresBinaries.MAJOR;
    throw new IOException(
        made
            + (older
                ? " and this release runs PostgreSQL "
                    + PostgresBinaries.MAJOR
                    + ", which cannot open it, so it was left "
                    + "unchanged: carry its data over with the previous release as README's \"Upgrading the embedded "
                    + "PostgreSQL\" describes, or give this release another AR_DATA_DIR."
                : ", which this release's PostgreSQL "
                    + PostgresBinaries.MAJOR
                    + " cannot open, so it was left unchanged: "
                    + "run the release that made it, or give this release another AR_DATA_DIR."));
  }

  /**
   * We hold the claim, so a server still running on {@code dir} belongs to a service that is gone:
   * it gets a fast shutdown. A pid file naming no such server (a crash, a reboot) is removed.
   */
  private static void stopLeftoverServer(Path dir) throws IOException {
    Optional<Long> pid = serverPid(dir);
    if (pid.isEmpty()) {
      return;
    }
    if (!isServerOf(pid.get(), dir)) {
      Files.deleteIfExists(dir.resolve(PID_FILE));
      return;
    }
    LOG.warn(
        "Stopping the embedded PostgreSQL (pid {}) left running in {} by a service that is gone",
        pid.get(),
        dir);
    try {
      pgCtlStop(dir);
    } catch (IOException e) {
      if (serverPid(dir).isPresent() && isServerOf(pid.get(), dir)) {
        throw new IOException(
            "The embedded PostgreSQL (pid "
                + pid.get()
                + ") left running in "
                + dir
                + " by a service that is gone did not stop: "
                + e.getMessage(),
            e);
      }
    }
  }

  private static Optional<Long> serverPid(Path dir) throws IOException {
    try {
      List<String> lines = Files.readAllLines(dir.resolve(PID_FILE), StandardCharsets.US_ASCII);
      return lines.isEmpty() ? Optional.of(0L) : Optional.of(Long.parseLong(lines.get(0).trim()));
    } catch (java.nio.file.NoSuchFileException e) {
      return Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.of(0L);
    }
  }

  /**
   * A live {@code postgres} process whose working directory is {@code dir} (the postmaster runs
   * there).
   */
  private static boolean isServerOf(long pid, Path dir) {
    Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    boolean postgres =
        process
            .flatMap(p -> p.info().command())
            .map(c -> Path.of(c).getFileName().toString().equals("postgres"))
            .orElse(false);
    Path cwd = Path.of("/proc", Long.toString(pid), "cwd");
    try {
      return postgres && (!Files.isDirectory(Path.of("/proc/self")) || Files.isSameFile(cwd, dir));
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Creates the data directory if needed, converts one of trust logins, and returns the password.
   */
  private static String prepare(Path dir) throws IOException {
    Path passwordFile = dir.resolve(PASSWORD_FILE);
    if (Files.exists(passwordFile)) {
      return Files.readString(passwordFile, StandardCharsets.US_ASCII).trim();
    }
    if (!Files.exists(dir.resolve("postgresql.conf"))) {
      // Trust is what initdb writes; the server never runs with it, the password is set below
      // first.
      run(
          "The embedded PostgreSQL could not create its data directory " + dir,
          PostgresBinaries.command(
              "initdb", "-A", "trust", "-U", USER, "-D", dir.toString(), "-E", "UTF-8"),
          "");
    }
    byte[] random = new byte[24];
    new SecureRandom().nextBytes(random);
    String password = HexFormat.of().formatHex(random);
    // Single-user mode: no listener is open while the password is set. The statement is never
    // logged.
    String out =
        run(
            "The embedded PostgreSQL in " + dir + " could not set its password",
            PostgresBinaries.command("postgres", "--single", "-D", dir.toString(), "postgres"),
            "ALTER ROLE " + USER + " PASSWORD '" + password + "';\n");
    // Single-user mode reports a failed statement on its output but still exits 0.
    if (out.contains("ERROR:")) {
      throw new IOException(
          "The embedded PostgreSQL in " + dir + " could not set its password: " + problem(out));
    }
    writePrivate(dir.resolve("pg_hba.conf"), PG_HBA);
    writePrivate(passwordFile, password + "\n");
    LOG.info(
        "The embedded PostgreSQL in {} now takes password logins only (the password is in {})",
        dir,
        passwordFile);
    return password;
  }

  /** Replaces {@code file} in one rename with a file only its owner can read. */
  private static void writePrivate(Path file, String content) throws IOException {
    Path tmp =
        Files.createTempFile(
            file.getParent(),
            file.getFileName().toString(),
            ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      channel.write(ByteBuffer.wrap(content.getBytes(StandardCharsets.US_ASCII)));
      channel.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * The database system identifier in {@code global/pg_control} (its first field, a little-endian
   * 64-bit number on both machines the bundled binaries run on): the same for a data directory and
   * every restored copy of it, different for every {@code initdb}.
   */
  public static String systemIdentifier(Path dataDirectory) throws IOException {
    byte[] control = Files.readAllBytes(dataDirectory.resolve("global").resolve("pg_control"));
    return Long.toUnsignedString(
        ByteBuffer.wrap(control, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong());
  }

  private static void startServer(Path dir, int port, List<String> settings) throws IOException {
    List<String> extra = new ArrayList<>();
    for (String setting : settings) {
      extra.add("-c");
      extra.add('"' + setting + '"');
    }
    String options =
        String.join(
            " ",
            String.join(" ", extra),
            "-p",
            Integer.toString(port),
            "-c",
            "listen_addresses=localhost",
            "-c",
            "unix_socket_directories=''",
            "-c",
            "fsync=on",
            "-c",
            "synchronous_commit=on",
            "-c",
            "full_page_writes=on",
            "-c",
            "max_connections=200",
            "-c",
            "timezone=UTC");
    Path log = dir.resolve(SERVER_LOG);
    long logged = Files.exists(log) ? Files.size(log) : 0;
    try {
      run(
          "",
          PostgresBinaries.command(
              "pg_ctl",
              "-D",
              dir.toString(),
              "-l",
              log.toString(),
              "-w",
              "-t",
              WAIT_SECONDS,
              "-o",
              options,
              "start"),
          "");
    } catch (IOException e) {
      // What the server said during this start is the reason.
      byte[] all = Files.exists(log) ? Files.readAllBytes(log) : new byte[0];
      String now =
          new String(
              all,
              (int) Math.min(logged, all.length),
              (int) Math.max(0, all.length - logged),
              StandardCharsets.UTF_8);
      throw new IOException(
          "The embedded PostgreSQL in " + dir + " did not start: " + problem(now), e);
    }
  }

  private static void pgCtlStop(Path dir) throws IOException {
    run(
        "The embedded PostgreSQL in " + dir + " did not stop",
        PostgresBinaries.command(
            "pg_ctl", "-D", dir.toString(), "stop", "-m", "fast", "-w", "-t", WAIT_SECONDS),
        "");
  }

  /** The watchdog of the server just started: its stdin is a pipe only this JVM writes to. */
  private static Process watch(Path dir) throws IOException {
    long pid =
        serverPid(dir)
            .orElseThrow(
                () ->
                    new IOException(
                        "The embedded PostgreSQL in " + dir + " started but wrote no " + PID_FILE));
    return new ProcessBuilder(
            "sh", "-c", WATCHDOG, "ar-postgres-watchdog", Long.toString(pid), dir.toString())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
  }

  /**
   * Runs {@code command} with {@code input} on its stdin; returns its output, or fails with {@code
   * failure}.
   */
  private static String run(String failure, List<String> command, String input) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(input.getBytes(StandardCharsets.US_ASCII));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (p.waitFor() != 0) {
        throw new IOException(failure + ": " + problem(out));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(failure + ": interrupted", e);
    }
    return out;
  }

  /**
   * The first FATAL or ERROR line of PostgreSQL's output, else its last line (never a STATEMENT
   * line).
   */
  private static String problem(String out) {
    List<String> lines = out.lines().map(String::trim).filter(l -> !l.isEmpty()).toList();
    return lines.stream()
        .filter(l -> l.contains("FATAL:") || l.contains("ERROR:"))
        .findFirst()
        .orElse(lines.isEmpty() ? "no output" : lines.get(lines.size() - 1));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private void createDatabaseIfMissing() throws SQLException {
    String adminUrl = "jdbc:postgresql://localhost:" + url.port() + "/postgres";
    try (Connection c = DriverManager.getConnection(adminUrl, USER, url.password());
        Statement st = c.createStatement()) {
      try (ResultSet rs =
          st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
        if (rs.next()) {
          return;
        }
      }
      st.execute("CREATE DATABASE " + DATABASE);
    }
  }
}
