package io.agentchat.wallet.evm;

import io.agentchat.wallet.CurrencyAdapter;
import io.agentchat.wallet.CurrencyAdapterProvider;
import io.agentchat.wallet.CurrencySettings;
import java.util.Optional;

/**
 * Makes the {@link EvmAdapter} from the {@code evm.*} settings.
 *
 * <ul>
 *   <li>{@code evm.rpc}: the chain's JSON-RPC URL (http or https); without it there is no adapter
 *   <li>{@code evm.chain-id}: the chain id, required with {@code evm.rpc}; the node must report it
 *   <li>{@code evm.native}: the native coin's code, {@code ETH} by default (18 decimals)
 *   <li>{@code evm.tokens}: ERC-20 tokens, a comma list of {@code CODE=0xADDRESS:DECIMALS}
 *   <li>{@code evm.confirmations}: blocks a payment needs, its own included; 1 by default
 *   <li>{@code evm.timeout-ms}: how long a payment check waits for the RPC; 10000 by default
 * </ul>
 */
public final class EvmAdapterProvider implements CurrencyAdapterProvider {

  @Override
  public String name() {
    return "evm";
  }

  /**
   * @return the adapter, or empty when {@code evm.rpc} is not set
   * @throws IllegalArgumentException for a setting it cannot use, naming the key
   */
  @Override
  public Optional<CurrencyAdapter> create(CurrencySettings settings) {
    return EvmSettings.from(settings).map(s -> new EvmAdapter(settings.vertx(), s));
  }
}
