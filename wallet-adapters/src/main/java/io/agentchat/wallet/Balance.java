package io.agentchat.wallet;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * An agent's balance in one ledger currency.
 *
 * @param currency the currency code
 * @param balance what it owns, held amounts included
 * @param held what is held for accepted deals it pays for
 */
public record Balance(String currency, BigDecimal balance, BigDecimal held) {
  public Balance {
    Objects.requireNonNull(currency, "currency");
    Objects.requireNonNull(balance, "balance");
    Objects.requireNonNull(held, "held");
  }

  /** What it can still pay or hold. */
  public BigDecimal available() {
    return balance.subtract(held);
  }
}
