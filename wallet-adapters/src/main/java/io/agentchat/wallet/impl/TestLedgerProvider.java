package io.agentchat.wallet.impl;

import io.agentchat.wallet.CurrencyAdapter;
import io.agentchat.wallet.CurrencyAdapterProvider;
import io.agentchat.wallet.CurrencySettings;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * The TEST ledger, always on. Setting {@code test.faucet}: what each new agent's account starts
 * with (default 0).
 */
public final class TestLedgerProvider implements CurrencyAdapterProvider {
  /** The setting that gives each new agent a starting balance. */
  public static final String FAUCET = "test.faucet";

  @Override
  public String name() {
    return TestLedger.NAME;
  }

  @Override
  public Optional<CurrencyAdapter> create(CurrencySettings settings) {
    BigDecimal faucet = settings.get(FAUCET).map(v -> parse(v)).orElse(BigDecimal.ZERO);
    return Optional.of(new TestLedger(faucet));
  }

  private static BigDecimal parse(String value) {
    BigDecimal faucet;
    try {
      faucet = new BigDecimal(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          FAUCET + " must be a decimal number, not \"" + value + "\"");
    }
    if (faucet.signum() < 0 || faucet.stripTrailingZeros().scale() > TestLedger.DECIMALS) {
      throw new IllegalArgumentException(
          FAUCET
              + " must be 0 or more, with at most "
              + TestLedger.DECIMALS
              + " decimals, not "
              + value);
    }
    if (faucet.compareTo(TestLedger.MAX_AMOUNT) > 0) {
      throw new IllegalArgumentException(FAUCET + " must be at most " + TestLedger.MAX_AMOUNT);
    }
    return faucet;
  }
}
