package io.agentchat.relay.impl;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Open connections per remote IP, for {@code --max-connections-per-ip}. Counts the socket's own
 * address: the reference takes the first {@code X-Forwarded-For} entry, which any client can write,
 * so its cap is bypassed with one header. Shared by every event loop.
 */
final class ConnectionsPerIp {
  private final int cap;
  private final ConcurrentHashMap<String, Integer> open = new ConcurrentHashMap<>();

  /**
   * @param cap connections allowed per IP; 0 for no cap (nothing is counted)
   */
  ConnectionsPerIp(int cap) {
    this.cap = cap;
  }

  /**
   * Takes a place for a new connection from {@code ip}.
   *
   * @return false when the IP already has {@code cap} open connections (nothing taken)
   */
  boolean tryAdd(String ip) {
    if (cap == 0) {
      return true;
    }
    boolean[] taken = {false};
    open.compute(
        ip,
        (k, n) -> {
          int current = n == null ? 0 : n;
          if (current >= cap) {
            return n;
          }
          taken[0] = true;
          return current + 1;
        });
    return taken[0];
  }

  /** Gives back the place a connection from {@code ip} took. */
  void release(String ip) {
    if (cap == 0) {
      return;
    }
    open.computeIfPresent(ip, (k, n) -> n <= 1 ? null : n - 1);
  }
}
