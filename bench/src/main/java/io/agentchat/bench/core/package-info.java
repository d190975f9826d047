/**
 * The core both load generators ({@code bench} and {@code market-bench}) are thin scenarios over.
 *
 * <p>The client side: {@link io.agentchat.bench.core.ClientLoops} is a run's own Vert.x with one
 * {@link io.agentchat.bench.core.ClientLoop} per event loop, each with its WebSocket client, its
 * open sockets and its {@link io.agentchat.bench.core.LoopStats}; an {@link
 * io.agentchat.bench.core.AgentSocket} is one agent's raw socket, logged in through the client
 * library's {@link io.agentchat.client.LoginHandshake}; {@link io.agentchat.bench.core.PacedSteps}
 * spreads set-up steps (logins, joins, registrations) at a rate with a bound in flight.
 *
 * <p>The run skeleton: {@link io.agentchat.bench.core.LoadCommand} turns a run into output and an
 * exit status, {@link io.agentchat.bench.core.Phase} bounds every wait, {@link
 * io.agentchat.bench.core.LoadFailure} ends a run that could not set up.
 *
 * <p>The instruments: {@link io.agentchat.bench.core.LatencyHistogram}, {@link
 * io.agentchat.bench.core.CpuMark}, {@link io.agentchat.bench.core.ProcessSampler}, and {@link
 * io.agentchat.bench.core.FrameScan}, which reads a frame without parsing it.
 */
package io.agentchat.bench.core;
