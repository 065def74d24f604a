package com.arservice.testing;

import java.lang.management.ManagementFactory;

/** Bytes the current thread allocates while it runs some code: how memory bounds are tested. */
public final class Allocation {

  private Allocation() {}

  /** Code whose allocations are counted. */
  public interface Body {
    void run() throws Exception;
  }

  /** Runs {@code body} and returns the bytes this thread allocated meanwhile. */
  public static long of(Body body) throws Exception {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    body.run();
    return threads.getCurrentThreadAllocatedBytes() - before;
  }
}
