package io.agentchat.marketplace.spi;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;

/**
 * A proposal as settlement plug-ins see it: the signed terms, who the parties are and what has
 * happened to it so far, as of the verb being applied. Agent ids are bare (no {@code @}); times are
 * epoch milliseconds; absent values are null.
 *
 * @param id proposal id
 * @param from the proposer
 * @param to the recipient, who accepts or rejects
 * @param task what is proposed
 * @param amount the amount offered, or null
 * @param currency the amount's currency code, or null
 * @param paymentCode the proposer's payment code, or null
 * @param terms free text, or null
 * @param status its status once the verb applies ({@code pending} during PROPOSAL)
 * @param createdAt when it was proposed
 * @param expiresAt when a pending proposal expires, or null for never
 * @param acceptedAt when it was accepted, or null
 * @param proposerStake ELO the proposer stakes, or null
 * @param acceptorStake ELO the acceptor stakes, or null
 * @param acceptorPaymentCode the payment code the acceptor gave with ACCEPT, or null
 * @param completedBy the party that completed it, or null
 * @param completionProof the proof given with COMPLETE, or null
 * @param disputedBy the party that disputed it, or null
 * @param disputeReason the reason given with DISPUTE, or null
 * @param updatedAt when it last changed (its creation while pending)
 * @param completedAt when it was completed, or null
 * @param disputedAt when it was disputed, or null
 * @param sig the proposer's signature of the PROPOSAL
 * @param responseSig the recipient's signature of its ACCEPT or REJECT, or null
 * @param completionSig the completer's signature of the COMPLETE, or null
 * @param disputeSig the disputer's signature of the DISPUTE, or null
 * @param capability the capability the deal is about (not signed), or null
 * @param expiresIn the expiry exactly as the proposer signed it (relative seconds), or null
 * @param fromPubkey the proposer's public key (PEM), or null if this server never saw it log in
 * @param toPubkey the recipient's public key (PEM), or null if this server never saw it log in
 * @param disputeSettledAt when the dispute settled, or null (not disputed, or still open)
 * @param disputeSettlement {@code unilateral} (the disputer wins) or {@code mutual} (contested:
 *     both at fault) once settled, or null
 * @param contestedBy the party that contested the dispute with its own DISPUTE, or null
 * @param contestedAt when it did, or null
 * @param contestReason the reason it gave, or null
 * @param contestSig its signature of {@code DISPUTE|id|reason}, or null
 * @param payment during COMPLETE: the payment verified before the transaction ({@link
 *     Settlement#verifyPayment}) or settled by an earlier plug-in in it, as the COMPLETE frame and
 *     a receipt carry it (members are the currency adapter's); null otherwise
 */
public record ProposalView(
    String id,
    String from,
    String to,
    String task,
    BigDecimal amount,
    String currency,
    String paymentCode,
    String terms,
    String status,
    long createdAt,
    Long expiresAt,
    Long acceptedAt,
    Long proposerStake,
    Long acceptorStake,
    String acceptorPaymentCode,
    String completedBy,
    String completionProof,
    String disputedBy,
    String disputeReason,
    long updatedAt,
    Long completedAt,
    Long disputedAt,
    String sig,
    String responseSig,
    String completionSig,
    String disputeSig,
    String capability,
    BigDecimal expiresIn,
    String fromPubkey,
    String toPubkey,
    Long disputeSettledAt,
    String disputeSettlement,
    String contestedBy,
    Long contestedAt,
    String contestReason,
    String contestSig,
    JsonNode payment) {

  /** {@link #disputeSettlement} when the disputer wins: the other party is at fault. */
  public static final String UNILATERAL = "unilateral";

  /** {@link #disputeSettlement} when the other party contested: both are at fault. */
  public static final String MUTUAL = "mutual";

  /** This view with {@link #payment} set. */
  public ProposalView withPayment(JsonNode settled) {
    return new ProposalView(
        id,
        from,
        to,
        task,
        amount,
        currency,
        paymentCode,
        terms,
        status,
        createdAt,
        expiresAt,
        acceptedAt,
        proposerStake,
        acceptorStake,
        acceptorPaymentCode,
        completedBy,
        completionProof,
        disputedBy,
        disputeReason,
        updatedAt,
        completedAt,
        disputedAt,
        sig,
        responseSig,
        completionSig,
        disputeSig,
        capability,
        expiresIn,
        fromPubkey,
        toPubkey,
        disputeSettledAt,
        disputeSettlement,
        contestedBy,
        contestedAt,
        contestReason,
        contestSig,
        settled);
  }

  /** The other party of {@code agentId}'s side of the deal. */
  public String counterpartyOf(String agentId) {
    return from.equals(agentId) ? to : from;
  }
}
