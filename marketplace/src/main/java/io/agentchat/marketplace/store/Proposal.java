package io.agentchat.marketplace.store;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A stored proposal: one row of {@code proposals}. Agent ids are bare (no {@code @}), times are
 * epoch milliseconds, nullable numbers are boxed. Immutable: a verb changes the row ({@link
 * ProposalRepository#change}) and returns the row as it left it.
 *
 * @param id proposal id
 * @param fromAgent proposer
 * @param toAgent recipient
 * @param task what is proposed
 * @param amount offered amount, or null
 * @param currency currency of the amount, or null
 * @param paymentCode proposer's payment code, or null
 * @param terms free text, or null
 * @param expiresAt absolute expiry of a pending proposal, or null for never
 * @param status where it stands
 * @param createdAt creation time
 * @param updatedAt time of the last change
 * @param acceptedAt when it was accepted, or null
 * @param sig proposer's signature
 * @param proposerStake ELO staked by the proposer, or null
 * @param acceptorStake ELO staked by the acceptor, or null
 * @param responseSig signature of the ACCEPT or REJECT, or null
 * @param responsePaymentCode acceptor's payment code, or null
 * @param rejectReason reason given with REJECT, or null
 * @param completedAt completion time, or null
 * @param completedBy party that completed it, or null
 * @param completionProof proof given with COMPLETE, or null
 * @param completionSig signature of the COMPLETE, or null
 * @param disputedAt dispute time, or null
 * @param disputedBy party that disputed it, or null
 * @param disputeReason reason given with DISPUTE, or null
 * @param disputeSig signature of the DISPUTE, or null
 * @param signedDigest sha256 hex of {@code from|signing string}
 * @param capability the capability the deal is about (unsigned), or null
 * @param expiresIn the expiry exactly as the proposer signed it (relative seconds), or null
 * @param disputeSettlesAt when a dispute's contest window closes, or null
 * @param disputeSettledAt when a dispute was settled, or null while it is open
 * @param disputeSettlement {@code unilateral} or {@code mutual} once settled, or null
 * @param contestedBy the party that answered a dispute with its own, or null
 * @param contestedAt when it did, or null
 * @param contestReason the reason it gave, or null
 * @param contestSig its signature of {@code DISPUTE|id|reason}, or null
 * @param lapsedAt when an accepted proposal's expiry passed and the plug-ins released what they
 *     held for it, or null
 */
public record Proposal(
    String id,
    String fromAgent,
    String toAgent,
    String task,
    BigDecimal amount,
    String currency,
    String paymentCode,
    String terms,
    Long expiresAt,
    ProposalStatus status,
    long createdAt,
    long updatedAt,
    Long acceptedAt,
    String sig,
    Long proposerStake,
    Long acceptorStake,
    String responseSig,
    String responsePaymentCode,
    String rejectReason,
    Long completedAt,
    String completedBy,
    String completionProof,
    String completionSig,
    Long disputedAt,
    String disputedBy,
    String disputeReason,
    String disputeSig,
    String signedDigest,
    String capability,
    BigDecimal expiresIn,
    Long disputeSettlesAt,
    Long disputeSettledAt,
    String disputeSettlement,
    String contestedBy,
    Long contestedAt,
    String contestReason,
    String contestSig,
    Long lapsedAt) {

  public Proposal {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(status, "status");
  }

  /** Whether the agent is the proposer or the recipient. */
  public boolean isParty(String agentId) {
    return fromAgent.equals(agentId) || toAgent.equals(agentId);
  }

  /** Whether it is disputed and its dispute has been settled (unilateral or mutual). */
  public boolean disputeSettled() {
    return disputeSettledAt != null;
  }

  /** Whether it is pending and its expiry has come at {@code now}. */
  public boolean isDue(long now) {
    return status == ProposalStatus.PENDING && expiresAt != null && expiresAt <= now;
  }
}
