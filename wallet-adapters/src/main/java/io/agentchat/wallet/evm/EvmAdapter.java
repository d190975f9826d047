package io.agentchat.wallet.evm;

import static io.agentchat.wallet.CurrencyAdapter.notVerified;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentchat.protocol.ProtocolException;
import io.agentchat.wallet.CurrencyAdapter;
import io.agentchat.wallet.PaymentClaim;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.ConnectException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.response.Transaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;

/**
 * Payments in an EVM chain's native coin and ERC-20 tokens, verified by reading the transaction,
 * its receipt and its logs over the chain's JSON-RPC.
 *
 * <p>A proof is a transaction hash. It pays a deal when the transaction succeeded, paid the payee
 * at least the deal's amount (a plain transfer for the native coin; Transfer events of the
 * configured contract for a token) and has the configured confirmations. Only direct payments
 * count: ETH moved by a contract call (an internal transaction) is not seen.
 *
 * <p>RPC calls run on a small worker pool of their own, never on an event loop, each bounded by
 * {@code evm.timeout-ms} in OkHttp and the whole check bounded by it again on the Vert.x side, so a
 * slow or dead node gives a refusal in bounded time. Thread-safe.
 */
public final class EvmAdapter implements CurrencyAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(EvmAdapter.class);
  private static final Pattern TX_HASH = Pattern.compile("0x[0-9a-fA-F]{64}");
  private static final String NOT_FOUND =
      "transaction %s not found on chain %d (not mined yet, or sent to another chain)";

  /** Concurrent RPC lookups; more wait their turn, within their own timeout. */
  private static final int RPC_THREADS = 4;

  private final EvmSettings settings;
  private final Map<String, EvmCurrency> currencies;
  private final OkHttpClient http;
  private final Web3j web3j;
  private final WorkerExecutor rpcWorkers;

  EvmAdapter(Vertx vertx, EvmSettings settings) {
    this.settings = settings;
    Map<String, EvmCurrency> byCode = new LinkedHashMap<>();
    byCode.put(settings.nativeCoin().code(), settings.nativeCoin());
    settings.tokens().forEach(t -> byCode.put(t.code(), t));
    this.currencies = Collections.unmodifiableMap(byCode);
    long timeoutMs = settings.timeout().toMillis();
    this.http =
        new OkHttpClient.Builder()
            .connectTimeout(timeoutMs, TimeUnit.MILLISECONDS)
            .readTimeout(timeoutMs, TimeUnit.MILLISECONDS)
            .writeTimeout(timeoutMs, TimeUnit.MILLISECONDS)
            .callTimeout(timeoutMs, TimeUnit.MILLISECONDS)
            .build();
    this.web3j = Web3j.build(new HttpService(settings.rpc().toString(), http));
    // A check makes three calls; the pool's limit only silences Vert.x's blocked-thread warning.
    this.rpcWorkers =
        vertx.createSharedWorkerExecutor(
            "agentchat-evm-rpc", RPC_THREADS, 4 * timeoutMs, TimeUnit.MILLISECONDS);
  }

  @Override
  public String name() {
    return "evm";
  }

  /** The native coin's code first, then the tokens' in the order configured. */
  @Override
  public Set<String> codes() {
    return currencies.keySet();
  }

  @Override
  public boolean onChain() {
    return true;
  }

  @Override
  public ObjectNode describe() {
    JsonNodeFactory json = JsonNodeFactory.instance;
    ObjectNode out =
        json.objectNode().put("name", name()).put("kind", "on-chain").put("chain_id", chainId());
    ArrayNode codes = out.putArray("codes");
    currencies.keySet().forEach(codes::add);
    out.putObject("native")
        .put("code", settings.nativeCoin().code())
        .put("decimals", settings.nativeCoin().decimals());
    ArrayNode tokens = out.putArray("tokens");
    for (EvmCurrency token : settings.tokens()) {
      tokens
          .addObject()
          .put("code", token.code())
          .put("address", EvmAddress.checksummed(token.contract()))
          .put("decimals", token.decimals());
    }
    return out.put("confirmations", settings.confirmations());
  }

  @Override
  public Optional<String> checkAmount(String code, BigDecimal amount) {
    EvmCurrency currency = currencies.get(code);
    if (currency == null) {
      return Optional.of(notServed(code));
    }
    return BaseUnits.problem(currency.code(), currency.decimals(), amount);
  }

  @Override
  public Optional<String> checkPaymentCode(String code, String paymentCode) {
    if (!currencies.containsKey(code)) {
      return Optional.of(notServed(code));
    }
    return EvmAddress.problem(paymentCode).map(p -> "payment_code: " + p);
  }

  /**
   * Checks that the node serves the configured chain: a wrong {@code evm.chain-id} would make every
   * evidence name the wrong chain.
   *
   * @return fails with a message naming {@code evm.rpc} or {@code evm.chain-id} when the node does
   *     not answer or serves another chain
   */
  @Override
  public Future<Void> start(Pool pool) {
    return rpc(() -> answered(web3j.ethChainId()).getChainId())
        .timeout(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)
        .recover(
            e ->
                Future.failedFuture(
                    new IllegalStateException(
                        "%s: cannot check the chain id: %s".formatted(EvmSettings.RPC, reason(e)),
                        e)))
        .compose(
            actual ->
                actual.equals(BigInteger.valueOf(chainId()))
                    ? Future.<Void>succeededFuture()
                    : Future.failedFuture(
                        new IllegalStateException(
                            "%s is %d but the node at %s serves chain %s"
                                .formatted(
                                    EvmSettings.CHAIN_ID, chainId(), EvmSettings.RPC, actual))));
  }

  @Override
  public Future<Void> stop() {
    web3j.shutdown();
    http.connectionPool().evictAll();
    return rpcWorkers.close();
  }

  /**
   * Reads the transaction named by the claim's proof and checks it pays the claim.
   *
   * @return the evidence: {@code currency}, {@code amount}, {@code paid}, {@code tx} (lower case),
   *     {@code chain_id}, {@code block}, {@code confirmations}, {@code payee}, {@code payer},
   *     {@code token} (tokens only) and {@code verified_at}; fails with PAYMENT_NOT_VERIFIED and
   *     the reason otherwise, within {@code evm.timeout-ms}
   */
  @Override
  public Future<ObjectNode> verify(PaymentClaim claim) {
    PaymentCheck check;
    String hash;
    try {
      check = checkFor(claim);
      hash = transactionHash(claim.proof());
    } catch (ProtocolException e) {
      return Future.failedFuture(e);
    }
    long timeoutMs = settings.timeout().toMillis();
    return rpc(() -> evidence(check, hash))
        .timeout(timeoutMs, TimeUnit.MILLISECONDS)
        .recover(e -> Future.failedFuture(notVerified(reason(e))));
  }

  private PaymentCheck checkFor(PaymentClaim claim) {
    EvmCurrency currency = currencies.get(claim.currency());
    if (currency == null) {
      throw notVerified(notServed(claim.currency()));
    }
    BaseUnits.problem(currency.code(), currency.decimals(), claim.amount())
        .ifPresent(
            p -> {
              throw notVerified(p);
            });
    if (claim.payee() == null) {
      throw notVerified("the deal names no payee address (payment_code) to check the payment by");
    }
    EvmAddress.problem(claim.payee())
        .ifPresent(
            p -> {
              throw notVerified("the payee's " + p);
            });
    return new PaymentCheck(
        chainId(),
        currency,
        EvmAddress.lower(claim.payee()),
        claim.amount(),
        BaseUnits.of(claim.amount(), currency.decimals()),
        settings.confirmations());
  }

  private static String transactionHash(String proof) {
    if (proof == null || !TX_HASH.matcher(proof).matches()) {
      throw notVerified(
          "the proof must be a transaction hash, 0x and 64 hex digits, not \""
              + Quoted.shortened(proof)
              + "\"");
    }
    return proof.toLowerCase(Locale.ROOT);
  }

  /** Runs on an RPC worker: blocking calls, each bounded by OkHttp's call timeout. */
  private ObjectNode evidence(PaymentCheck check, String hash) throws IOException {
    TransactionReceipt receipt =
        answered(web3j.ethGetTransactionReceipt(hash))
            .getTransactionReceipt()
            .orElseThrow(() -> notVerified(NOT_FOUND.formatted(hash, chainId())));
    if (!hash.equalsIgnoreCase(receipt.getTransactionHash())) {
      throw notVerified("the chain's RPC answered with the receipt of another transaction");
    }
    Transaction tx =
        answered(web3j.ethGetTransactionByHash(hash))
            .getTransaction()
            .orElseThrow(
                () ->
                    notVerified("transaction %s has a receipt but no transaction".formatted(hash)));
    BigInteger latest = answered(web3j.ethBlockNumber()).getBlockNumber();
    return check.evidence(hash, tx, receipt, latest, System.currentTimeMillis());
  }

  private static <T extends Response<?>> T answered(Request<?, T> request) throws IOException {
    T response = request.send();
    if (response.hasError()) {
      throw notVerified(
          "the chain's RPC refused "
              + request.getMethod()
              + ": "
              + Quoted.shortened(response.getError().getMessage()));
    }
    return response;
  }

  private <T> Future<T> rpc(Callable<T> call) {
    return rpcWorkers.executeBlocking(call, false);
  }

  /** A refusal a user can act on, for any way an RPC lookup can fail. */
  private String reason(Throwable e) {
    if (e instanceof ProtocolException p) {
      return p.getMessage();
    }
    if (e instanceof TimeoutException || e instanceof InterruptedIOException) {
      return "the chain's RPC did not answer within " + seconds(settings.timeout().toMillis());
    }
    if (e instanceof ConnectException) {
      return "the chain's RPC could not be reached (connection refused)";
    }
    if (e instanceof IOException) {
      return "the chain's RPC failed: " + Quoted.shortened(String.valueOf(e.getMessage()));
    }
    LOG.warn("The chain's RPC gave an answer the EVM adapter could not read", e);
    return "the chain's RPC gave an answer that could not be read";
  }

  private static String seconds(long ms) {
    return BaseUnits.plain(BigDecimal.valueOf(ms, 3)) + " s";
  }

  private String notServed(String code) {
    return "the evm adapter serves " + String.join(", ", currencies.keySet()) + ", not " + code;
  }

  private long chainId() {
    return settings.chainId();
  }
}
