package io.agentchat.wallet.evm;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentchat.protocol.ProtocolException;
import io.agentchat.wallet.CurrencyAdapter;
import io.agentchat.wallet.CurrencySettings;
import io.agentchat.wallet.PaymentClaim;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Re-checks, against an EVM chain, the payments that receipts say their server verified: the same
 * checks the server made (payee, amount, token, the transaction not reverted), from the receipt
 * alone, trusting nothing but the chain's node. For {@code receipts verify --evm-rpc}.
 *
 * <p>Not thread-safe; {@link #close} stops the adapters it made.
 */
public final class ChainRecheck implements AutoCloseable {
  private final Vertx vertx;
  private final String rpc;
  private final Duration timeout;

  /** One started adapter per chain, currency and token, as the receipts name them. */
  private final Map<String, Future<CurrencyAdapter>> adapters = new HashMap<>();

  /**
   * @param vertx where the lookups run
   * @param rpc the chain's JSON-RPC URL
   * @param timeout the longest wait for the node per payment
   */
  public ChainRecheck(Vertx vertx, String rpc, Duration timeout) {
    this.vertx = vertx;
    this.rpc = rpc;
    this.timeout = timeout;
  }

  /**
   * Whether the chain confirms a receipt's payment.
   *
   * @param receipt a COMPLETE receipt whose {@code payment} has a {@code tx}
   * @return empty when the chain confirms it; else why not (not found, too little, another payee,
   *     the node on another chain or not answering)
   */
  public Future<Optional<String>> recheck(JsonNode receipt) {
    JsonNode payment = receipt.path("payment");
    String currency = receipt.path("currency").asText("");
    JsonNode amount = receipt.path("amount");
    String payee =
        receipt.hasNonNull("accept_payment_code")
            ? receipt.get("accept_payment_code").asText()
            : receipt.path("payment_code").asText(null);
    if (!payment.hasNonNull("tx") || !payment.hasNonNull("chain_id")) {
      return reason("its payment names no transaction and chain");
    }
    if (currency.isEmpty() || !amount.isNumber() || payee == null) {
      return reason("it names no currency, amount or payee to check the payment against");
    }
    Map<String, String> settings = new HashMap<>();
    settings.put("evm.rpc", rpc);
    settings.put("evm.chain-id", payment.get("chain_id").asText());
    settings.put("evm.timeout-ms", Long.toString(timeout.toMillis()));
    if (payment.hasNonNull("token")) {
      if (!payment.hasNonNull("decimals")) {
        return reason("its payment does not say the token's decimals");
      }
      settings.put(
          "evm.tokens",
          currency + "=" + payment.get("token").asText() + ":" + payment.get("decimals").asText());
    } else {
      settings.put("evm.native", currency);
    }
    String key =
        String.join("|", settings.get("evm.chain-id"), currency, "" + settings.get("evm.tokens"));
    BigDecimal agreed = amount.decimalValue();
    PaymentClaim claim =
        new PaymentClaim(
            receipt.path("proposal_id").asText(),
            currency,
            agreed,
            payee,
            payment.get("tx").asText());
    return adapters
        .computeIfAbsent(key, k -> start(settings))
        .compose(adapter -> adapter.verify(claim))
        .map(evidence -> Optional.<String>empty())
        .recover(
            e ->
                Future.succeededFuture(
                    Optional.of(e instanceof ProtocolException ? e.getMessage() : describe(e))));
  }

  private Future<CurrencyAdapter> start(Map<String, String> settings) {
    Optional<CurrencyAdapter> made;
    try {
      made = new EvmAdapterProvider().create(new CurrencySettings(vertx, settings));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    if (made.isEmpty()) {
      return Future.failedFuture(new IllegalStateException("no EVM adapter for " + settings));
    }
    CurrencyAdapter adapter = made.get();
    return adapter.start(null).map(adapter);
  }

  private static String describe(Throwable e) {
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }

  private static Future<Optional<String>> reason(String why) {
    return Future.succeededFuture(Optional.of(why));
  }

  @Override
  public void close() {
    for (Future<CurrencyAdapter> a : adapters.values()) {
      if (a.succeeded()) {
        a.result().stop().await();
      }
    }
  }
}
