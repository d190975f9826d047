package io.agentchat.reputation.elo;

/**
 * Why a completion moved no rating: the same pair had an applied completion less than {@link
 * Elo#PAIR_COOLDOWN_MS} before it.
 *
 * @param lastCompletedAt the pair's last applied completion (epoch ms)
 * @param until when the pair's completions count again (epoch ms)
 */
public record Cooldown(long lastCompletedAt, long until) {
  /** The {@code reason} the {@code _cooldown} member gives. */
  public static final String REASON = "pair completed less than an hour ago";

  /** The {@code reason} the {@code _cooldown} member gives: always {@link #REASON}. */
  public String reason() {
    return REASON;
  }
}
