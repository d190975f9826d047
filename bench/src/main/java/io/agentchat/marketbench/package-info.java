/**
 * {@code agentchat market-bench}: a load generator for the marketplace that speaks only the wire
 * protocol, a scenario over {@link io.agentchat.bench.core}. The {@code search} scenario registers
 * skills through REGISTER_SKILLS and measures SEARCH_SKILLS latency; the {@code proposals} scenario
 * drives PROPOSAL → ACCEPT → COMPLETE round trips between pairs of keyed agents. {@link
 * io.agentchat.marketbench.MarketBenchCommand} is the command, {@link
 * io.agentchat.marketbench.MarketBenchRun} the library entry point.
 */
package io.agentchat.marketbench;
