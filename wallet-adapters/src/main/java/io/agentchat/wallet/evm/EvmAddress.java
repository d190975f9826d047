package io.agentchat.wallet.evm;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.web3j.crypto.Keys;

/** EVM account and contract addresses as payment codes: their format and EIP-55 checksum. */
final class EvmAddress {
  private static final Pattern FORMAT = Pattern.compile("0x[0-9a-fA-F]{40}");

  private EvmAddress() {}

  /**
   * Why {@code address} is not a usable address, or empty. All lower-case and all upper-case hex
   * carry no checksum and are accepted as they are; mixed case is an EIP-55 checksum and must
   * match.
   */
  static Optional<String> problem(String address) {
    if (address == null || !FORMAT.matcher(address).matches()) {
      return Optional.of(
          "an EVM address is 0x and 40 hex digits, not \"" + Quoted.shortened(address) + "\"");
    }
    String hex = address.substring(2);
    if (hex.equals(hex.toLowerCase(Locale.ROOT)) || hex.equals(hex.toUpperCase(Locale.ROOT))) {
      return Optional.empty();
    }
    if (!Keys.toChecksumAddress(address).equals(address)) {
      // The correct form is not shown: copying it would defeat the checksum, which is there to
      // catch a mistyped address before money goes to it.
      return Optional.of(
          address + " fails its EIP-55 checksum: a character was mistyped or its case changed");
    }
    return Optional.empty();
  }

  /** The address in lower case, for comparisons; {@code address} must be well-formed. */
  static String lower(String address) {
    return address.toLowerCase(Locale.ROOT);
  }

  /** The address in its EIP-55 mixed-case form, for people to read and copy. */
  static String checksummed(String address) {
    return Keys.toChecksumAddress(address);
  }
}
