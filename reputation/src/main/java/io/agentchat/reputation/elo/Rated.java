package io.agentchat.reputation.elo;

/**
 * An agent's standing before or after a deal, overall or for one capability.
 *
 * @param rating the ELO rating, never below {@link Elo#FLOOR} once a deal has moved it
 * @param transactions how many deals have counted towards it (completions on cooldown do not)
 */
public record Rated(long rating, long transactions) {
  /** Anyone no deal has moved yet: 1200 and no transactions. */
  public static final Rated UNRATED = new Rated(Elo.DEFAULT_RATING, 0);

  public Rated {
    if (transactions < 0) {
      throw new IllegalArgumentException("transactions must not be negative: " + transactions);
    }
  }
}
