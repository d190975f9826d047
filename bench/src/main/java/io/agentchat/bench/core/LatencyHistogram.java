package io.agentchat.bench.core;

/**
 * A log-linear histogram of non-negative durations in nanoseconds: values below 128 are exact, each
 * power-of-two range above is split into 128 equal buckets, so any reported percentile is within
 * 1/128 (0.8 %) of the true value. Recording is one array increment, cheap enough for the delivery
 * hot path; the whole table is 57 KiB. Not thread-safe: one instance per event loop, combined with
 * {@link #add} after the run.
 */
public final class LatencyHistogram {
  private static final int SUB_BITS = 7;
  private static final int SUB = 1 << SUB_BITS;
  private static final int BUCKETS = SUB * (64 - SUB_BITS);

  private final long[] counts = new long[BUCKETS];
  private long count;
  private long min = Long.MAX_VALUE;
  private long max;

  /** Records one duration; negative values count as zero. */
  public void record(long nanos) {
    long v = Math.max(0, nanos);
    counts[index(v)]++;
    count++;
    if (v < min) {
      min = v;
    }
    if (v > max) {
      max = v;
    }
  }

  /** Adds every value recorded in {@code other} to this histogram. */
  public void add(LatencyHistogram other) {
    for (int i = 0; i < BUCKETS; i++) {
      counts[i] += other.counts[i];
    }
    count += other.count;
    min = Math.min(min, other.min);
    max = Math.max(max, other.max);
  }

  /** A copy that later recordings into this histogram do not change. */
  public LatencyHistogram copy() {
    LatencyHistogram c = new LatencyHistogram();
    c.add(this);
    return c;
  }

  /** How many values were recorded. */
  public long count() {
    return count;
  }

  /** The largest value recorded, exact; 0 when empty. */
  public long max() {
    return max;
  }

  /**
   * The value below or at which {@code percent} % of the recordings fall (nearest rank), as the
   * middle of its bucket clamped to the exact minimum and maximum; 0 when empty.
   */
  public long percentile(double percent) {
    if (count == 0) {
      return 0;
    }
    long rank = Math.max(1, (long) Math.ceil(percent / 100.0 * count));
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += counts[i];
      if (seen >= rank) {
        long middle = lowest(i) + (width(i) - 1) / 2;
        return Math.min(max, Math.max(min, middle));
      }
    }
    return max;
  }

  static int index(long v) {
    if (v < SUB) {
      return (int) v;
    }
    int shift = 63 - Long.numberOfLeadingZeros(v) - SUB_BITS;
    return SUB + shift * SUB + (int) ((v >>> shift) - SUB);
  }

  static long lowest(int index) {
    if (index < SUB) {
      return index;
    }
    int shift = index / SUB - 1;
    return (long) (SUB + index % SUB) << shift;
  }

  static long width(int index) {
    return index < SUB ? 1 : 1L << (index / SUB - 1);
  }
}
