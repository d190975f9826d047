package io.agentchat.marketbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoundRobinTest {
  @Test
  void everyRoundPairsEachAgentWithExactlyOneOther() {
    for (int n = 2; n <= 40; n += 2) {
      RoundRobin schedule = new RoundRobin(n);
      for (int r = 0; r < 2 * n; r++) {
        for (int a = 0; a < n; a++) {
          int b = schedule.partner(a, r);
          assertNotEquals(a, b, "n=" + n + " round " + r);
          assertEquals(a, schedule.partner(b, r), "n=" + n + " round " + r + " agent " + a);
        }
      }
    }
  }

  @Test
  void everyPairMeetsOnceBeforeThePairsRepeat() {
    for (int n = 2; n <= 40; n += 2) {
      RoundRobin schedule = new RoundRobin(n);
      Set<Long> met = new HashSet<>();
      for (int r = 0; r < schedule.distinctRounds(); r++) {
        for (int a = 0; a < n; a++) {
          int b = schedule.partner(a, r);
          if (a < b) {
            assertTrue(met.add((long) a * n + b), "n=" + n + ": " + a + "-" + b + " met twice");
          }
        }
      }
      assertEquals(n * (n - 1) / 2, met.size());
      assertEquals(schedule.partner(0, 0), schedule.partner(0, schedule.distinctRounds()));
    }
  }

  @Test
  void anOddNumberOfAgentsHasNoSchedule() {
    assertThrows(IllegalArgumentException.class, () -> new RoundRobin(3));
  }
}
