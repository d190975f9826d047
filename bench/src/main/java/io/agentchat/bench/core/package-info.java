/**
 * What both load generators ({@code bench} and {@code market-bench}) are built from. The run
 * skeleton: {@link io.agentchat.bench.core.LoadCommand} turns a run into output and an exit status,
 * {@link io.agentchat.bench.core.Phase} bounds every wait, {@link
 * io.agentchat.bench.core.LoadFailure} ends a run that could not set up. The instruments: {@link
 * io.agentchat.bench.core.LatencyHistogram}, {@link io.agentchat.bench.core.CpuMark}, {@link
 * io.agentchat.bench.core.ProcessSampler}, and {@link io.agentchat.bench.core.FrameScan}, which
 * reads a frame without parsing it.
 */
package io.agentchat.bench.core;
