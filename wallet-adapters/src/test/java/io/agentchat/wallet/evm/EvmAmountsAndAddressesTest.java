package io.agentchat.wallet.evm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentchat.wallet.CurrencyAdapter;
import io.agentchat.wallet.CurrencySettings;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the EVM adapter accepts in a proposal: amounts exact within each currency's decimals, and
 * payee addresses with a valid EIP-55 checksum. No chain is needed.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EvmAmountsAndAddressesTest {
  private static final String USDC = "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48";

  private CurrencyAdapter adapter;

  @BeforeEach
  void create(Vertx vertx) {
    adapter =
        new EvmAdapterProvider()
            .create(
                new CurrencySettings(
                    vertx,
                    Map.of(
                        "evm.rpc", "http://127.0.0.1:9",
                        "evm.chain-id", "1",
                        "evm.tokens",
                            "USDC="
                                + USDC
                                + ":6, WBTC=0x2260fac5e5542a773aa44fbcfedf7c193bc2c599:8,"
                                + " POINTS=0x1111111111111111111111111111111111111111:0")))
            .orElseThrow();
  }

  @AfterEach
  void stop() throws Exception {
    adapter.stop().await(10, TimeUnit.SECONDS);
  }

  @Test
  void anAmountWithinTheCurrencysDecimalsIsAccepted() {
    assertEquals(Optional.empty(), adapter.checkAmount("USDC", new BigDecimal("1.5")));
    assertEquals(Optional.empty(), adapter.checkAmount("USDC", new BigDecimal("0.000001")));
    assertEquals(Optional.empty(), adapter.checkAmount("WBTC", new BigDecimal("0.00000001")));
    assertEquals(
        Optional.empty(), adapter.checkAmount("ETH", new BigDecimal("0.000000000000000001")));
    assertEquals(Optional.empty(), adapter.checkAmount("POINTS", new BigDecimal("12")));
  }

  @Test
  void trailingZerosDoNotCountAsDecimals() {
    assertEquals(Optional.empty(), adapter.checkAmount("USDC", new BigDecimal("1.500000000000")));
    assertEquals(Optional.empty(), adapter.checkAmount("POINTS", new BigDecimal("12.000")));
    assertEquals(Optional.empty(), adapter.checkAmount("POINTS", new BigDecimal("1E+3")));
  }

  @Test
  void anAmountFinerThanTheCurrencysDecimalsIsRefusedWithBoth() {
    assertEquals(
        Optional.of("USDC has 6 decimals; 1.0000001 has 7"),
        adapter.checkAmount("USDC", new BigDecimal("1.0000001")));
    assertEquals(
        Optional.of("ETH has 18 decimals; 0.0000000000000000001 has 19"),
        adapter.checkAmount("ETH", new BigDecimal("1E-19")));
    assertEquals(
        Optional.of("POINTS takes whole amounts only; 1.5 is not whole"),
        adapter.checkAmount("POINTS", new BigDecimal("1.5")));
  }

  @Test
  void zeroAndNegativeAmountsAreRefused() {
    assertEquals(
        Optional.of("an amount must be positive"), adapter.checkAmount("ETH", BigDecimal.ZERO));
    assertEquals(
        Optional.of("an amount must be positive"),
        adapter.checkAmount("USDC", new BigDecimal("-1")));
  }

  @Test
  void anAmountNoUint256CanHoldIsRefusedWithoutExpandingIt() {
    BigInteger max = BigInteger.TWO.pow(256).subtract(BigInteger.ONE);
    assertEquals(Optional.empty(), adapter.checkAmount("POINTS", new BigDecimal(max)));
    assertTrue(adapter.checkAmount("POINTS", new BigDecimal(max.add(BigInteger.ONE))).isPresent());
    assertTrue(adapter.checkAmount("USDC", new BigDecimal(max)).isPresent());
    assertEquals(
        Optional.of("the amount is more than ETH can carry on chain"),
        adapter.checkAmount("ETH", new BigDecimal("1E+1000000000")));
  }

  @Test
  void aCurrencyTheAdapterDoesNotServeIsRefused() {
    assertEquals(
        Optional.of("the evm adapter serves ETH, USDC, WBTC, POINTS, not DAI"),
        adapter.checkAmount("DAI", BigDecimal.ONE));
    assertTrue(adapter.checkPaymentCode("DAI", USDC).isPresent());
  }

  /** The test vectors of EIP-55 itself. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
        "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
        "0x52908400098527886E0F7030069857D2E4169EE7",
        "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
        "0xde709f2102306220921060314715629080e2fb77",
        "0x27b1fdb04752bbc536007a920d24acb045561c26"
      })
  void anAddressWithAValidChecksumIsAccepted(String address) {
    assertEquals(Optional.empty(), adapter.checkPaymentCode("ETH", address));
    assertEquals(Optional.empty(), adapter.checkPaymentCode("USDC", address));
  }

  @Test
  void anAddressAllInLowerOrUpperCaseCarriesNoChecksumAndIsAccepted() {
    assertEquals(
        Optional.empty(),
        adapter.checkPaymentCode("ETH", "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"));
    assertEquals(
        Optional.empty(),
        adapter.checkPaymentCode("ETH", "0x5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED"));
  }

  @Test
  void anAddressWithOneLetterInTheWrongCaseFailsItsChecksum() {
    String flipped = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD";
    assertEquals(
        Optional.of(
            "payment_code: "
                + flipped
                + " fails its EIP-55 checksum: a character was mistyped or its case changed"),
        adapter.checkPaymentCode("ETH", flipped));
  }

  @Test
  void aMistypedDigitInAChecksummedAddressIsCaught() {
    // One digit changed (6053 -> 6054): the case pattern no longer matches the hash.
    assertTrue(
        adapter.checkPaymentCode("ETH", "0x5aAeb6054F3E94C9b9A09f33669435E7Ef1BeAed").isPresent());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe",
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed0",
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeg",
        "vitalik.eth",
        ""
      })
  void somethingThatIsNotAnAddressIsRefused(String paymentCode) {
    assertEquals(
        Optional.of(
            "payment_code: an EVM address is 0x and 40 hex digits, not \"" + paymentCode + "\""),
        adapter.checkPaymentCode("ETH", paymentCode));
  }

  @Test
  void aMissingAddressIsRefused() {
    assertTrue(adapter.checkPaymentCode("ETH", null).isPresent());
  }
}
