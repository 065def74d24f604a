package com.arservice.media;

/**
 * SplitMix64: a tiny generator whose sequence is fixed by its seed on every JVM, so seeded artwork
 * is reproducible byte for byte (java.util.Random would do, but its algorithm is not ours to pin).
 */
final class SeededRandom {

  private long state;

  SeededRandom(long seed) {
    this.state = seed;
  }

  long nextLong() {
    long z = (state += 0x9E3779B97F4A7C15L);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Uniform in [0, bound). */
  int nextInt(int bound) {
    return (int) Long.remainderUnsigned(nextLong(), bound);
  }

  /** Uniform in [0, 1). */
  double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }
}
