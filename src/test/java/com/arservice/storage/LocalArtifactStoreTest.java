package com.arservice.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalArtifactStoreTest {

  @Test
  void aPublishedWorkFolderReplacesTheProjectsFilesAtOnce(@TempDir Path storage) throws Exception {
    LocalArtifactStore store = new LocalArtifactStore(storage);
    UUID id = UUID.randomUUID();
    Path first = store.newWorkFolder(id);
    Files.writeString(first.resolve("index.html"), "first");
    Files.writeString(first.resolve("old-only.txt"), "x");
    store.publish(id, first);
    assertEquals("first", new String(store.read(id, "index.html").orElseThrow()));

    Path second = store.newWorkFolder(id);
    Files.writeString(second.resolve("index.html"), "second");
    store.publish(id, second);
    assertArrayEquals("second".getBytes(), store.read(id, "index.html").orElseThrow());
    assertTrue(store.read(id, "old-only.txt").isEmpty(), "nothing of the earlier attempt is left");
    assertFalse(Files.exists(second), "the work folder became the project's folder");
    try (var left = Files.list(storage.resolve(".work"))) {
      assertEquals(0, left.count(), "no replaced folder is left behind");
    }
  }

  @Test
  void readingOutsideTheProjectFindsNothingAndDeleteCountsFiles(@TempDir Path storage) throws Exception {
    LocalArtifactStore store = new LocalArtifactStore(storage);
    UUID id = UUID.randomUUID();
    Files.writeString(storage.resolve("secret.txt"), "s");
    Path work = store.newWorkFolder(id);
    Files.createDirectories(work.resolve("sub"));
    Files.writeString(work.resolve("a.txt"), "a");
    Files.writeString(work.resolve("sub").resolve("b.txt"), "b");
    store.publish(id, work);
    assertTrue(store.read(id, "../secret.txt").isEmpty());
    assertEquals(2, store.delete(id));
    assertEquals(0, store.delete(id), "deleting again is harmless");
    assertTrue(Files.exists(storage.resolve("secret.txt")));
  }
}
