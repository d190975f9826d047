package io.agentchat.relay;

import io.agentchat.relay.impl.RelayRuntime;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * A running AgentChat relay: an HTTP server whose WebSocket endpoint speaks the AgentChat protocol,
 * with {@code GET /health}. One instance per event loop shares the port.
 *
 * <pre>{@code
 * RelayServer relay = RelayServer.start(vertx, new RelayOptions().port(0)).await();
 * int port = relay.actualPort();
 * relay.close().await();
 * }</pre>
 */
public interface RelayServer {

  /**
   * Starts a relay on {@code vertx}.
   *
   * @return a future completed once every event loop listens, or failed with a message an operator
   *     can act on (port in use, bad TLS files, invalid options)
   */
  static Future<RelayServer> start(Vertx vertx, RelayOptions options) {
    return RelayRuntime.start(vertx, options);
  }

  /** The port actually bound (useful with port 0). */
  int actualPort();

  /** {@code ws://host:port} or {@code wss://…} for clients on this machine. */
  String url();

  /** Agents currently logged in. */
  int onlineAgents();

  /**
   * Graceful stop: every socket gets a close frame (1001, "Server shutting down"), then the
   * listeners close. Idempotent.
   */
  Future<Void> close();
}
