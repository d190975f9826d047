package io.agentchat.reputation.elo;

import java.util.Optional;

/**
 * What the ratings remember of one unordered pair of agents: the completions that moved their
 * ratings and when the last of them happened. Completions on cooldown and disputes leave it as it
 * is.
 *
 * @param completions applied completions of the pair
 * @param lastCompletedAt when the last applied completion happened (epoch ms), or null for none
 */
public record PairHistory(long completions, Long lastCompletedAt) {
  /** A pair that never completed a deal. */
  public static final PairHistory NONE = new PairHistory(0, null);

  public PairHistory {
    if (completions < 0) {
      throw new IllegalArgumentException("completions must not be negative: " + completions);
    }
    if ((completions == 0) != (lastCompletedAt == null)) {
      throw new IllegalArgumentException(
          "a pair has a last completion time exactly when it has completions: "
              + completions
              + ", "
              + lastCompletedAt);
    }
  }

  /** The history once a completion at {@code at} (epoch ms) has been applied. */
  public PairHistory completedAt(long at) {
    return new PairHistory(completions + 1, at);
  }

  /**
   * The cooldown a completion at {@code at} (epoch ms) falls in, if the pair's last applied
   * completion was less than {@link Elo#PAIR_COOLDOWN_MS} before it.
   */
  public Optional<Cooldown> cooldownAt(long at) {
    if (lastCompletedAt == null || at - lastCompletedAt >= Elo.PAIR_COOLDOWN_MS) {
      return Optional.empty();
    }
    return Optional.of(new Cooldown(lastCompletedAt, lastCompletedAt + Elo.PAIR_COOLDOWN_MS));
  }
}
