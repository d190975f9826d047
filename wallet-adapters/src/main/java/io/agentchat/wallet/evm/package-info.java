/**
 * Payments on an EVM chain: the chain's native coin (ETH) and ERC-20 tokens, verified over the
 * chain's JSON-RPC with web3j.
 *
 * <p>{@link io.agentchat.wallet.evm.EvmAdapterProvider} reads the {@code evm.*} settings and makes
 * an {@link io.agentchat.wallet.evm.EvmAdapter}; the rest of the package is its implementation: the
 * settings, address checksums (EIP-55), exact conversion to base units, and the rules a transaction
 * must meet to pay a deal.
 */
package io.agentchat.wallet.evm;
