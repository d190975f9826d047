package io.agentchat.marketplace.spi;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.util.Optional;

/**
 * A plug-in that takes part in proposal verbs: reputation (ratings, stakes, receipts), currencies
 * (balances, payments). The marketplace calls it inside the verb's database transaction, on the
 * transaction's own connection, after the proposal's status change and before the commit: whatever
 * the plug-in writes on that connection commits or rolls back together with the change. To refuse a
 * verb, fail the future with an {@link io.agentchat.protocol.ProtocolException}: the transaction
 * rolls back and the agent gets an ERROR with its code and message. Any other failure rolls back
 * too and the agent is told the marketplace is unavailable.
 *
 * <p>Methods run on a Vert.x event loop: they must not block (use the connection's async API, and
 * {@code executeBlocking} for anything else). Every method has a default that does nothing, so a
 * plug-in implements only the verbs it cares about. Plug-ins are called one after another, in the
 * order the server assembly lists them, on the same connection.
 */
public interface Settlement {

  /** A short name for logs and health reports ({@code reputation}, {@code currencies}). */
  String name();

  /**
   * The tables this plug-in keeps in the shared database, migrated before {@link #start}; empty
   * when it keeps none.
   */
  default Optional<Schema> schema() {
    return Optional.empty();
  }

  /**
   * Called once when the marketplace starts, before it answers any frame.
   *
   * @return a future completed when the plug-in is ready; a failure fails the marketplace's start
   */
  default Future<Void> start(SettlementContext context) {
    return Future.succeededFuture();
  }

  /** Called once when the marketplace stops, after it stopped answering frames. */
  default Future<Void> stop() {
    return Future.succeededFuture();
  }

  /**
   * PROPOSAL: checks the terms (amount, currency, payment code, stake) before the proposal is
   * stored.
   *
   * @param proposal the proposal about to be stored, status {@code pending}
   * @param tx the verb's transaction
   */
  default Future<Void> checkTerms(ProposalView proposal, SqlConnection tx) {
    return Future.succeededFuture();
  }

  /**
   * ACCEPT: locks what the deal needs (stakes, balances) or refuses.
   *
   * @param proposal the proposal as accepted
   * @param tx the verb's transaction
   */
  default Future<Void> accept(ProposalView proposal, SqlConnection tx) {
    return Future.succeededFuture();
  }

  /**
   * COMPLETE, before its transaction: verifies the payment the deal names (a chain lookup may take
   * seconds, which must not hold the deal's locks). Runs on an event loop like every method: look
   * things up asynchronously or on a worker, and bound the time taken. The proposal may still
   * change before the transaction: {@link #complete} gets it again, with what this returned in
   * {@link ProposalView#payment}, and must claim anything single-use (a transaction hash) there.
   *
   * @param proposal the proposal as accepted, before the COMPLETE applies
   * @param proof the proof the COMPLETE carries, or null
   * @return the payment as the COMPLETE frame and the receipt will carry it, or null when this
   *     plug-in has no payment to verify; fail with a {@link
   *     io.agentchat.protocol.ProtocolException} ({@code PAYMENT_NOT_VERIFIED}) to refuse the
   *     COMPLETE, which leaves the deal accepted
   */
  default Future<JsonNode> verifyPayment(ProposalView proposal, String proof) {
    return Future.succeededFuture(null);
  }

  /**
   * Whether {@link #verifyPayment} does anything: when no plug-in does, a COMPLETE goes straight to
   * its transaction, without reading the proposal first.
   */
  default boolean verifiesPayments() {
    return false;
  }

  /**
   * COMPLETE: settles the deal (moves ratings, returns stakes, pays).
   *
   * @param proposal the proposal as completed ({@link ProposalView#completedBy()} set), with the
   *     payment verified or settled so far
   * @param tx the verb's transaction
   * @return what the COMPLETE frame carries and the standings that moved; a plug-in that settles a
   *     payment in the transaction (a ledger transfer) returns it as {@code payment}, and the
   *     plug-ins after it see it in {@link ProposalView#payment}; a payment verified before the
   *     transaction is in the frame already and must not be returned again
   */
  default Future<SettlementOutcome> complete(ProposalView proposal, SqlConnection tx) {
    return Future.succeededFuture(SettlementOutcome.NONE);
  }

  /**
   * A dispute settles: at once when the server has no contest window, when the other party contests
   * it ({@link ProposalView#MUTUAL}), or when its window closes uncontested ({@link
   * ProposalView#UNILATERAL}, in the dispute sweep's transaction). Filing a dispute with a window
   * open calls nothing: whatever {@link #accept} locked stays locked until this call.
   *
   * @param proposal the proposal as settled ({@link ProposalView#disputedBy()} and {@link
   *     ProposalView#disputeSettlement()} set)
   * @param tx the verb's transaction
   * @return what the DISPUTE frame carries and the standings that moved
   */
  default Future<SettlementOutcome> dispute(ProposalView proposal, SqlConnection tx) {
    return Future.succeededFuture(SettlementOutcome.NONE);
  }

  /**
   * REJECT, expiry, or an accepted deal's lapse: gives back whatever {@link #accept} or {@link
   * #checkTerms} locked.
   *
   * @param proposal the proposal as it ends
   * @param reason why it ends unsettled
   * @param tx the transaction that ends it
   */
  default Future<Void> release(ProposalView proposal, ReleaseReason reason, SqlConnection tx) {
    return Future.succeededFuture();
  }
}
