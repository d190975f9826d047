package io.agentchat.relay.impl;

/**
 * Counts every frame a connection sends in a sliding 10-second window, rejected ones included,
 * as the reference does. Implemented as a ring of arrival times sized to the limit, so it costs
 * O(limit) memory and O(1) per frame. Used from one event loop only.
 */
final class FrameWindow {
  static final long WINDOW_NANOS = 10_000_000_000L;
  private long[] arrivals;
  private int next;
  private int count;

  FrameWindow(int limit) {
    arrivals = new long[limit];
  }

  /** Changes the limit (login raises it); keeps no history, which only errs toward leniency. */
  void resize(int limit) {
    arrivals = new long[limit];
    next = 0;
    count = 0;
  }

  /** Records a frame; false when it is over the limit for the window. */
  boolean admit(long nowNanos) {
    if (count == arrivals.length) {
      long oldest = arrivals[next];
      if (nowNanos - oldest < WINDOW_NANOS) {
        return false;
      }
    } else {
      count++;
    }
    arrivals[next] = nowNanos;
    next = (next + 1) % arrivals.length;
    return true;
  }
}
