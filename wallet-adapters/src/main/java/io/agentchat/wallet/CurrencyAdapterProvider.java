package io.agentchat.wallet;

import java.util.Optional;

/**
 * Makes a {@link CurrencyAdapter} from the server's currency settings. Listed in {@code
 * META-INF/services/io.agentchat.wallet.CurrencyAdapterProvider} and found with {@link
 * java.util.ServiceLoader}: a third party adds a currency by putting its jar on the classpath.
 */
public interface CurrencyAdapterProvider {

  /** The adapter's name, as {@link CurrencyAdapter#name} will give it. */
  String name();

  /**
   * @param settings the server's currency settings; a provider reads only its own keys (by
   *     convention prefixed with its name: {@code evm.rpc})
   * @return the adapter, or empty when the settings do not ask for it (no RPC URL given, say)
   * @throws IllegalArgumentException for settings it cannot use, with a message naming the key
   */
  Optional<CurrencyAdapter> create(CurrencySettings settings);
}
