package com.arservice.backup;

import com.arservice.storage.Bucket;
import io.vertx.core.CompositeFuture;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The backup folder shipped into a bucket under a prefix of its own, object for object with the
 * same names, so that the bucket is a backup folder too: {@link #ship} uploads what is new or
 * changed in an order that keeps the bucket restorable at every moment (a WAL file's checksum
 * before the file, a base backup's {@code backup.json} after all of its files, the files' manifest
 * after the files it lists); {@link #prune} applies the retention; {@link #fetch} downloads what a
 * restore needs. A bucket prefix belongs to one database, as the folder does.
 */
public final class BackupBucket {
  /** The shipping state in the folder, for the console and the health check (never shipped). */
  static final String STATE = ".bucket.json";

  /** Files the folder rewrites in place: shipped again whenever their time changes. */
  private static final Set<String> REWRITTEN =
      Set.of(WalArchive.CLUSTER, "verify.json", "files/GONE");

  private static final String TYPE = "application/octet-stream";
  private static final long WAL_EVERY_NANOS = 2_000_000_000L;
  private static final int PARALLEL = 8;
  private static final String FILES_MANIFEST = "files/" + BackupFolder.MANIFEST;

  /** A base backup's folders, one a line: only in the bucket. */
  private static final String FOLDERS = "FOLDERS";

  private final Bucket bucket;
  private final String prefix;
  // what the bucket holds by name: its size and the local file's time when shipped (0: listed)
  private Map<String, long[]> remote;
  private JsonObject state = new JsonObject();
  private long walShipped;

  /**
   * @param prefix the whole key prefix, {@code AR_S3_PREFIX} included, ending in {@code /}
   */
  public BackupBucket(Bucket bucket, String prefix) {
    this.bucket = bucket;
    this.prefix = prefix;
  }

  /** {@code s3://<bucket>/<prefix>}, as messages name it. */
  public String where() {
    return "s3://" + bucket.client().settings().bucket() + "/" + prefix;
  }

  /**
   * {@code message} with the folder {@code into} that {@link #fetch} filled named as the bucket.
   */
  String named(String message, Path into) {
    return message.replace(into + "/", where()).replace(into.toString(), where());
  }

  /**
   * Uploads what the folder has that the bucket has not (or has older), the WAL first; answers the
   * count. Its outcome is noted in the folder's {@value #STATE}.
   */
  public synchronized int ship(BackupFolder folder, Clock clock) throws IOException {
    try {
      int shipped = shipAll(folder);
      if (shipped > 0 || state.containsKey("error") || !state.containsKey("where")) {
        state =
            new JsonObject()
                .put("where", where())
                .put("lastShipped", clock.instant().toString())
                .put("objects", remote.size());
        Checksums.writeAtomically(folder.root().resolve(STATE), state.encodePrettily());
      }
      return shipped;
    } catch (IOException | RuntimeException e) {
      if (!state.containsKey("error")) {
        state = state.copy().put("where", where()).put("error", e.getMessage());
        state.put("failingSince", clock.instant().toString());
        Checksums.writeAtomically(folder.root().resolve(STATE), state.encodePrettily());
      }
      throw e;
    }
  }

  private int shipAll(BackupFolder folder) throws IOException {
    if (remote == null) {
      Map<String, long[]> listed = new HashMap<>();
      for (Bucket.Entry e : list()) {
        listed.put(e.key().substring(prefix.length()), new long[] {e.size(), 0});
      }
      remote = listed;
      checkCluster(folder);
    }
    int shipped = upload(folder, WalArchive.CLUSTER) + shipWal(folder);
    shipped += shipFiles(folder);
    for (BackupFolder.Base base : folder.bases()) {
      String dir = "base/" + base.id() + "/";
      if (remote.containsKey(dir + BackupFolder.INFO)) {
        continue;
      }
      List<Path> all;
      try (java.util.stream.Stream<Path> walk = Files.walk(base.dir())) {
        all = walk.toList();
      }
      // every file (the data directory has hidden ones: the password file), and the folders in a
      // list of their own: a bucket has no empty folder, and the server needs its empty ones
      StringBuilder folders = new StringBuilder();
      List<String> files = new ArrayList<>();
      for (Path file : all) {
        String name = dir + base.dir().relativize(file);
        if (Files.isDirectory(file)) {
          folders.append(base.dir().relativize(file)).append('\n');
        } else if (!name.equals(dir + BackupFolder.INFO)) {
          files.add(name);
        }
      }
      for (int i = 0; i < files.size(); i += 8 * PARALLEL) {
        shipped += upload(folder, files.subList(i, Math.min(files.size(), i + 8 * PARALLEL)));
        if (System.nanoTime() - walShipped > WAL_EVERY_NANOS) {
          shipped += shipWal(folder); // a large base backup delays no WAL
        }
      }
      put(dir + FOLDERS, Buffer.buffer(folders.toString()));
      shipped++;
      shipped += upload(folder, dir + BackupFolder.INFO);
    }
    return shipped + upload(folder, "verify.json");
  }

  /** The WAL: the data-loss window is about it; a WAL file counts once its .gz is there. */
  private int shipWal(BackupFolder folder) throws IOException {
    int shipped = 0;
    for (String name : folder.walNames()) {
      shipped += upload(folder, "wal/" + name + ".gz.sha256");
      shipped += upload(folder, "wal/" + name + ".gz");
    }
    walShipped = System.nanoTime();
    return shipped;
  }

  /** The files the manifest lists as it was read, then that manifest (not a later one). */
  private int shipFiles(BackupFolder folder) throws IOException {
    Path manifest = folder.root().resolve(FILES_MANIFEST);
    if (!Files.exists(manifest)) {
      return 0;
    }
    long time = Files.getLastModifiedTime(manifest).toMillis();
    byte[] listed = Files.readAllBytes(manifest);
    long[] known = remote.get(FILES_MANIFEST);
    if (known != null && known[0] == listed.length && known[1] == time) {
      return upload(folder, "files/GONE");
    }
    int shipped =
        upload(folder, Checksums.read(manifest).keySet().stream().map(n -> "files/" + n).toList());
    put(FILES_MANIFEST, Buffer.buffer(listed));
    remote.put(FILES_MANIFEST, new long[] {listed.length, time});
    return shipped + 1 + upload(folder, "files/GONE");
  }

  /** Uploads one file of the folder when the bucket lacks it or has an older one: 1, else 0. */
  private int upload(BackupFolder folder, String name) throws IOException {
    return upload(folder, List.of(name));
  }

  /**
   * {@code each} of the names, {@value #PARALLEL} requests at a time (a base backup is a thousand
   * small files, each a request), {@code done} after each batch; the results in order.
   */
  private List<Boolean> inBatches(
      List<String> names, Function<String, Future<Boolean>> each, Consumer<String> done)
      throws IOException {
    List<Boolean> results = new ArrayList<>();
    for (int i = 0; i < names.size(); i += PARALLEL) {
      List<String> some = names.subList(i, Math.min(names.size(), i + PARALLEL));
      results.addAll(
          bucket
              .client()
              .blocking(
                  () ->
                      Future.all(some.stream().map(each).toList())
                          .map(CompositeFuture::<Boolean>list)));
      some.forEach(done);
    }
    return results;
  }

  /** {@link #upload(BackupFolder, String)} of each, {@value #PARALLEL} at a time. */
  private int upload(BackupFolder folder, List<String> names) throws IOException {
    Map<String, long[]> changed = new LinkedHashMap<>();
    for (String name : names) {
      Path file = folder.root().resolve(name);
      try {
        long size = Files.size(file);
        long time = Files.getLastModifiedTime(file).toMillis();
        long[] known = remote.get(name);
        if (known == null
            || known[0] != size
            || (known[1] != time && (known[1] != 0 || REWRITTEN.contains(name)))) {
          changed.put(name, new long[] {size, time});
        }
      } catch (NoSuchFileException gone) {
        // pruned meanwhile, or not written yet
      }
    }
    List<String> todo = new ArrayList<>(changed.keySet());
    inBatches(
        todo,
        n -> bucket.put(prefix + n, folder.root().resolve(n), TYPE).map(true),
        n -> remote.put(n, changed.get(n)));
    return todo.size();
  }

  private void put(String name, Buffer bytes) throws IOException {
    bucket.client().blocking(() -> bucket.put(prefix + name, bytes, TYPE));
  }

  private void checkCluster(BackupFolder folder) throws IOException {
    Path local = folder.root().resolve(WalArchive.CLUSTER);
    if (!remote.containsKey(WalArchive.CLUSTER) || !Files.exists(local)) {
      return;
    }
    String theirs =
        bucket
            .client()
            .blocking(() -> bucket.read(prefix + WalArchive.CLUSTER))
            .map(Buffer::toString)
            .orElse("")
            .trim();
    String ours = Files.readString(local).trim();
    if (!theirs.equals(ours)) {
      remote = null;
      throw new IOException(
          where()
              + " holds the backups of another database (system identifier "
              + theirs
              + ", this one is "
              + ours
              + "); give AR_BACKUP_S3_PREFIX a prefix of its own");
    }
  }

  /**
   * The retention in the bucket: an object the folder no longer has leaves the bucket once it is
   * older than {@code retention} (so what the folder pruned goes; what a fresh folder never had
   * stays until it is that old). Nothing goes before the folder's newest base backup is in the
   * bucket. Answers how many objects went.
   */
  public synchronized int prune(BackupFolder folder, Duration retention, Clock clock)
      throws IOException {
    Optional<BackupFolder.Base> latest = folder.latest();
    if (remote == null
        || latest.isEmpty()
        || !remote.containsKey("base/" + latest.get().id() + "/" + BackupFolder.INFO)) {
      return 0;
    }
    Instant cutoff = clock.instant().minus(retention);
    List<String> old = new ArrayList<>();
    for (Bucket.Entry e : list()) {
      String name = e.key().substring(prefix.length());
      if (e.lastModified().isBefore(cutoff)
          && !REWRITTEN.contains(name)
          && !Files.exists(folder.root().resolve(name))
          && !(name.endsWith("/" + FOLDERS)
              && Files.exists(folder.root().resolve(name).getParent()))) {
        old.add(e.key());
        remote.remove(name);
      }
    }
    // a base backup's backup.json first: without it the rest of it is never read
    old.sort(java.util.Comparator.comparing(key -> !key.endsWith("/" + BackupFolder.INFO)));
    return bucket.client().blocking(() -> bucket.deleteAll(old));
  }

  /**
   * Downloads into {@code into} what a restore until {@code until} (or of everything) needs: every
   * base backup's {@code backup.json}, the whole base backup it picks, the WAL from that one's
   * start on, and the files. {@link Restore} then checks each against its checksum.
   */
  void fetch(Optional<Instant> until, Path into) throws IOException {
    List<Bucket.Entry> all = list();
    BackupFolder folder = new BackupFolder(into);
    for (Bucket.Entry e : all) {
      String name = e.key().substring(prefix.length());
      if (name.startsWith("base/") && name.endsWith("/" + BackupFolder.INFO)) {
        download(e.key(), into.resolve(name));
      }
    }
    BackupFolder.Base base = Restore.choose(folder, until);
    String dir = "base/" + base.id() + "/";
    Path folders = into.resolve(dir + FOLDERS);
    download(prefix + dir + FOLDERS, folders);
    for (String line : Files.readAllLines(folders)) {
      Files.createDirectories(into.resolve(dir + line));
    }
    Files.delete(folders);
    String start = BaseBackup.segment(base.startWal());
    List<String> needed = new ArrayList<>();
    for (Bucket.Entry e : all) {
      String name = e.key().substring(prefix.length());
      if ((name.startsWith(dir)
              && !name.equals(dir + BackupFolder.INFO)
              && !name.equals(dir + FOLDERS))
          || name.startsWith("files/")
          || (name.startsWith("wal/") && neededWal(name.substring(4), start))) {
        needed.add(name);
        Files.createDirectories(into.resolve(name).getParent());
      }
    }
    if (inBatches(needed, n -> bucket.download(prefix + n, into.resolve(n)), n -> {})
        .contains(false)) {
      throw new IOException(where() + ": an object went away during the download");
    }
  }

  /** A WAL file (or its checksum) from {@code start} on, or a timeline history. */
  private static boolean neededWal(String file, String start) {
    String name = file.substring(0, file.indexOf('.') < 0 ? file.length() : file.indexOf('.'));
    return file.contains(".history")
        || (name.length() == 24 && BaseBackup.segment(name).compareTo(start) >= 0);
  }

  private void download(String key, Path target) throws IOException {
    Files.createDirectories(target.getParent());
    if (!bucket.client().blocking(() -> bucket.download(key, target))) {
      throw new IOException(where() + ": " + key + " went away during the download");
    }
  }

  private List<Bucket.Entry> list() throws IOException {
    return bucket.client().blocking(() -> bucket.list(prefix));
  }
}
