package io.agentchat.marketplace.store;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * What a PROPOSAL frame stores: a new pending proposal. Ids are bare agent ids (no {@code @}),
 * times are epoch milliseconds.
 *
 * @param id proposal id ({@code prop_…})
 * @param fromAgent proposer
 * @param toAgent recipient
 * @param task what is proposed
 * @param amount offered amount, or null
 * @param currency currency of the amount, or null
 * @param paymentCode proposer's payment code, or null
 * @param terms free text, or null
 * @param expiresAt absolute expiry, or null for never
 * @param createdAt creation time; also the first {@code updated_at}
 * @param sig proposer's signature
 * @param proposerStake ELO staked by the proposer, or null
 * @param signedDigest sha256 hex of {@code from|signing string}: identical signed proposals share
 *     it, and only one of them may be open
 * @param capability the capability the deal is about (unsigned), or null
 * @param expiresIn the expiry exactly as signed (relative seconds), or null
 */
public record NewProposal(
    String id,
    String fromAgent,
    String toAgent,
    String task,
    BigDecimal amount,
    String currency,
    String paymentCode,
    String terms,
    Long expiresAt,
    long createdAt,
    String sig,
    Long proposerStake,
    String signedDigest,
    String capability,
    BigDecimal expiresIn) {

  public NewProposal {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(fromAgent, "fromAgent");
    Objects.requireNonNull(toAgent, "toAgent");
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(sig, "sig");
    Objects.requireNonNull(signedDigest, "signedDigest");
  }
}
