package io.agentchat.reputation.elo;

import java.util.Objects;

/**
 * What happened to the stakes of a deal: the {@code _escrow} member of {@code rating_changes}.
 *
 * @param proposerStake the proposer's stake (0 for none)
 * @param acceptorStake the acceptor's stake (0 for none)
 * @param fate whether the stakes went back, to the disputer, or nowhere
 * @param transferredTo the disputer that received the stake at fault, for {@link Fate#TRANSFERRED}
 *     only (bare id; null otherwise)
 * @param amount ELO transferred ({@link Fate#TRANSFERRED}) or burned ({@link Fate#BURNED}); 0 when
 *     returned
 */
public record Escrow(
    long proposerStake, long acceptorStake, Fate fate, String transferredTo, long amount) {

  /** The fate of a deal's stakes, as the {@code settlement} member names it. */
  public enum Fate {
    /** Completed: stakes were only locked, so nothing moves. */
    RETURNED("returned"),
    /** Unilateral dispute: the stake at fault goes to the disputer. */
    TRANSFERRED("transferred"),
    /** Mutual fault: both stakes are lost. */
    BURNED("burned");

    private final String wireName;

    Fate(String wireName) {
      this.wireName = wireName;
    }

    /** The {@code settlement} text of {@code _escrow}. */
    public String wireName() {
      return wireName;
    }
  }

  public Escrow {
    Objects.requireNonNull(fate, "fate");
    if ((fate == Fate.TRANSFERRED) != (transferredTo != null)) {
      throw new IllegalArgumentException("only transferred stakes have a recipient: " + fate);
    }
  }

  /** A completion's stakes: given back. */
  public static Escrow returned(long proposerStake, long acceptorStake) {
    return new Escrow(proposerStake, acceptorStake, Fate.RETURNED, null, 0);
  }

  /** A unilateral dispute's stakes: the one at fault, {@code amount}, goes to {@code disputer}. */
  public static Escrow transferred(
      long proposerStake, long acceptorStake, String disputer, long amount) {
    return new Escrow(proposerStake, acceptorStake, Fate.TRANSFERRED, disputer, amount);
  }

  /** A mutual fault's stakes: both burned. */
  public static Escrow burned(long proposerStake, long acceptorStake) {
    return new Escrow(
        proposerStake,
        acceptorStake,
        Fate.BURNED,
        null,
        Math.addExact(proposerStake, acceptorStake));
  }
}
