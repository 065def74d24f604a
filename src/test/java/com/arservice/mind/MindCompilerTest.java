package com.arservice.mind;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.arservice.mind.detect.GreyImage;
import com.arservice.mind.io.ImageLoader;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class MindCompilerTest {

  /** med.mind is what MindAR 1.2.5's compiler made of med.png. */
  @Test
  void compilesAPhotoToTheBytesMindArProduces() throws Exception {
    GreyImage photo = new ImageLoader().load(TestJson.bytes("/mind/med.png"));
    MindCompiler.Result result = MindCompiler.compile(List.of(photo));
    assertArrayEquals(TestJson.bytes("/mind/med.mind"), result.mind());
    MindCompiler.TargetStats stats = result.targets().get(0);
    assertEquals(new MindCompiler.TargetStats(260, 256, 5, 231, 30), stats);
  }

  @Test
  void compilesTheSameImagesToIdenticalBytesFromConcurrentThreads() throws Exception {
    GreyImage photo = new ImageLoader().load(TestJson.bytes("/mind/med.png"));
    GreyImage flipped = new GreyImage(reversed(photo.data()), photo.width(), photo.height());
    byte[] expected = MindCompiler.compile(List.of(photo, flipped)).mind();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<byte[]> a = pool.submit(() -> MindCompiler.compile(List.of(photo, flipped)).mind());
      Future<byte[]> b = pool.submit(() -> MindCompiler.compile(List.of(photo, flipped)).mind());
      assertArrayEquals(expected, a.get());
      assertArrayEquals(expected, b.get());
    } finally {
      pool.shutdown();
    }
    List<MindTarget> targets = MindFile.read(expected);
    assertEquals(2, targets.size());
    assertArrayEquals(photo.data(), targets.get(0).trackingData().get(0).data());
    assertArrayEquals(flipped.data(), targets.get(1).trackingData().get(0).data());
  }

  private static byte[] reversed(byte[] d) {
    byte[] r = new byte[d.length];
    for (int i = 0; i < d.length; i++) {
      r[i] = d[d.length - 1 - i];
    }
    return r;
  }
}
