package io.agentchat.reputation.store;

/**
 * ELO staked on one deal.
 *
 * @param proposalId the deal
 * @param proposer the proposer's bare id
 * @param proposerStake what the proposer staked (0 for nothing)
 * @param acceptor the acceptor's bare id
 * @param acceptorStake what the acceptor staked (0 for nothing)
 * @param status {@code active} until the deal settles or lapses
 */
public record EscrowRow(
    String proposalId,
    String proposer,
    long proposerStake,
    String acceptor,
    long acceptorStake,
    String status) {

  /** The status of an escrow whose stakes are still locked. */
  public static final String ACTIVE = "active";

  /** Whether its stakes are still locked. */
  public boolean active() {
    return ACTIVE.equals(status);
  }

  /** What {@code agentId} has at stake in it. */
  public long stakeOf(String agentId) {
    return proposer.equals(agentId) ? proposerStake : acceptor.equals(agentId) ? acceptorStake : 0;
  }
}
