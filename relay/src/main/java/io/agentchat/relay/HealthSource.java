package io.agentchat.relay;

import io.vertx.core.Future;

/**
 * What {@code GET /health} reports beyond the relay itself: the other parts of the server (its
 * database, the marketplace, plug-ins) and their sections of the report. The relay is {@code
 * healthy} only when every part is ready; until then {@code /health} answers 503.
 */
@FunctionalInterface
public interface HealthSource {
  /**
   * The parts' states now. Called on an event loop for every {@code /health} request: it must not
   * block, and should answer within a second or two (the relay waits at most {@link
   * RelayOptions#HEALTH_TIMEOUT_MS} and then reports the parts as unknown).
   */
  Future<HealthReport> report();
}
