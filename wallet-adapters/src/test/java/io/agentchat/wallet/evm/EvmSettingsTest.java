package io.agentchat.wallet.evm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentchat.wallet.CurrencyAdapter;
import io.agentchat.wallet.CurrencyAdapterProvider;
import io.agentchat.wallet.CurrencySettings;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The {@code evm.*} settings: what makes an adapter, and the key each mistake is reported by. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EvmSettingsTest {
  private static final String USDC = "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48";

  @Test
  void withoutAnRpcUrlThereIsNoAdapter(Vertx vertx) {
    assertEquals(Optional.empty(), create(vertx, Map.of("test.faucet", "5")));
  }

  @Test
  void theProviderIsListedForTheServiceLoader() throws IOException {
    try (InputStream in =
        getClass()
            .getResourceAsStream("/META-INF/services/" + CurrencyAdapterProvider.class.getName())) {
      String listed = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(listed.lines().anyMatch(EvmAdapterProvider.class.getName()::equals), listed);
    }
  }

  @Test
  void describeShowsTheChainItsCurrenciesAndTheConfirmationsItNeeds(Vertx vertx) throws Exception {
    CurrencyAdapter adapter =
        create(
                vertx,
                Map.of(
                    "evm.rpc", "https://rpc.example.org/v1/key",
                    "evm.chain-id", "8453",
                    "evm.native", "eth",
                    "evm.tokens", "usdc=" + USDC.toLowerCase() + ":6",
                    "evm.confirmations", "12"))
            .orElseThrow();
    try {
      JsonNode expected =
          new ObjectMapper()
              .readTree(
                  """
                  {"name": "evm", "kind": "on-chain", "chain_id": 8453, "codes": ["ETH", "USDC"],
                   "native": {"code": "ETH", "decimals": 18},
                   "tokens": [{"code": "USDC", "address": "%s", "decimals": 6}],
                   "confirmations": 12}
                  """
                      .formatted(USDC));
      // Compared as text: the adapter writes whole numbers as longs, the parser reads them as ints.
      assertEquals(expected.toString(), adapter.describe().toString());
      assertEquals(List.of("ETH", "USDC"), List.copyOf(adapter.codes()));
      assertTrue(adapter.onChain());
      assertEquals("evm", adapter.name());
    } finally {
      adapter.stop().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void anRpcUrlWithoutAChainIdIsRefusedNamingTheKey(Vertx vertx) {
    assertRefused(vertx, Map.of("evm.rpc", "http://127.0.0.1:8545"), "evm.chain-id is required");
  }

  @Test
  void anRpcThatIsNotAnHttpUrlIsRefused(Vertx vertx) {
    assertRefused(vertx, Map.of("evm.rpc", "ws://127.0.0.1:8545", "evm.chain-id", "1"), "evm.rpc");
    assertRefused(vertx, Map.of("evm.rpc", "127.0.0.1:8545", "evm.chain-id", "1"), "evm.rpc");
  }

  @Test
  void aChainIdThatIsNotAPositiveWholeNumberIsRefused(Vertx vertx) {
    assertRefused(vertx, rpcWith("evm.chain-id", "mainnet"), "evm.chain-id must be a whole number");
    assertRefused(vertx, rpcWith("evm.chain-id", "0"), "evm.chain-id must be between 1");
  }

  @Test
  void aMalformedTokenEntryIsRefusedNamingTheKey(Vertx vertx) {
    assertRefused(vertx, rpcWith("evm.tokens", "USDC=" + USDC), "evm.tokens entries are");
    assertRefused(vertx, rpcWith("evm.tokens", USDC + ":6"), "evm.tokens entries are");
    assertRefused(vertx, rpcWith("evm.tokens", "USDC=0x1234:6"), "evm.tokens: USDC: an EVM");
    assertRefused(vertx, rpcWith("evm.tokens", "USDC=" + USDC + ":six"), "evm.tokens: USDC's");
    assertRefused(vertx, rpcWith("evm.tokens", "USDC=" + USDC + ":78"), "evm.tokens: USDC's");
    assertRefused(vertx, rpcWith("evm.tokens", "US DC=" + USDC + ":6"), "evm.tokens: a currency");
  }

  @Test
  void aTokenWithABadChecksumIsRefused(Vertx vertx) {
    String flipped = USDC.replace("A0b8", "a0b8");
    assertRefused(
        vertx,
        rpcWith("evm.tokens", "USDC=" + flipped + ":6"),
        "evm.tokens: USDC: " + flipped + " fails its EIP-55 checksum");
  }

  @Test
  void aCodeOrContractNamedTwiceIsRefused(Vertx vertx) {
    assertRefused(
        vertx,
        rpcWith("evm.tokens", "USDC=" + USDC + ":6,USDC=0x" + "1".repeat(40) + ":6"),
        "evm.tokens names USDC twice");
    assertRefused(
        vertx,
        rpcWith("evm.tokens", "USDC=" + USDC + ":6,USDC2=" + USDC.toLowerCase() + ":6"),
        "evm.tokens names the contract");
    assertRefused(vertx, rpcWith("evm.tokens", "ETH=" + USDC + ":6"), "evm.tokens names ETH twice");
  }

  @Test
  void confirmationsAndTimeoutMustBePositive(Vertx vertx) {
    assertRefused(vertx, rpcWith("evm.confirmations", "0"), "evm.confirmations must be between");
    assertRefused(vertx, rpcWith("evm.timeout-ms", "-5"), "evm.timeout-ms must be between");
    assertRefused(vertx, rpcWith("evm.timeout-ms", "10s"), "evm.timeout-ms must be a whole");
  }

  @Test
  void anUnknownEvmKeyIsRefusedSoATypoIsNotIgnored(Vertx vertx) {
    assertRefused(vertx, rpcWith("evm.token", "USDC=" + USDC + ":6"), "unknown setting evm.token");
  }

  @Test
  void evmSettingsWithoutAnRpcUrlAreRefusedRatherThanIgnored(Vertx vertx) {
    assertRefused(
        vertx, Map.of("evm.tokens", "USDC=" + USDC + ":6"), "evm.tokens is set but evm.rpc is not");
  }

  private static Map<String, String> rpcWith(String key, String value) {
    Map<String, String> settings = new HashMap<>();
    settings.put("evm.rpc", "http://127.0.0.1:8545");
    settings.put("evm.chain-id", "31337");
    settings.put(key, value);
    return settings;
  }

  private static Optional<CurrencyAdapter> create(Vertx vertx, Map<String, String> settings) {
    return new EvmAdapterProvider().create(new CurrencySettings(vertx, settings));
  }

  private static void assertRefused(Vertx vertx, Map<String, String> settings, String message) {
    IllegalArgumentException refusal =
        assertThrows(IllegalArgumentException.class, () -> create(vertx, settings));
    assertTrue(refusal.getMessage().startsWith(message), refusal.getMessage());
  }
}
