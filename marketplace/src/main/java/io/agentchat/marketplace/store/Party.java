package io.agentchat.marketplace.store;

/** Which side of a proposal an agent is on. */
public enum Party {
  /** The agent that made the proposal ({@code from}). */
  PROPOSER,
  /** The agent it is addressed to ({@code to}). */
  RECIPIENT,
  /** Anyone else. */
  STRANGER;

  /** The side {@code agentId} is on in {@code p}. */
  public static Party of(Proposal p, String agentId) {
    if (p.fromAgent().equals(agentId)) {
      return PROPOSER;
    }
    return p.toAgent().equals(agentId) ? RECIPIENT : STRANGER;
  }
}
