package io.agentchat.wallet.evm;

import java.util.Objects;

/**
 * One currency on the chain: the native coin, or an ERC-20 token at a contract address.
 *
 * @param code the upper-case code proposals name it by
 * @param decimals how many decimal places one unit has (18 for ETH, 6 for USDC)
 * @param contract the token contract in lower case, or null for the native coin
 */
record EvmCurrency(String code, int decimals, String contract) {
  /** The native coin's decimals on every EVM chain: 1 ETH is 10^18 wei. */
  static final int NATIVE_DECIMALS = 18;

  EvmCurrency {
    Objects.requireNonNull(code, "code");
  }

  static EvmCurrency nativeCoin(String code) {
    return new EvmCurrency(code, NATIVE_DECIMALS, null);
  }

  boolean isNative() {
    return contract == null;
  }
}
