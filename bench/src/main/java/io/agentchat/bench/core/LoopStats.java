package io.agentchat.bench.core;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The counters every scenario keeps on one event loop: the measured operations (deliveries,
 * searches, round trips) and their latency in the window, the set-up steps (logins, registrations)
 * and theirs, the server's refusals by code, and the sockets it closed. Everything on a loop
 * records into that loop's stats from the loop's thread only, so they need no locks; the run copies
 * each loop's stats on its loop ({@link ClientLoop#snapshot}) and {@link #add adds} the copies.
 */
public final class LoopStats {
  private final LatencyHistogram latency = new LatencyHistogram();
  private final LatencyHistogram setupLatency = new LatencyHistogram();
  private final Map<String, Long> errors = new TreeMap<>();
  private final Map<String, String> errorSamples = new TreeMap<>();
  private final Map<String, Long> closes = new TreeMap<>();
  private long windowStart = Long.MAX_VALUE;
  private long windowEnd = Long.MAX_VALUE;
  private long completed;
  private long completedAll;
  private long setupDone;
  private long lastSetupDone;
  private long setupFailed;
  private String firstSetupFailure;
  private int closedByServer;
  private String firstSocketError;

  // ------------------------------------------------------------------ recording (on the loop)

  /** Sets the measured window, on the clock the scenario stamps its operations with. */
  public void window(long start, long end) {
    windowStart = start;
    windowEnd = end;
  }

  /** True when {@code time} falls in the measured window. */
  public boolean inWindow(long time) {
    return time >= windowStart && time < windowEnd;
  }

  /**
   * Records a measured operation; its latency counts only when {@code inWindow}. Cheap enough for
   * the delivery path: two increments and a histogram bucket.
   */
  public void completed(long latencyNanos, boolean inWindow) {
    completedAll++;
    if (inWindow) {
      completed++;
      latency.record(latencyNanos);
    }
  }

  /**
   * Records an operation that counts when it ends in the window (a search, a round trip), both
   * times on {@link System#nanoTime}.
   *
   * @return true when it counted
   */
  public boolean completedAt(long startNanos, long endNanos) {
    boolean counted = inWindow(endNanos);
    completed(endNanos - startNanos, counted);
    return counted;
  }

  /** Records a set-up step (a login, a registration) that took {@code latencyNanos}, ending now. */
  public void setupDone(long latencyNanos) {
    setupDone++;
    lastSetupDone = System.nanoTime();
    setupLatency.record(latencyNanos);
  }

  /** Records a set-up step that failed, keeping the first reason. */
  public void setupFailed(String why) {
    setupFailed++;
    if (firstSetupFailure == null) {
      firstSetupFailure = why;
    }
  }

  /** Counts a refusal, a timeout or a close under {@code code}, keeping the first message. */
  public void error(String code, String message) {
    errors.merge(code, 1L, Long::sum);
    errorSamples.putIfAbsent(code, message);
  }

  /** Counts a socket the server closed, by close code and reason (-1 when it sent none). */
  public void closedByServer(int code, String reason) {
    closedByServer++;
    closes.merge(code + (reason.isEmpty() ? "" : " " + reason), 1L, Long::sum);
  }

  /** Keeps the first socket error (a reset, a TLS failure); the close that follows is counted. */
  public void socketError(Throwable e) {
    if (firstSocketError == null) {
      firstSocketError = LoadFailure.describe(e);
    }
  }

  // ------------------------------------------------------------------ reading (a copy)

  /** Latency of the operations counted in the window. */
  public LatencyHistogram latency() {
    return latency;
  }

  /** Latency of the set-up steps. */
  public LatencyHistogram setupLatency() {
    return setupLatency;
  }

  /** Refusals, timeouts and closes by code. */
  public Map<String, Long> errors() {
    return Collections.unmodifiableMap(errors);
  }

  /** The first message seen for each code of {@link #errors}. */
  public Map<String, String> errorSamples() {
    return Collections.unmodifiableMap(errorSamples);
  }

  /** Sockets the server closed, by "code reason". */
  public Map<String, Long> closes() {
    return Collections.unmodifiableMap(closes);
  }

  /** Operations counted in the window. */
  public long completed() {
    return completed;
  }

  /** Operations completed at any time, warm-up and drain included. */
  public long completedAll() {
    return completedAll;
  }

  /** Set-up steps that succeeded. */
  public long setupDone() {
    return setupDone;
  }

  /** When the last set-up step succeeded, on {@link System#nanoTime}; 0 when none did. */
  public long lastSetupDone() {
    return lastSetupDone;
  }

  /** Set-up steps that failed. */
  public long setupFailed() {
    return setupFailed;
  }

  /** Why the first failed set-up step failed; null when none did. */
  public String firstSetupFailure() {
    return firstSetupFailure;
  }

  /** Sockets the server closed. */
  public int closedByServer() {
    return closedByServer;
  }

  /** The first socket error; null when there was none. */
  public String firstSocketError() {
    return firstSocketError;
  }

  // ------------------------------------------------------------------ combining

  /** A copy that later recordings do not change. */
  public LoopStats copy() {
    LoopStats c = new LoopStats();
    c.add(this);
    return c;
  }

  /** Adds {@code other}'s counts into this one; the first failures seen are kept. */
  public void add(LoopStats other) {
    latency.add(other.latency);
    setupLatency.add(other.setupLatency);
    other.errors.forEach((k, v) -> errors.merge(k, v, Long::sum));
    other.errorSamples.forEach(errorSamples::putIfAbsent);
    other.closes.forEach((k, v) -> closes.merge(k, v, Long::sum));
    completed += other.completed;
    completedAll += other.completedAll;
    setupDone += other.setupDone;
    lastSetupDone = Math.max(lastSetupDone, other.lastSetupDone);
    setupFailed += other.setupFailed;
    closedByServer += other.closedByServer;
    if (firstSetupFailure == null) {
      firstSetupFailure = other.firstSetupFailure;
    }
    if (firstSocketError == null) {
      firstSocketError = other.firstSocketError;
    }
  }
}
