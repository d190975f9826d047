package io.agentchat.relay.impl;

/**
 * A token bucket: {@code burst} tokens, refilled at {@code ratePerSecond}. Used for the MSG rate of
 * one connection; touched only from that connection's event loop, so not synchronised.
 */
final class TokenBucket {
  private final double ratePerNano;
  private final double burst;
  private double tokens;
  private long last;

  TokenBucket(double ratePerSecond, int burst, long nowNanos) {
    this.ratePerNano = ratePerSecond / 1_000_000_000d;
    this.burst = burst;
    this.tokens = burst;
    this.last = nowNanos;
  }

  /** Takes one token if there is one. */
  boolean tryTake(long nowNanos) {
    tokens = Math.min(burst, tokens + (nowNanos - last) * ratePerNano);
    last = nowNanos;
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}
