/**
 * {@code agentchat bench}: a load generator that drives any AgentChat server over the wire
 * protocol, a scenario over {@link io.agentchat.bench.core}: identified connections join one
 * channel and send MSGs at a fixed aggregate rate, and the run measures logins/s, deliveries/s,
 * loss and send-to-deliver latency. {@link io.agentchat.bench.BenchCommand} is the command line,
 * {@link io.agentchat.bench.BenchRun} runs one measurement from {@link
 * io.agentchat.bench.BenchOptions} and returns a {@link io.agentchat.bench.BenchReport}; the rest
 * is implementation.
 */
package io.agentchat.bench;
