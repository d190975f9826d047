package io.agentchat.wallet.evm;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Optional;

/**
 * Exact conversion between an amount in a currency's units (1.5 USDC) and the whole base units a
 * chain counts (1 500 000). No doubles anywhere: a payment that is short by one wei is short.
 */
final class BaseUnits {
  /** The most an ERC-20 balance or an ETH value can hold: a uint256. */
  static final BigInteger MAX = BigInteger.TWO.pow(256).subtract(BigInteger.ONE);

  /** Digits of {@link #MAX}: an amount with more integer digits cannot fit, whatever decimals. */
  private static final int MAX_DIGITS = MAX.toString().length();

  private BaseUnits() {}

  /**
   * Why {@code amount} cannot be paid in a currency with {@code decimals} decimals, or empty: it
   * must be positive, have at most {@code decimals} decimal places, and fit in a uint256.
   */
  static Optional<String> problem(String code, int decimals, BigDecimal amount) {
    if (amount == null) {
      return Optional.of("an amount in " + code + " is required");
    }
    if (amount.signum() <= 0) {
      return Optional.of("an amount must be positive");
    }
    BigDecimal exact = amount.stripTrailingZeros();
    // Checked before anything renders or scales it: 1E+1000000 must not become a million digits.
    if ((long) exact.precision() - exact.scale() > MAX_DIGITS) {
      return Optional.of("the amount is more than " + code + " can carry on chain");
    }
    if (exact.scale() > decimals) {
      return Optional.of(
          decimals == 0
              ? code + " takes whole amounts only; " + plain(exact) + " is not whole"
              : code + " has " + decimals + " decimals; " + plain(exact) + " has " + exact.scale());
    }
    if (exact.movePointRight(decimals).toBigIntegerExact().compareTo(MAX) > 0) {
      return Optional.of(plain(exact) + " is more than " + code + " can carry on chain");
    }
    return Optional.empty();
  }

  /**
   * The amount in base units.
   *
   * @throws ArithmeticException when it has more decimals than the currency: check {@link #problem}
   *     first
   */
  static BigInteger of(BigDecimal amount, int decimals) {
    return amount.stripTrailingZeros().movePointRight(decimals).toBigIntegerExact();
  }

  /** Base units back in the currency's units, without trailing zeros. */
  static BigDecimal amount(BigInteger baseUnits, int decimals) {
    return new BigDecimal(baseUnits, decimals).stripTrailingZeros();
  }

  /** A decimal string without exponent or trailing zeros ("1.5", "100", "0"). */
  static String plain(BigDecimal amount) {
    return amount.signum() == 0 ? "0" : amount.stripTrailingZeros().toPlainString();
  }
}
