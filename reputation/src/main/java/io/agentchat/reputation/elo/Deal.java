package io.agentchat.reputation.elo;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Objects;

/**
 * One deal to settle: who made it, its terms and how it ended.
 *
 * @param proposalId the proposal's id
 * @param from the proposer, a bare agent id (no {@code @})
 * @param to the recipient, a bare agent id, never {@code from}
 * @param amount the amount offered, or null; only a positive amount weights the K-factor
 * @param capability the capability the deal is about, or null; stored lower-cased, and the empty
 *     text counts as none
 * @param proposerStake ELO the proposer staked (0 for none)
 * @param acceptorStake ELO the acceptor staked (0 for none)
 * @param verdict how it ended
 * @param disputer the party that disputed, for {@link Verdict#UNILATERAL} only (null otherwise)
 * @param at when it was completed or disputed (epoch ms)
 * @throws IllegalArgumentException for a self-deal, a negative stake, an id with an {@code @} or a
 *     disputer that does not fit the verdict
 */
public record Deal(
    String proposalId,
    String from,
    String to,
    BigDecimal amount,
    String capability,
    long proposerStake,
    long acceptorStake,
    Verdict verdict,
    String disputer,
    long at) {

  /**
   * The amount that weights a deal: none without a currency. A bare number names no value anyone
   * could pay or check, so a proposal without a currency counts as amount 0.
   *
   * @param amount the amount offered, or null
   * @param currency its currency code, or null
   */
  public static BigDecimal weighed(BigDecimal amount, String currency) {
    return currency == null || currency.isEmpty() ? null : amount;
  }

  public Deal {
    Objects.requireNonNull(proposalId, "proposalId");
    Objects.requireNonNull(verdict, "verdict");
    requireBareId(from, "from");
    requireBareId(to, "to");
    if (from.equals(to)) {
      // The reference lets an agent complete its own proposal and gain twice; our server refuses
      // it.
      throw new IllegalArgumentException("an agent cannot deal with itself: " + from);
    }
    if (proposerStake < 0 || acceptorStake < 0) {
      throw new IllegalArgumentException(
          "stakes must not be negative: " + proposerStake + ", " + acceptorStake);
    }
    if (verdict == Verdict.UNILATERAL) {
      if (!from.equals(disputer) && !to.equals(disputer)) {
        throw new IllegalArgumentException(
            "a unilateral dispute needs one of the parties as disputer: " + disputer);
      }
    } else if (disputer != null) {
      throw new IllegalArgumentException("only a unilateral dispute has a disputer: " + verdict);
    }
    // The reference treats a falsy capability as none: "" names no capability.
    capability =
        capability == null || capability.isEmpty() ? null : capability.toLowerCase(Locale.ROOT);
  }

  /** The party at fault in a {@link Verdict#UNILATERAL} dispute: the one that did not dispute. */
  public String atFault() {
    if (verdict != Verdict.UNILATERAL) {
      throw new IllegalStateException("only a unilateral dispute has a party at fault: " + verdict);
    }
    return from.equals(disputer) ? to : from;
  }

  /** The stake {@code agentId} put on this deal (0 for none). */
  public long stakeOf(String agentId) {
    if (from.equals(agentId)) {
      return proposerStake;
    }
    if (to.equals(agentId)) {
      return acceptorStake;
    }
    throw new IllegalArgumentException("not a party of " + proposalId + ": " + agentId);
  }

  private static void requireBareId(String id, String what) {
    if (id == null || id.isEmpty() || id.startsWith("@")) {
      throw new IllegalArgumentException(what + " must be a bare agent id (no @): " + id);
    }
  }
}
