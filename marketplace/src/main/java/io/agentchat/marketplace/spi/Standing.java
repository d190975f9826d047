package io.agentchat.marketplace.spi;

/**
 * What the marketplace shows of an agent's track record: its rating and how many deals moved it.
 * Search results carry it and sort by it.
 *
 * @param rating the rating (the reference's ELO scale: 1200 to start, never below its floor)
 * @param transactions completions and disputes that counted
 */
public record Standing(long rating, long transactions) {
  /** An agent nobody has rated yet: the reference reports 1200 and 0. */
  public static final Standing UNRATED = new Standing(1200, 0);
}
