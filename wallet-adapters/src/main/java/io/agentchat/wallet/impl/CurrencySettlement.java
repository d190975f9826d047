package io.agentchat.wallet.impl;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentchat.marketplace.spi.ProposalView;
import io.agentchat.marketplace.spi.ReleaseReason;
import io.agentchat.marketplace.spi.Schema;
import io.agentchat.marketplace.spi.Settlement;
import io.agentchat.marketplace.spi.SettlementContext;
import io.agentchat.marketplace.spi.SettlementOutcome;
import io.agentchat.protocol.ErrorCode;
import io.agentchat.protocol.ProtocolException;
import io.agentchat.wallet.CurrencyAdapter;
import io.agentchat.wallet.PaymentClaim;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The settlement plug-in through which currency adapters take part in proposal verbs: PROPOSAL and
 * ACCEPT terms checked by the currency's adapter, a ledger's amount held at ACCEPT, paid at
 * COMPLETE and given back when a deal ends unpaid, and an on-chain payment verified before the
 * COMPLETE's transaction and claimed in it, so that one transaction never pays two deals.
 */
public final class CurrencySettlement implements Settlement {
  /** The most a payment check may take, whatever the adapter's own bound. */
  static final long VERIFY_LIMIT_MS = 30_000;

  private static final String CLAIM =
      "INSERT INTO wallet_payments (payment_key, proposal_id, currency, evidence, claimed_at)"
          + " VALUES ($1, $2, $3, $4::jsonb, $5)";
  private static final String CLAIMED_BY =
      "SELECT proposal_id FROM wallet_payments WHERE payment_key = $1";

  private final CurrencyRegistry registry;

  public CurrencySettlement(CurrencyRegistry registry) {
    this.registry = registry;
  }

  @Override
  public String name() {
    return "currencies";
  }

  @Override
  public Optional<Schema> schema() {
    return Optional.of(Schema.of("wallet"));
  }

  @Override
  public Future<Void> start(SettlementContext context) {
    registry.pool(context.pool());
    Future<Void> chain = Future.succeededFuture();
    for (CurrencyAdapter a : registry.adapters()) {
      chain = chain.compose(v -> a.start(context.pool()));
    }
    return chain;
  }

  @Override
  public Future<Void> stop() {
    Future<Void> chain = Future.succeededFuture();
    for (CurrencyAdapter a : registry.adapters()) {
      chain = chain.eventually(a::stop);
    }
    return chain.otherwiseEmpty();
  }

  @Override
  public Future<Void> checkTerms(ProposalView p, SqlConnection tx) {
    if (p.currency() == null) {
      return Future.succeededFuture(); // a label-free proposal, as in the reference
    }
    CurrencyAdapter a = registry.find(p.currency()).orElse(null);
    if (a == null) {
      return refuseIf(Optional.of(registry.notServed(p.currency())));
    }
    return refuseIf(
        a.checkAmount(p.currency(), p.amount())
            .or(() -> paymentCode(a, p.currency(), p.paymentCode())));
  }

  @Override
  public Future<Void> accept(ProposalView p, SqlConnection tx) {
    if (p.currency() == null) {
      return Future.succeededFuture();
    }
    CurrencyAdapter a = registry.find(p.currency()).orElse(null);
    if (a == null) {
      return refuseIf(Optional.of(registry.notServed(p.currency())));
    }
    Optional<String> refused = paymentCode(a, p.currency(), p.acceptorPaymentCode());
    if (refused.isEmpty() && a.onChain() && payee(p) == null) {
      refused =
          Optional.of(
              "a deal in "
                  + p.currency()
                  + " is paid on chain: give your address as payment_code with ACCEPT");
    }
    if (refused.isPresent()) {
      return refuseIf(refused);
    }
    return a.onChain() ? Future.succeededFuture() : a.hold(p, tx);
  }

  @Override
  public boolean verifiesPayments() {
    return registry.adapters().stream().anyMatch(CurrencyAdapter::onChain);
  }

  @Override
  public Future<JsonNode> verifyPayment(ProposalView p, String proof) {
    CurrencyAdapter a = onChainAdapter(p);
    if (a == null) {
      return Future.succeededFuture(null);
    }
    if (proof == null || proof.isBlank()) {
      return Future.failedFuture(
          CurrencyAdapter.notVerified(
              "a deal in "
                  + p.currency()
                  + " completes with the payment's transaction hash as proof"));
    }
    PaymentClaim claim = new PaymentClaim(p.id(), p.currency(), p.amount(), payee(p), proof.trim());
    return a.verify(claim)
        .timeout(VERIFY_LIMIT_MS, TimeUnit.MILLISECONDS)
        .recover(
            failed ->
                Future.failedFuture(
                    failed instanceof ProtocolException
                        ? failed
                        : CurrencyAdapter.notVerified(
                            "the payment could not be checked: " + failed.getMessage())))
        .map(evidence -> (JsonNode) evidence);
  }

  @Override
  public Future<SettlementOutcome> complete(ProposalView p, SqlConnection tx) {
    if (p.currency() == null) {
      return Future.succeededFuture(SettlementOutcome.NONE);
    }
    CurrencyAdapter a = registry.find(p.currency()).orElse(null);
    if (a == null) {
      // Proposed while an adapter served it, since removed: nothing to settle it with.
      return Future.failedFuture(
          CurrencyAdapter.notVerified("this server no longer serves " + p.currency()));
    }
    if (!a.onChain()) {
      return a.settle(p, tx).map(paid -> new SettlementOutcome(null, paid, List.of()));
    }
    if (p.payment() == null) {
      return Future.failedFuture(
          CurrencyAdapter.notVerified("the payment was not verified; complete it again"));
    }
    // The COMPLETE already carries the payment verified before the transaction: claim it, add
    // nothing.
    return claim(p, p.payment(), tx).map(SettlementOutcome.NONE);
  }

  @Override
  public Future<SettlementOutcome> dispute(ProposalView p, SqlConnection tx) {
    return ledger(p, a -> a.release(p, tx)).map(SettlementOutcome.NONE);
  }

  @Override
  public Future<Void> release(ProposalView p, ReleaseReason reason, SqlConnection tx) {
    return ledger(p, a -> a.release(p, tx));
  }

  /** One chain transaction pays one deal: a second claim of it is refused with the first's id. */
  private Future<Void> claim(ProposalView p, JsonNode evidence, SqlConnection tx) {
    String key = paymentKey(evidence);
    if (key == null) {
      return Future.failedFuture(
          new IllegalStateException("payment evidence without tx: " + evidence));
    }
    return tx.preparedQuery(CLAIM)
        .execute(
            Tuple.of(key, p.id(), p.currency(), evidence.toString(), System.currentTimeMillis()))
        .<Void>mapEmpty()
        .recover(
            failed -> {
              if (failed instanceof PgException pg && "23505".equals(pg.getSqlState())) {
                return alreadyUsed(key, evidence);
              }
              return Future.failedFuture(failed);
            });
  }

  private Future<Void> alreadyUsed(String key, JsonNode evidence) {
    // The verb's transaction is aborted by the violation: ask outside it who holds the claim.
    return registry
        .pool()
        .preparedQuery(CLAIMED_BY)
        .execute(Tuple.of(key))
        .transform(
            read -> {
              String by =
                  read.succeeded() && read.result().size() > 0
                      ? " already paid proposal " + read.result().iterator().next().getString(0)
                      : " already paid another proposal";
              return Future.failedFuture(
                  CurrencyAdapter.notVerified("transaction " + evidence.path("tx").asText() + by));
            });
  }

  /** {@code <chain_id>:<tx>}: what makes an on-chain payment single-use. */
  static String paymentKey(JsonNode evidence) {
    String tx = evidence.path("tx").asText("");
    if (tx.isEmpty()) {
      return null;
    }
    JsonNode chain = evidence.path("chain_id");
    return (chain.isMissingNode() || chain.isNull() ? "" : chain.asText())
        + ":"
        + tx.toLowerCase(Locale.ROOT);
  }

  private Future<Void> ledger(ProposalView p, Function<CurrencyAdapter, Future<Void>> step) {
    if (p.currency() == null) {
      return Future.succeededFuture();
    }
    return registry
        .find(p.currency())
        .filter(a -> !a.onChain())
        .map(step)
        .orElse(Future.succeededFuture());
  }

  private CurrencyAdapter onChainAdapter(ProposalView p) {
    if (p.currency() == null) {
      return null;
    }
    return registry.find(p.currency()).filter(CurrencyAdapter::onChain).orElse(null);
  }

  /** Who an on-chain deal pays: the acceptor's payment code from ACCEPT, else the proposal's. */
  private static String payee(ProposalView p) {
    return p.acceptorPaymentCode() != null ? p.acceptorPaymentCode() : p.paymentCode();
  }

  private Future<Void> refuseIf(Optional<String> reason) {
    return reason
        .map(r -> Future.<Void>failedFuture(new ProtocolException(ErrorCode.INVALID_PROPOSAL, r)))
        .orElse(Future.succeededFuture());
  }

  private static Optional<String> paymentCode(CurrencyAdapter a, String code, String paymentCode) {
    return paymentCode == null ? Optional.empty() : a.checkPaymentCode(code, paymentCode);
  }
}
