package io.agentchat.bench.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

  @Test
  void bucketsAreContiguousAndCoverEveryValue() {
    for (long v : new long[] {0, 1, 127, 128, 255, 256, 257, 1_000_000, Long.MAX_VALUE}) {
      int i = LatencyHistogram.index(v);
      assertTrue(LatencyHistogram.lowest(i) <= v, "lowest of " + v);
      assertTrue(v - LatencyHistogram.lowest(i) < LatencyHistogram.width(i), "width of " + v);
    }
    for (int i = 1; i < 128 * 57; i++) {
      assertEquals(
          LatencyHistogram.lowest(i - 1) + LatencyHistogram.width(i - 1),
          LatencyHistogram.lowest(i),
          "bucket " + i);
    }
  }

  @Test
  void percentilesAreWithinOnePercentOfTheTrueValue() {
    LatencyHistogram h = new LatencyHistogram();
    for (long ms = 1; ms <= 1000; ms++) {
      h.record(ms * 1_000_000);
    }
    assertEquals(1000, h.count());
    assertEquals(500e6, h.percentile(50), 500e6 * 0.01);
    assertEquals(990e6, h.percentile(99), 990e6 * 0.01);
    assertEquals(1000_000_000L, h.max());
    assertEquals(1000_000_000L, h.percentile(100));
  }

  @Test
  void mergedHistogramsCountBoth() {
    LatencyHistogram a = new LatencyHistogram();
    LatencyHistogram b = new LatencyHistogram();
    a.record(10);
    b.record(20);
    b.record(-5);
    a.add(b);
    assertEquals(3, a.count());
    assertEquals(20, a.max());
    assertEquals(0, a.percentile(1));
    assertEquals(0, new LatencyHistogram().percentile(99));
  }
}
