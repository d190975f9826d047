package io.agentchat.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The adapters found on the classpath through ServiceLoader, as the settings ask for them. */
class CurrenciesLoadTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void withoutAChainOnlyTheTestLedgerRuns() {
    Currencies currencies = Currencies.load(new CurrencySettings(vertx, Map.of()));
    assertEquals(List.of("TEST"), currencies.codes());
    assertEquals("test-ledger", currencies.describe().get(0).path("name").asText());
    assertEquals("0", currencies.describe().get(0).path("faucet").asText());
  }

  @Test
  void aFaucetThatIsNotAnAmountIsRefusedNamingItsKey() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Currencies.load(new CurrencySettings(vertx, Map.of("test.faucet", "lots"))));
    assertEquals("test.faucet must be a decimal number, not \"lots\"", e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Currencies.load(new CurrencySettings(vertx, Map.of("test.faucet", "-5"))));
    assertEquals("test.faucet must be 0 or more, with at most 8 decimals, not -5", e.getMessage());
  }
}
