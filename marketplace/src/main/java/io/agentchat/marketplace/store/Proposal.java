package io.agentchat.marketplace.store;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A stored proposal: one row of {@code proposals}. Agent ids are bare (no {@code @}), times are
 * epoch milliseconds, nullable numbers are boxed. Immutable; the transition methods return copies
 * for {@link Transition#update}.
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
    String signedDigest) {

  public Proposal {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(status, "status");
  }

  /** Whether the agent is the proposer or the recipient. */
  public boolean isParty(String agentId) {
    return fromAgent.equals(agentId) || toAgent.equals(agentId);
  }

  /** Whether it is pending and its expiry has come at {@code now}. */
  public boolean isDue(long now) {
    return status == ProposalStatus.PENDING && expiresAt != null && expiresAt <= now;
  }

  /**
   * This proposal accepted at {@code now} with the acceptor's signature, payment code and stake.
   */
  public Proposal accepted(long now, String sig, String paymentCode, Long stake) {
    return new Proposal(
        id,
        fromAgent,
        toAgent,
        task,
        amount,
        currency,
        this.paymentCode,
        terms,
        expiresAt,
        ProposalStatus.ACCEPTED,
        createdAt,
        now,
        now,
        this.sig,
        proposerStake,
        stake,
        sig,
        paymentCode,
        rejectReason,
        completedAt,
        completedBy,
        completionProof,
        completionSig,
        disputedAt,
        disputedBy,
        disputeReason,
        disputeSig,
        signedDigest);
  }

  /** This proposal rejected at {@code now} with the recipient's signature and reason. */
  public Proposal rejected(long now, String sig, String reason) {
    return new Proposal(
        id,
        fromAgent,
        toAgent,
        task,
        amount,
        currency,
        paymentCode,
        terms,
        expiresAt,
        ProposalStatus.REJECTED,
        createdAt,
        now,
        acceptedAt,
        this.sig,
        proposerStake,
        acceptorStake,
        sig,
        responsePaymentCode,
        reason,
        completedAt,
        completedBy,
        completionProof,
        completionSig,
        disputedAt,
        disputedBy,
        disputeReason,
        disputeSig,
        signedDigest);
  }

  /** This proposal completed at {@code now} by {@code by} with a proof and signature. */
  public Proposal completed(long now, String by, String proof, String sig) {
    return new Proposal(
        id,
        fromAgent,
        toAgent,
        task,
        amount,
        currency,
        paymentCode,
        terms,
        expiresAt,
        ProposalStatus.COMPLETED,
        createdAt,
        now,
        acceptedAt,
        this.sig,
        proposerStake,
        acceptorStake,
        responseSig,
        responsePaymentCode,
        rejectReason,
        now,
        by,
        proof,
        sig,
        disputedAt,
        disputedBy,
        disputeReason,
        disputeSig,
        signedDigest);
  }

  /** This proposal disputed at {@code now} by {@code by} with a reason and signature. */
  public Proposal disputed(long now, String by, String reason, String sig) {
    return new Proposal(
        id,
        fromAgent,
        toAgent,
        task,
        amount,
        currency,
        paymentCode,
        terms,
        expiresAt,
        ProposalStatus.DISPUTED,
        createdAt,
        now,
        acceptedAt,
        this.sig,
        proposerStake,
        acceptorStake,
        responseSig,
        responsePaymentCode,
        rejectReason,
        completedAt,
        completedBy,
        completionProof,
        completionSig,
        now,
        by,
        reason,
        sig,
        signedDigest);
  }

  /** This proposal expired at {@code now}. */
  public Proposal expired(long now) {
    return new Proposal(
        id,
        fromAgent,
        toAgent,
        task,
        amount,
        currency,
        paymentCode,
        terms,
        expiresAt,
        ProposalStatus.EXPIRED,
        createdAt,
        now,
        acceptedAt,
        sig,
        proposerStake,
        acceptorStake,
        responseSig,
        responsePaymentCode,
        rejectReason,
        completedAt,
        completedBy,
        completionProof,
        completionSig,
        disputedAt,
        disputedBy,
        disputeReason,
        disputeSig,
        signedDigest);
  }
}
