package com.arservice.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AwaitTest {

  @Test
  void aValueIsReadAgainUntilItIsTheAwaitedOneAndReturned() {
    AtomicInteger reads = new AtomicInteger();

    int value =
        Await.value("the third read", Duration.ofSeconds(5), reads::incrementAndGet, n -> n == 3);

    assertEquals(3, value);
    assertEquals(3, reads.get());
  }

  @Test
  void aTimeoutNamesWhatWasAwaitedAndTheLastValueRead() {
    AssertionError e =
        assertThrows(
            AssertionError.class,
            () ->
                Await.value(
                    "the status is ready",
                    Duration.ofMillis(50),
                    () -> "processing",
                    "ready"::equals));

    assertEquals(
        "timed out after 0.05s waiting until the status is ready; last seen: processing",
        e.getMessage());
  }

  @Test
  void aCheckThatFailsEndsTheWaitAtOnceAndAnExceptionNamesWhatWasAwaited() throws Exception {
    AssertionError failed = new AssertionError("the project failed");
    assertSame(
        failed,
        assertThrows(
            AssertionError.class,
            () ->
                Await.until(
                    "ready",
                    () -> {
                      throw failed;
                    })));
    AssertionError io =
        assertThrows(
            AssertionError.class,
            () ->
                Await.until(
                    "ready",
                    () -> {
                      throw new IOException("refused");
                    }));
    assertEquals("failed waiting until ready: java.io.IOException: refused", io.getMessage());

    Process exited = new ProcessBuilder("sh", "-c", "exit 3").start();
    exited.waitFor();
    AssertionError dead =
        assertThrows(
            AssertionError.class,
            () ->
                Await.until(
                    "it answers",
                    () -> {
                      Await.alive(exited);
                      return false;
                    }));
    assertTrue(dead.getMessage().endsWith("exited with code 3"), dead.getMessage());
  }
}
