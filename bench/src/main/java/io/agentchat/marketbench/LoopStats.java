package io.agentchat.marketbench;

import io.agentchat.bench.core.LatencyHistogram;
import java.util.Map;
import java.util.TreeMap;

/**
 * The counters of one event loop: every worker on the loop (registrant, searcher, pair) records
 * into it from that loop's thread only, so it needs no locks. The run copies each loop's stats on
 * the loop and {@link #add adds} the copies together afterwards.
 */
final class LoopStats {
  /** Latency of the measured operation (search or round trip) completed in the window. */
  final LatencyHistogram latency = new LatencyHistogram();

  /** Latency of set-up steps (one registration, or one pair's logins). */
  final LatencyHistogram setupLatency = new LatencyHistogram();

  final Map<String, Long> errors = new TreeMap<>();
  final Map<String, String> errorSamples = new TreeMap<>();
  long windowStart = Long.MAX_VALUE;
  long windowEnd = Long.MAX_VALUE;

  /** Operations completed inside the window. */
  long completed;

  /** Operations completed at any time, warm-up and drain included. */
  long completedAll;

  /** Search only: the sum of SEARCH_RESULTS.total and the number of empty results, in window. */
  long matchTotal;

  long emptyResults;
  long setupDone;
  long setupFailed;
  String firstSetupFailure;

  /** Records an operation started at {@code startNanos} that completed at {@code nowNanos}. */
  boolean completed(long startNanos, long nowNanos) {
    completedAll++;
    if (nowNanos < windowStart || nowNanos >= windowEnd) {
      return false;
    }
    completed++;
    latency.record(nowNanos - startNanos);
    return true;
  }

  /** Counts a refusal, a timeout or a close under {@code code}, keeping the first message. */
  void error(String code, String message) {
    errors.merge(code, 1L, Long::sum);
    errorSamples.putIfAbsent(code, message);
  }

  void setupDone(long nanos) {
    setupDone++;
    setupLatency.record(nanos);
  }

  void setupFailed(String why) {
    setupFailed++;
    if (firstSetupFailure == null) {
      firstSetupFailure = why;
    }
  }

  /** A copy that later recordings do not change. */
  LoopStats copy() {
    LoopStats c = new LoopStats();
    c.add(this);
    return c;
  }

  /** Adds {@code other}'s counts into this one. */
  void add(LoopStats other) {
    latency.add(other.latency);
    setupLatency.add(other.setupLatency);
    other.errors.forEach((k, v) -> errors.merge(k, v, Long::sum));
    other.errorSamples.forEach(errorSamples::putIfAbsent);
    completed += other.completed;
    completedAll += other.completedAll;
    matchTotal += other.matchTotal;
    emptyResults += other.emptyResults;
    setupDone += other.setupDone;
    setupFailed += other.setupFailed;
    if (firstSetupFailure == null) {
      firstSetupFailure = other.firstSetupFailure;
    }
  }
}
