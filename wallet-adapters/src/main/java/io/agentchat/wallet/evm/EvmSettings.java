package io.agentchat.wallet.evm;

import io.agentchat.wallet.CurrencySettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The EVM adapter's settings, read from the server's {@code evm.*} keys.
 *
 * @param rpc the chain's JSON-RPC URL
 * @param chainId the chain id the node must report
 * @param nativeCoin the chain's native coin
 * @param tokens the ERC-20 tokens it accepts, in the order given
 * @param confirmations how many blocks, the transaction's own included, must hold a payment
 * @param timeout how long a payment check may wait for the RPC, in all
 */
record EvmSettings(
    URI rpc,
    long chainId,
    EvmCurrency nativeCoin,
    List<EvmCurrency> tokens,
    long confirmations,
    Duration timeout) {

  static final String RPC = "evm.rpc";
  static final String CHAIN_ID = "evm.chain-id";
  static final String NATIVE = "evm.native";
  static final String TOKENS = "evm.tokens";
  static final String CONFIRMATIONS = "evm.confirmations";
  static final String TIMEOUT_MS = "evm.timeout-ms";
  static final List<String> KEYS =
      List.of(RPC, CHAIN_ID, NATIVE, TOKENS, CONFIRMATIONS, TIMEOUT_MS);

  static final String DEFAULT_NATIVE = "ETH";
  static final long DEFAULT_CONFIRMATIONS = 1;
  static final long DEFAULT_TIMEOUT_MS = 10_000;

  /** Confirmations beyond this are a typo (a day of Ethereum blocks is about 7 200). */
  static final long MAX_CONFIRMATIONS = 100_000;

  static final long MAX_TIMEOUT_MS = 300_000;

  /** ERC-20 decimals is a uint8, but with more than 77 one unit no longer fits in a uint256. */
  static final int MAX_DECIMALS = 77;

  private static final Pattern CODE = Pattern.compile("[A-Za-z][A-Za-z0-9._-]{0,15}");

  EvmSettings {
    tokens = List.copyOf(tokens);
  }

  /**
   * The settings, or empty when {@code evm.rpc} is not set.
   *
   * @throws IllegalArgumentException for a setting it cannot use, naming the key
   */
  static Optional<EvmSettings> from(CurrencySettings settings) {
    for (String key : settings.keys()) {
      if (key.startsWith("evm.") && !KEYS.contains(key)) {
        throw new IllegalArgumentException(
            "unknown setting " + key + "; the EVM adapter reads " + String.join(", ", KEYS));
      }
    }
    Optional<String> rpc = settings.get(RPC);
    if (rpc.isEmpty()) {
      for (String key : KEYS) {
        if (settings.get(key).isPresent()) {
          throw new IllegalArgumentException(
              key + " is set but " + RPC + " is not: give the chain's JSON-RPC URL");
        }
      }
      return Optional.empty();
    }
    URI url = rpcUrl(rpc.get());
    long chainId =
        settings
            .get(CHAIN_ID)
            .map(v -> positive(CHAIN_ID, v, Long.MAX_VALUE))
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "%s is required with %s (1 for Ethereum, 31337 for a local hardhat node)"
                            .formatted(CHAIN_ID, RPC)));
    EvmCurrency nativeCoin =
        EvmCurrency.nativeCoin(code(NATIVE, settings.get(NATIVE).orElse(DEFAULT_NATIVE)));
    List<EvmCurrency> tokens = new ArrayList<>();
    Set<String> codes = new HashSet<>(Set.of(nativeCoin.code()));
    Set<String> contracts = new HashSet<>();
    for (String entry : settings.list(TOKENS)) {
      EvmCurrency token = token(entry);
      if (!codes.add(token.code())) {
        throw new IllegalArgumentException(TOKENS + " names " + token.code() + " twice");
      }
      if (!contracts.add(token.contract())) {
        throw new IllegalArgumentException(
            TOKENS + " names the contract " + token.contract() + " twice");
      }
      tokens.add(token);
    }
    long confirmations =
        settings
            .get(CONFIRMATIONS)
            .map(v -> positive(CONFIRMATIONS, v, MAX_CONFIRMATIONS))
            .orElse(DEFAULT_CONFIRMATIONS);
    long timeoutMs =
        settings
            .get(TIMEOUT_MS)
            .map(v -> positive(TIMEOUT_MS, v, MAX_TIMEOUT_MS))
            .orElse(DEFAULT_TIMEOUT_MS);
    return Optional.of(
        new EvmSettings(
            url, chainId, nativeCoin, tokens, confirmations, Duration.ofMillis(timeoutMs)));
  }

  private static URI rpcUrl(String value) {
    try {
      URI url = new URI(value);
      String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && url.getHost() != null) {
        return url;
      }
    } catch (URISyntaxException e) {
      // Reported below, with the other malformed URLs.
    }
    throw new IllegalArgumentException(
        RPC
            + " must be an http:// or https:// JSON-RPC URL, not \""
            + Quoted.shortened(value)
            + "\"");
  }

  /** One {@code CODE=0xADDRESS:DECIMALS} entry of {@code evm.tokens}. */
  private static EvmCurrency token(String entry) {
    int equals = entry.indexOf('=');
    int colon = entry.lastIndexOf(':');
    if (equals < 0 || colon < equals) {
      throw new IllegalArgumentException(
          TOKENS
              + " entries are CODE=0xADDRESS:DECIMALS (USDC=0xA0b8…eB48:6), not \""
              + Quoted.shortened(entry)
              + "\"");
    }
    String code = code(TOKENS, entry.substring(0, equals).trim());
    String address = entry.substring(equals + 1, colon).trim();
    EvmAddress.problem(address)
        .ifPresent(
            p -> {
              throw new IllegalArgumentException(TOKENS + ": " + code + ": " + p);
            });
    int decimals =
        (int)
            whole(
                TOKENS + ": " + code + "'s decimals",
                entry.substring(colon + 1).trim(),
                0,
                MAX_DECIMALS);
    return new EvmCurrency(code, decimals, EvmAddress.lower(address));
  }

  private static String code(String key, String value) {
    if (!CODE.matcher(value).matches()) {
      throw new IllegalArgumentException(
          key
              + ": a currency code is a letter then up to 15 letters, digits, '.', '_' or '-',"
              + " not \""
              + Quoted.shortened(value)
              + "\"");
    }
    return value.toUpperCase(Locale.ROOT);
  }

  private static long positive(String key, String value, long max) {
    return whole(key, value, 1, max);
  }

  private static long whole(String what, String value, long min, long max) {
    long n;
    try {
      n = Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          what + " must be a whole number, not \"" + Quoted.shortened(value) + "\"");
    }
    if (n < min || n > max) {
      throw new IllegalArgumentException(
          what + " must be between " + min + " and " + max + ", not " + n);
    }
    return n;
  }
}
