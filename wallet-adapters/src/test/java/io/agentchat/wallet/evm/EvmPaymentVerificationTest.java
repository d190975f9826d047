package io.agentchat.wallet.evm;

import static io.agentchat.wallet.evm.LocalChain.PAYEE;
import static io.agentchat.wallet.evm.LocalChain.PAYER;
import static io.agentchat.wallet.evm.LocalChain.STRANGER;
import static io.agentchat.wallet.evm.LocalChain.TOKENLESS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentchat.protocol.ErrorCode;
import io.agentchat.protocol.ProtocolException;
import io.agentchat.wallet.CurrencyAdapter;
import io.agentchat.wallet.CurrencySettings;
import io.agentchat.wallet.PaymentClaim;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Convert;

/**
 * The EVM adapter against a real local chain (hardhat node) with a real ERC-20 compiled by solc:
 * which transactions pay a deal, and the reason each of the others is refused.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class EvmPaymentVerificationTest {
  private static final BigInteger MILLION_USDC = BigInteger.valueOf(1_000_000_000_000L);

  private static LocalChain chain;
  private static String usdc;
  private static String other;
  private static CurrencyAdapter adapter;
  private static Vertx vertx;

  @BeforeAll
  static void startChain(Vertx v) throws Exception {
    vertx = v;
    // solc and the node start in parallel: each takes a few seconds of one CPU.
    CompletableFuture<String> compiled = LocalChain.compileAsync("TestToken");
    chain = LocalChain.start();
    String bytecode = compiled.get(2, TimeUnit.MINUTES);
    usdc = chain.deployToken(bytecode, "USD Coin", "USDC", 6, MILLION_USDC);
    other = chain.deployToken(bytecode, "Other Coin", "OTHER", 6, MILLION_USDC);
    adapter = adapter(Map.of());
    adapter.start(null).await(30, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stopChain() throws Exception {
    if (adapter != null) {
      adapter.stop().await(30, TimeUnit.SECONDS);
    }
    if (chain != null) {
      chain.close();
    }
  }

  @Test
  void anEthPaymentToThePayeeOfAtLeastTheAmountVerifies() throws Exception {
    TransactionReceipt paid =
        chain.sendEth(
            PAYER, payee(), Convert.toWei("1.25", Convert.Unit.ETHER).toBigIntegerExact());

    ObjectNode evidence = verified(adapter, claim("ETH", "1.25", paid));

    assertEquals("ETH", evidence.get("currency").asText());
    assertEquals("1.25", evidence.get("amount").asText());
    assertEquals("1.25", evidence.get("paid").asText());
    assertEquals(paid.getTransactionHash().toLowerCase(Locale.ROOT), evidence.get("tx").asText());
    assertEquals(LocalChain.CHAIN_ID, evidence.get("chain_id").asLong());
    assertTrue(evidence.get("chain_id").isIntegralNumber());
    assertEquals(paid.getBlockNumber().longValueExact(), evidence.get("block").asLong());
    assertEquals(1, evidence.get("confirmations").asLong());
    assertEquals(EvmAddress.checksummed(payee()), evidence.get("payee").asText());
    assertEquals(EvmAddress.checksummed(PAYER.getAddress()), evidence.get("payer").asText());
    assertFalse(evidence.has("token"));
    assertTrue(evidence.get("verified_at").asLong() > 0);
  }

  @Test
  void anEip1559EthPaymentVerifiesLikeALegacyOne() throws Exception {
    TransactionReceipt paid = chain.sendEthEip1559(PAYER, payee(), wei("0.3"));

    ObjectNode evidence = verified(adapter, claim("ETH", "0.3", paid));

    assertEquals("0.3", evidence.get("paid").asText());
  }

  @Test
  void aUsdcPaymentWithSixDecimalsVerifiesByItsTransferEvent() throws Exception {
    TransactionReceipt paid = chain.sendToken(PAYER, usdc, payee(), BigInteger.valueOf(1_500_000));

    ObjectNode evidence = verified(adapter, claim("USDC", "1.5", paid));

    assertEquals("USDC", evidence.get("currency").asText());
    assertEquals("1.5", evidence.get("paid").asText());
    assertEquals(EvmAddress.checksummed(usdc), evidence.get("token").asText());
    assertEquals(EvmAddress.checksummed(PAYER.getAddress()), evidence.get("payer").asText());
  }

  @Test
  void aPaymentOfMoreThanTheAmountVerifiesAndSaysWhatWasPaid() throws Exception {
    TransactionReceipt paid = chain.sendToken(PAYER, usdc, payee(), BigInteger.valueOf(2_000_001));

    ObjectNode evidence = verified(adapter, claim("USDC", "2", paid));

    assertEquals("2", evidence.get("amount").asText());
    assertEquals("2.000001", evidence.get("paid").asText());
  }

  @Test
  void anEthPaymentToSomeoneElseIsRefused() throws Exception {
    TransactionReceipt paid = chain.sendEth(PAYER, STRANGER.getAddress(), wei("1"));

    String reason = refused(adapter, claim("ETH", "1", paid));

    assertTrue(reason.contains("not the payee " + EvmAddress.checksummed(payee())), reason);
  }

  @Test
  void aTokenPaymentToSomeoneElseIsRefused() throws Exception {
    TransactionReceipt paid =
        chain.sendToken(PAYER, usdc, STRANGER.getAddress(), BigInteger.valueOf(1_000_000));

    String reason = refused(adapter, claim("USDC", "1", paid));

    assertTrue(reason.contains("not the payee"), reason);
  }

  @Test
  void anEthPaymentShortOfTheAmountIsRefused() throws Exception {
    TransactionReceipt paid = chain.sendEth(PAYER, payee(), wei("1").subtract(BigInteger.ONE));

    String reason = refused(adapter, claim("ETH", "1", paid));

    assertTrue(
        reason.contains("pays 0.999999999999999999 ETH, less than the 1 ETH agreed"), reason);
  }

  @Test
  void aTokenPaymentShortByOneBaseUnitIsRefused() throws Exception {
    TransactionReceipt paid = chain.sendToken(PAYER, usdc, payee(), BigInteger.valueOf(1_499_999));

    String reason = refused(adapter, claim("USDC", "1.5", paid));

    assertTrue(reason.contains("pays 1.499999 USDC, less than the 1.5 USDC agreed"), reason);
  }

  @Test
  void aRevertedTransactionIsRefused() throws Exception {
    TransactionReceipt reverted =
        chain.sendToken(TOKENLESS, usdc, payee(), BigInteger.valueOf(1_000_000));
    assertFalse(reverted.isStatusOK(), "the transfer of tokens it does not hold must revert");

    String reason = refused(adapter, claim("USDC", "1", reverted));

    assertTrue(reason.contains("reverted"), reason);
  }

  @Test
  void aHashTheChainDoesNotKnowIsRefused() throws Exception {
    String unknown = "0x" + "ab".repeat(32);

    String reason = refused(adapter, claim("ETH", "1", unknown));

    assertTrue(reason.contains(unknown + " not found on chain 31337"), reason);
  }

  @Test
  void aPaymentInAnotherTokenIsRefusedAsTheWrongToken() throws Exception {
    TransactionReceipt paid = chain.sendToken(PAYER, other, payee(), BigInteger.valueOf(5_000_000));

    String reason = refused(adapter, claim("USDC", "1", paid));

    assertTrue(reason.startsWith("wrong token"), reason);
    assertTrue(reason.contains(EvmAddress.checksummed(other)), reason);
  }

  @Test
  void anEthPaymentClaimedAsATokenIsRefused() throws Exception {
    TransactionReceipt paid = chain.sendEth(PAYER, payee(), wei("10"));

    String reason = refused(adapter, claim("USDC", "1", paid));

    assertTrue(reason.contains("carries no USDC transfer"), reason);
  }

  @Test
  void aPaymentWithTooFewConfirmationsIsRefusedUntilTheChainMovesOn() throws Exception {
    CurrencyAdapter patient = adapter(Map.of("evm.confirmations", "3"));
    try {
      TransactionReceipt paid = chain.sendEth(PAYER, payee(), wei("1"));
      PaymentClaim claim = claim("ETH", "1", paid);

      String reason = refused(patient, claim);
      assertTrue(reason.contains("1 of 3 confirmations"), reason);

      chain.mine(2);
      ObjectNode evidence = verified(patient, claim);
      assertEquals(3, evidence.get("confirmations").asLong());
    } finally {
      patient.stop().await(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void theSameTransactionGivesTheSameChainAndHashHoweverTheProofIsWritten() throws Exception {
    TransactionReceipt paid = chain.sendEth(PAYER, payee(), wei("1"));
    String hash = paid.getTransactionHash();

    ObjectNode first = verified(adapter, claim("ETH", "1", hash.toLowerCase(Locale.ROOT)));
    ObjectNode second =
        verified(adapter, claim("ETH", "1", "0x" + hash.substring(2).toUpperCase(Locale.ROOT)));

    assertEquals(first.get("chain_id"), second.get("chain_id"));
    assertEquals(first.get("tx"), second.get("tx"));
    assertEquals(hash.toLowerCase(Locale.ROOT), second.get("tx").asText());
    first.remove("verified_at");
    second.remove("verified_at");
    assertEquals(first, second);
  }

  @Test
  void aPayeeWrittenWithItsChecksumOrInLowerCaseIsTheSamePayee() throws Exception {
    TransactionReceipt paid = chain.sendEth(PAYER, payee(), wei("1"));

    verified(
        adapter,
        new PaymentClaim(
            "p-1",
            "ETH",
            BigDecimal.ONE,
            EvmAddress.checksummed(payee()),
            paid.getTransactionHash()));
    verified(
        adapter,
        new PaymentClaim(
            "p-1",
            "ETH",
            BigDecimal.ONE,
            payee().toLowerCase(Locale.ROOT),
            paid.getTransactionHash()));
  }

  @Test
  void startingAgainstANodeOfAnotherChainFailsAndNamesTheSetting() throws Exception {
    CurrencyAdapter mainnet = adapter(Map.of("evm.chain-id", "1"));
    try {
      Throwable failure =
          assertThrows(Exception.class, () -> mainnet.start(null).await(30, TimeUnit.SECONDS));
      assertEquals(
          "evm.chain-id is 1 but the node at evm.rpc serves chain 31337", failure.getMessage());
    } finally {
      mainnet.stop().await(30, TimeUnit.SECONDS);
    }
  }

  private static CurrencyAdapter adapter(Map<String, String> overrides) {
    Map<String, String> settings = new HashMap<>();
    settings.put("evm.rpc", chain.url());
    settings.put("evm.chain-id", Long.toString(LocalChain.CHAIN_ID));
    settings.put("evm.tokens", "USDC=" + usdc + ":6");
    settings.putAll(overrides);
    return new EvmAdapterProvider().create(new CurrencySettings(vertx, settings)).orElseThrow();
  }

  private static String payee() {
    return PAYEE.getAddress();
  }

  private static BigInteger wei(String eth) {
    return Convert.toWei(eth, Convert.Unit.ETHER).toBigIntegerExact();
  }

  private static PaymentClaim claim(String currency, String amount, TransactionReceipt paid) {
    return claim(currency, amount, paid.getTransactionHash());
  }

  private static PaymentClaim claim(String currency, String amount, String proof) {
    return new PaymentClaim("p-1", currency, new BigDecimal(amount), payee(), proof);
  }

  static ObjectNode verified(CurrencyAdapter adapter, PaymentClaim claim) throws Exception {
    return adapter.verify(claim).await(30, TimeUnit.SECONDS);
  }

  /** The reason a verification was refused with PAYMENT_NOT_VERIFIED. */
  static String refused(CurrencyAdapter adapter, PaymentClaim claim) {
    Future<ObjectNode> verification = adapter.verify(claim);
    ProtocolException refusal =
        assertThrows(ProtocolException.class, () -> verification.await(30, TimeUnit.SECONDS));
    assertEquals(ErrorCode.PAYMENT_NOT_VERIFIED, refusal.code());
    return refusal.getMessage();
  }
}
