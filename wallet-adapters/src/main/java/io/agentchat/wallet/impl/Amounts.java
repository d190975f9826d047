package io.agentchat.wallet.impl;

import java.math.BigDecimal;
import java.util.Optional;

/** The checks and renderings every currency shares: exact decimals, never doubles. */
final class Amounts {
  private Amounts() {}

  /**
   * @return why {@code amount} is not a valid amount of {@code code}, or empty
   */
  static Optional<String> check(String code, BigDecimal amount, int decimals, BigDecimal max) {
    if (amount == null) {
      return Optional.of("a proposal in " + code + " must name an amount");
    }
    if (amount.signum() <= 0) {
      return Optional.of("the amount must be positive, not " + text(amount));
    }
    if (amount.stripTrailingZeros().scale() > decimals) {
      return Optional.of(code + " has " + decimals + " decimals; " + text(amount) + " has more");
    }
    if (amount.compareTo(max) > 0) {
      return Optional.of("the amount must be at most " + text(max) + " " + code);
    }
    return Optional.empty();
  }

  /** An amount as a plain decimal without trailing zeros: {@code 5}, {@code 1.25}. */
  static String text(BigDecimal amount) {
    BigDecimal stripped = amount.stripTrailingZeros();
    return (stripped.scale() < 0 ? stripped.setScale(0) : stripped).toPlainString();
  }

  /** A stored numeric without its column's trailing zeros. */
  static BigDecimal exact(BigDecimal stored) {
    BigDecimal stripped = stored.stripTrailingZeros();
    return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
  }
}
