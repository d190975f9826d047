package io.agentchat.wallet;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentchat.marketplace.spi.ProposalView;
import io.agentchat.protocol.ErrorCode;
import io.agentchat.protocol.ProtocolException;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One kind of currency the server accepts in proposals: the TEST ledger, native coins and tokens on
 * an EVM chain, or a third party's. Found through a {@link CurrencyAdapterProvider}.
 *
 * <p>Every method runs on a Vert.x event loop and must not block: look things up through async APIs
 * or {@code executeBlocking}, and bound the time a remote lookup may take. Refusals are plain
 * reasons a person can act on ("USDC has 6 decimals; 1.0000001 has 7").
 *
 * <p>There are two kinds. An <b>on-chain</b> adapter ({@link #onChain}) verifies a proof (a
 * transaction hash) that the payer paid the payee, before the COMPLETE's transaction; the server
 * then makes sure no proof pays two deals. A <b>ledger</b> adapter keeps balances in the shared
 * database and moves them inside the verbs' transactions ({@link #hold}, {@link #settle}, {@link
 * #release}).
 */
public interface CurrencyAdapter {

  /**
   * A payment that does not pay the deal, or could not be checked: the COMPLETE gets {@code ERROR
   * PAYMENT_NOT_VERIFIED} with this reason, and the deal stays accepted so it can be retried.
   */
  static ProtocolException notVerified(String reason) {
    return new ProtocolException(ErrorCode.PAYMENT_NOT_VERIFIED, reason);
  }

  /** A short name for logs and {@code GET /v1/currencies} ({@code test-ledger}, {@code evm}). */
  String name();

  /** The currency codes it serves, upper-case ({@code TEST}; {@code ETH}, {@code USDC}). */
  Set<String> codes();

  /** Whether a COMPLETE must carry a proof this adapter verifies with {@link #verify}. */
  boolean onChain();

  /**
   * What {@code GET /v1/currencies} shows of it: at least {@code name}, {@code codes} and {@code
   * kind} ({@code ledger} or {@code on-chain}); the chain id, tokens and decimals where they apply.
   */
  ObjectNode describe();

  /**
   * Checks an amount named in a proposal: positive, exact, within the currency's precision.
   *
   * @param code one of {@link #codes}
   * @param amount the amount as the proposal names it
   * @return the reason it is refused, or empty
   */
  Optional<String> checkAmount(String code, BigDecimal amount);

  /**
   * Checks a payment code (the payee's address) named in a PROPOSAL or an ACCEPT: its format and
   * checksum.
   *
   * @param code one of {@link #codes}
   * @param paymentCode the payment code as given
   * @return the reason it is refused, or empty
   */
  Optional<String> checkPaymentCode(String code, String paymentCode);

  /**
   * Called once when the marketplace starts.
   *
   * @param pool the shared database, for work outside a verb (a ledger of a third party creates its
   *     tables here)
   */
  default Future<Void> start(Pool pool) {
    return Future.succeededFuture();
  }

  /** Called once when the marketplace stops. */
  default Future<Void> stop() {
    return Future.succeededFuture();
  }

  /**
   * On-chain: verifies that a payment proof pays the deal. The server then refuses a second deal
   * paid by the same transaction: the evidence must name it by {@code tx} (and {@code chain_id}
   * where there is one).
   *
   * @return the evidence of the verified payment, which the COMPLETE frame and the receipt carry as
   *     {@code payment}: {@code currency}, {@code amount} (a decimal string), {@code tx}, {@code
   *     chain_id}, {@code verified_at}, {@code confirmations}, and whatever else lets anyone
   *     re-check it; fails with a {@link #notVerified} saying why it is not (not found, wrong
   *     payee, too little, wrong token, not yet confirmed, the chain did not answer in time)
   */
  default Future<ObjectNode> verify(PaymentClaim claim) {
    return Future.failedFuture(notVerified(name() + " does not verify payment proofs"));
  }

  /**
   * Ledger, ACCEPT: holds the deal's amount from the payer, in the verb's transaction.
   *
   * @return fails with a {@link io.agentchat.protocol.ProtocolException} to refuse the ACCEPT
   */
  default Future<Void> hold(ProposalView proposal, SqlConnection tx) {
    return Future.succeededFuture();
  }

  /**
   * Ledger, COMPLETE: moves the amount from payer to payee, in the verb's transaction.
   *
   * @return the payment as the COMPLETE frame and the receipt carry it; fails with a {@link
   *     PaymentNotVerified} when the payer can no longer cover it (its hold was released)
   */
  default Future<ObjectNode> settle(ProposalView proposal, SqlConnection tx) {
    return Future.succeededFuture(null);
  }

  /**
   * Ledger: gives a held amount back to the payer (REJECT, expiry, a lapsed deal, a dispute), in
   * the transaction that ends the deal. Nothing held is nothing to do.
   */
  default Future<Void> release(ProposalView proposal, SqlConnection tx) {
    return Future.succeededFuture();
  }

  /**
   * Ledger: an agent's balances, for {@code GET /v1/agents/{id}/balances}; empty for on-chain
   * adapters, whose balances live on the chain.
   *
   * @param agentId a bare agent id
   */
  default Future<List<Balance>> balances(String agentId) {
    return Future.succeededFuture(List.of());
  }
}
