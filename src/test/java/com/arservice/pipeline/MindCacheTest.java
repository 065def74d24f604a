package com.arservice.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.arservice.mind.MarkerMode;
import com.arservice.mind.detect.GreyImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code .mind} cache on its own: what it gives back, what it refuses, what it replaces. */
class MindCacheTest {
  private static final MarkerMode REF = MarkerMode.REFERENCE;

  private static final byte[] MIND = "a compiled target".getBytes(StandardCharsets.UTF_8);

  @TempDir Path dir;

  @Test
  void anEntryIsReadBackAsStoredAndAnUnknownKeyIsAMiss() {
    MindCache cache = new MindCache(dir.resolve("mind"));

    assertEquals(Optional.empty(), cache.get("k"), "nothing stored yet, not even the folder");
    assertTrue(cache.put("k", MIND));

    assertArrayEquals(MIND, cache.get("k").orElseThrow());
    assertEquals(Optional.empty(), cache.get("other"));
  }

  @Test
  void aDamagedOrTruncatedEntryIsAMissAndAPutReplacesIt() throws Exception {
    MindCache cache = new MindCache(dir);
    cache.put("k", MIND);
    Path entry = dir.resolve("k.mind");
    byte[] good = Files.readAllBytes(entry);
    byte[] flipped = good.clone();
    flipped[flipped.length - 1] ^= 0x01;

    Files.write(entry, flipped);
    assertEquals(Optional.empty(), cache.get("k"), "one bit changed");
    Files.write(entry, new byte[] {1, 2, 3});
    assertEquals(Optional.empty(), cache.get("k"), "shorter than its checksum");

    assertTrue(cache.put("k", MIND));
    assertArrayEquals(good, Files.readAllBytes(entry));
    assertArrayEquals(MIND, cache.get("k").orElseThrow());
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(entry), files.toList(), "no temporary file left beside it");
    }
  }

  @Test
  void aCacheThatCannotBeWrittenSaysSoInsteadOfFailing() throws Exception {
    Path notAFolder = Files.writeString(dir.resolve("mind"), "a file where the folder belongs");

    assertFalse(new MindCache(notAFolder).put("k", MIND));
    assertEquals(Optional.empty(), new MindCache(notAFolder).get("k"));
  }

  @Test
  void theKeyFollowsTheMarkerMode() {
    List<GreyImage> images = List.of(new GreyImage(new byte[12], 4, 3));
    assertNotEquals(MindCache.key(images, REF), MindCache.key(images, MarkerMode.ROBUST));
  }

  @Test
  void theKeyFollowsEveryPixelAndTheSizeOfEachImage() {
    byte[] pixels = new byte[12];
    String key = MindCache.key(List.of(new GreyImage(pixels.clone(), 4, 3)), REF);

    assertEquals(key, MindCache.key(List.of(new GreyImage(pixels.clone(), 4, 3)), REF));
    byte[] changed = pixels.clone();
    changed[11] = 1;
    assertNotEquals(key, MindCache.key(List.of(new GreyImage(changed, 4, 3)), REF));
    assertNotEquals(key, MindCache.key(List.of(new GreyImage(pixels.clone(), 3, 4)), REF));
    assertNotEquals(
        key,
        MindCache.key(
            List.of(new GreyImage(pixels.clone(), 4, 3), new GreyImage(pixels.clone(), 4, 3)),
            REF));
  }
}
