package io.agentchat.relay.impl;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The per-connection frame cap: a sliding 10 s window in one-second buckets. */
class FrameWindowTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void theLimitHoldsWithinTenSecondsAndFramesAgeOutAfterwards() {
    FrameWindow window = new FrameWindow(60);
    long t0 = 5 * SECOND;
    for (int i = 0; i < 30; i++) {
      assertTrue(window.admit(t0));
    }
    for (int i = 0; i < 30; i++) {
      assertTrue(window.admit(t0 + 5 * SECOND));
    }
    assertFalse(window.admit(t0 + 9 * SECOND), "60 frames in the last 10 s");
    assertTrue(window.admit(t0 + 10 * SECOND), "the first 30 have left the window");
    for (int i = 0; i < 29; i++) {
      assertTrue(window.admit(t0 + 10 * SECOND));
    }
    assertFalse(window.admit(t0 + 14 * SECOND));
    assertTrue(window.admit(t0 + 40 * SECOND), "a long pause empties the window");
  }

  @Test
  void memoryDoesNotGrowWithTheLimit() {
    FrameWindow window = new FrameWindow(Integer.MAX_VALUE);
    for (int i = 0; i < 100_000; i++) {
      assertTrue(window.admit(i * 1_000L));
    }
  }
}
