package com.arservice.analytics;

import java.util.Arrays;

/**
 * Counts and two time histograms (AR ready after opening, first print found after AR ready) of some
 * viewings; what one request adds and what one stored row holds. Fixed size, whatever was counted.
 * Not thread-safe.
 */
public final class Tally {
  /** Upper bounds (ms) of the histogram buckets; the last bucket holds everything above. */
  public static final long[] BUCKETS_MS = {
    500, 1_000, 2_000, 3_000, 5_000, 8_000, 13_000, 20_000, 30_000, 60_000
  };

  final long[] counts;
  final long[] readyMs;
  final long[] foundMs;

  public Tally() {
    this(
        new long[Measure.values().length],
        new long[BUCKETS_MS.length + 1],
        new long[BUCKETS_MS.length + 1]);
  }

  /** A stored row's arrays; shorter ones (written before a measure was added) count as zeros. */
  Tally(long[] counts, long[] readyMs, long[] foundMs) {
    this.counts = Arrays.copyOf(counts, Measure.values().length);
    this.readyMs = Arrays.copyOf(readyMs, BUCKETS_MS.length + 1);
    this.foundMs = Arrays.copyOf(foundMs, BUCKETS_MS.length + 1);
  }

  public long get(Measure m) {
    return counts[m.ordinal()];
  }

  void add(Measure m, long n) {
    counts[m.ordinal()] += n;
  }

  void ready(long ms) {
    readyMs[bucket(ms)]++;
  }

  void found(long ms) {
    foundMs[bucket(ms)]++;
  }

  public void add(Tally other) {
    for (int i = 0; i < counts.length; i++) {
      counts[i] += other.counts[i];
    }
    for (int i = 0; i < readyMs.length; i++) {
      readyMs[i] += other.readyMs[i];
      foundMs[i] += other.foundMs[i];
    }
  }

  /** The time (ms) below which fraction {@code q} of the first prints were found; -1: none. */
  public long foundQuantile(double q) {
    return quantile(foundMs, q);
  }

  public long readyQuantile(double q) {
    return quantile(readyMs, q);
  }

  private static int bucket(long ms) {
    int i = 0;
    while (i < BUCKETS_MS.length && ms > BUCKETS_MS[i]) {
      i++;
    }
    return i;
  }

  /** Linear within the bucket the quantile falls into; the open last bucket gives its lower end. */
  static long quantile(long[] histogram, double q) {
    long total = Arrays.stream(histogram).sum();
    if (total == 0) {
      return -1;
    }
    double rank = q * total;
    long seen = 0;
    for (int i = 0; i < histogram.length; i++) {
      if (histogram[i] > 0 && seen + histogram[i] >= rank) {
        long low = i == 0 ? 0 : BUCKETS_MS[i - 1];
        if (i == BUCKETS_MS.length) {
          return low;
        }
        double within = (rank - seen) / histogram[i];
        return Math.round(low + within * (BUCKETS_MS[i] - low));
      }
      seen += histogram[i];
    }
    return BUCKETS_MS[BUCKETS_MS.length - 1];
  }
}
