package io.agentchat.relay.impl;

/**
 * Counts every frame a connection sends in a sliding 10-second window, frames later refused (bad
 * JSON, errors) included, as the reference does. The window is ten one-second buckets, so memory is
 * constant whatever the limit (a ring of arrival times would cost 8 bytes per allowed frame per
 * connection) and the window slides with one-second resolution. Used from one event loop only.
 */
final class FrameWindow {
  static final long WINDOW_NANOS = 10_000_000_000L;
  private static final int BUCKETS = 10;
  private static final long BUCKET_NANOS = WINDOW_NANOS / BUCKETS;
  private final int[] counts = new int[BUCKETS];
  private long currentBucket = Long.MIN_VALUE;
  private int total;
  private int limit;

  FrameWindow(int limit) {
    this.limit = limit;
  }

  /** Changes the limit (login raises it); the frames already counted stay counted. */
  void resize(int limit) {
    this.limit = limit;
  }

  /** Records a frame; false when it is over the limit for the window. */
  boolean admit(long nowNanos) {
    advanceTo(Math.floorDiv(nowNanos, BUCKET_NANOS));
    if (total >= limit) {
      return false;
    }
    counts[(int) Math.floorMod(currentBucket, (long) BUCKETS)]++;
    total++;
    return true;
  }

  private void advanceTo(long bucket) {
    if (currentBucket == Long.MIN_VALUE || bucket - currentBucket >= BUCKETS) {
      java.util.Arrays.fill(counts, 0);
      total = 0;
    } else {
      for (long b = currentBucket + 1; b <= bucket; b++) {
        int slot = (int) Math.floorMod(b, (long) BUCKETS);
        total -= counts[slot];
        counts[slot] = 0;
      }
    }
    currentBucket = Math.max(currentBucket, bucket);
  }
}
