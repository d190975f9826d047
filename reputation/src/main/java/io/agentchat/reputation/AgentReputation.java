package io.agentchat.reputation;

import java.util.Map;

/**
 * An agent's standing on this server, as {@code GET /v1/agents/{id}} shows it.
 *
 * @param agentId bare id
 * @param rating its overall rating (1200 when it has none)
 * @param transactions completions and disputes that counted
 * @param staked ELO it has locked in active escrows
 * @param receipts the length of its receipt chain on this server
 * @param head the hash of its latest receipt here, or null
 * @param capabilities its rating per capability it has dealt in
 */
public record AgentReputation(
    String agentId,
    long rating,
    long transactions,
    long staked,
    long receipts,
    String head,
    Map<String, Rating> capabilities) {

  /**
   * A rating and how many deals moved it.
   *
   * @param rating the rating
   * @param transactions deals counted
   */
  public record Rating(long rating, long transactions) {}
}
