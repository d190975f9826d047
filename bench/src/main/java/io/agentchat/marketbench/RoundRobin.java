package io.agentchat.marketbench;

/**
 * A round-robin schedule of an even number of agents by the circle method: each round pairs every
 * agent with exactly one other, and over {@code agents - 1} rounds every pair meets exactly once.
 * Later rounds repeat the schedule from the start. Immutable.
 *
 * <p>Agent {@code m = agents - 1} stays fixed and meets agent {@code r} in round {@code r}; the
 * others meet when their indices add up to {@code 2r} modulo {@code m}, which has one solution per
 * pair because {@code m} is odd.
 */
final class RoundRobin {
  private final int agents;

  /**
   * @param agents how many agents take part: even, at least 2
   */
  RoundRobin(int agents) {
    if (agents < 2 || agents % 2 != 0) {
      throw new IllegalArgumentException(
          "a round robin needs an even number of agents, got " + agents);
    }
    this.agents = agents;
  }

  /** How many agents take part. */
  int agents() {
    return agents;
  }

  /** Rounds before a pair meets again: {@code agents - 1}. */
  int distinctRounds() {
    return agents - 1;
  }

  /** The agent {@code agent} meets in round {@code round} (0-based; any round, it wraps). */
  int partner(int agent, int round) {
    int m = agents - 1;
    int r = round % m;
    if (agent == m) {
      return r;
    }
    if (agent == r) {
      return m;
    }
    return Math.floorMod(2 * r - agent, m);
  }
}
