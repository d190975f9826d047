/**
 * What both load generators ({@code bench} and {@code market-bench}) measure with: the latency
 * histogram, CPU marks and process sampling, and scans that read a frame without parsing it.
 */
package io.agentchat.bench.core;
