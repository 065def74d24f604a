package com.arservice.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.arservice.testing.OtherUser;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalArtifactStoreTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void closeVertx() {
    vertx.close().await();
  }

  @Test
  void aPublishedWorkFolderReplacesTheProjectsFilesAtOnce(@TempDir Path storage) throws Exception {
    LocalArtifactStore store = new LocalArtifactStore(vertx, storage);
    UUID id = UUID.randomUUID();
    Path first = store.newWorkFolder(id);
    Files.writeString(first.resolve("index.html"), "first");
    Files.writeString(first.resolve("old-only.txt"), "x");
    store.publish(id, first).await();
    assertEquals("first", store.read(id, "index.html").await().orElseThrow().toString());

    Path second = store.newWorkFolder(id);
    Files.writeString(second.resolve("index.html"), "second");
    store.publish(id, second).await();
    assertEquals("second", store.read(id, "index.html").await().orElseThrow().toString());
    assertTrue(
        store.read(id, "old-only.txt").await().isEmpty(), "nothing of the earlier attempt is left");
    assertFalse(Files.exists(second), "the work folder became the project's folder");
    try (var left = Files.list(storage.resolve(".work"))) {
      assertEquals(0, left.count(), "no replaced folder is left behind");
    }
  }

  @Test
  void readingOutsideTheProjectFindsNothingAndDeleteCountsFiles(@TempDir Path storage)
      throws Exception {
    LocalArtifactStore store = new LocalArtifactStore(vertx, storage);
    UUID id = UUID.randomUUID();
    Files.writeString(storage.resolve("secret.txt"), "s");
    Path work = store.newWorkFolder(id);
    Files.createDirectories(work.resolve("sub"));
    Files.writeString(work.resolve("a.txt"), "a");
    Files.writeString(work.resolve("sub").resolve("b.txt"), "b");
    store.publish(id, work).await();
    assertTrue(store.read(id, "../secret.txt").await().isEmpty());
    assertEquals(2, store.delete(id).await());
    assertEquals(0, store.delete(id).await(), "deleting again is harmless");
    assertTrue(Files.exists(storage.resolve("secret.txt")));
  }

  @Test
  void publishedFilesAreReadableByOtherUsersHoweverPrivatelyTheyWereWritten(@TempDir Path storage)
      throws Exception {
    // the storage folder is the operator's (a volume's mount point), open to the web server
    Files.setPosixFilePermissions(storage, PosixFilePermissions.fromString("rwxr-xr-x"));
    LocalArtifactStore store = new LocalArtifactStore(vertx, storage);
    UUID id = UUID.randomUUID();
    Path work = store.newWorkFolder(id);
    assertEquals("rwx------", mode(work), "a work folder is private while it is written");
    Path temp = Files.createTempFile(work, "video", ".mp4");
    Files.move(temp, work.resolve("video-0.mp4"));
    Path sub = Files.createTempDirectory(work, "sub");
    Files.writeString(sub.resolve("x.bin"), "x");
    Files.setPosixFilePermissions(
        sub.resolve("x.bin"), PosixFilePermissions.fromString("rw-------"));
    store.publish(id, work).await();

    Path folder = storage.resolve(id.toString());
    assertEquals("rwxr-xr-x", mode(folder));
    assertEquals("rwxr-xr-x", mode(folder.resolve(sub.getFileName())));
    assertEquals("rw-r--r--", mode(folder.resolve("video-0.mp4")));
    assertEquals("rw-r--r--", mode(folder.resolve(sub.getFileName()).resolve("x.bin")));
    OtherUser.assertCanReadEveryFile(folder);
  }

  @Test
  void aStorageFolderTheServiceCreatesIsOpenToOtherUsersAndAnExistingOneKeepsItsMode(
      @TempDir Path dir) throws Exception {
    Path created = dir.resolve("a").resolve("ar-storage");
    LocalArtifactStore.createRoot(created);
    assertEquals("rwxr-xr-x", mode(created));
    Path existing = Files.createDirectory(dir.resolve("own"));
    Files.setPosixFilePermissions(existing, PosixFilePermissions.fromString("rwxr-x---"));
    LocalArtifactStore.createRoot(existing);
    assertEquals("rwxr-x---", mode(existing));
  }

  private static String mode(Path p) throws java.io.IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }
}
