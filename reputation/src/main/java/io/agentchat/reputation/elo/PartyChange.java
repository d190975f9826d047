package io.agentchat.reputation.elo;

/**
 * How one party's standing moved in a deal, overall or for one capability: one entry of {@code
 * rating_changes}.
 *
 * @param agentId the party, a bare agent id
 * @param oldRating the rating before the deal
 * @param newRating the rating after it, never below {@link Elo#FLOOR}
 * @param change what the formula gave, stakes included; as in the reference, it is reported even
 *     when the floor cut the move short (so it can differ from {@code newRating - oldRating})
 * @param transactions the transaction count after the deal
 */
public record PartyChange(
    String agentId, long oldRating, long newRating, long change, long transactions) {

  /** The party's standing after the deal. */
  public Rated after() {
    return new Rated(newRating, transactions);
  }
}
