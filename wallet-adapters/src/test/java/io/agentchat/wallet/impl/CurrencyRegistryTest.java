package io.agentchat.wallet.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CurrencyRegistryTest {
  private static final TestLedger LEDGER = new TestLedger(BigDecimal.TEN);

  @Test
  void codesMatchWhateverTheirCase() {
    CurrencyRegistry registry = new CurrencyRegistry(List.of(LEDGER));
    assertEquals(Optional.of(LEDGER), registry.find("test"));
    assertEquals(Optional.of(LEDGER), registry.find("TeSt"));
    assertTrue(registry.find("ETH").isEmpty());
    assertEquals(
        "no currency adapter on this server serves \"ETH\"; it serves TEST (or leave currency out)",
        registry.notServed("ETH"));
  }

  @Test
  void twoAdaptersMayNotServeOneCode() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new CurrencyRegistry(List.of(LEDGER, new TestLedger(BigDecimal.ONE))));
    assertEquals("currency TEST is served by both test-ledger and test-ledger", e.getMessage());
  }

  @Test
  void amountsAreExactPositiveAndWithinTheCurrencysPrecision() {
    assertEquals(Optional.empty(), LEDGER.checkAmount("TEST", new BigDecimal("0.00000001")));
    assertEquals(
        Optional.empty(),
        LEDGER.checkAmount("TEST", new BigDecimal("1.500000000000")),
        "trailing zeros are no precision");
    assertEquals(
        Optional.of("TEST has 8 decimals; 0.000000001 has more"),
        LEDGER.checkAmount("TEST", new BigDecimal("1E-9")));
    assertEquals(
        Optional.of("the amount must be positive, not -1"),
        LEDGER.checkAmount("TEST", new BigDecimal("-1")));
    assertEquals(
        Optional.of("the amount must be at most 1000000000000000000 TEST"),
        LEDGER.checkAmount("TEST", new BigDecimal("1E+18").add(BigDecimal.ONE)));
    assertEquals("5", Amounts.text(new BigDecimal("5.000")));
    assertEquals("500", Amounts.text(new BigDecimal("5E+2")));
  }

  @Test
  void aChainPaymentIsKeyedByChainAndLowerCaseTransaction() {
    ObjectNode evidence = JsonNodeFactory.instance.objectNode();
    evidence.put("tx", "0xABCDEF");
    evidence.put("chain_id", 31337);
    assertEquals("31337:0xabcdef", CurrencySettlement.paymentKey(evidence));
    evidence.remove("tx");
    assertEquals(null, CurrencySettlement.paymentKey(evidence));
  }
}
