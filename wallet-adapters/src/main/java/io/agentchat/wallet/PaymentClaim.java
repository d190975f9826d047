package io.agentchat.wallet;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * What a COMPLETE claims was paid, for an on-chain adapter to verify.
 *
 * @param proposalId the deal
 * @param currency the proposal's currency code
 * @param amount the proposal's amount: the least the payment must carry
 * @param payee who must have been paid: the acceptor's payment code from ACCEPT, else the
 *     proposal's
 * @param proof the COMPLETE's proof (a transaction hash)
 */
public record PaymentClaim(
    String proposalId, String currency, BigDecimal amount, String payee, String proof) {
  public PaymentClaim {
    Objects.requireNonNull(proposalId, "proposalId");
    Objects.requireNonNull(currency, "currency");
    Objects.requireNonNull(amount, "amount");
  }
}
