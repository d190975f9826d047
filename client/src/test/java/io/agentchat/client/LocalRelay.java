package io.agentchat.client;

import io.agentchat.relay.RelayOptions;
import io.agentchat.relay.RelayServer;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real relay on a free port of this machine, on a Vert.x instance of its own, for tests that talk
 * to it over real sockets.
 */
public final class LocalRelay implements AutoCloseable {
  private final Vertx vertx;
  private final RelayServer server;

  private LocalRelay(Vertx vertx, RelayServer server) {
    this.vertx = vertx;
    this.server = server;
  }

  /** Starts a relay with the default options on port 0. */
  public static LocalRelay start() throws TimeoutException {
    Vertx vertx = Vertx.vertx();
    RelayServer server =
        RelayServer.start(vertx, new RelayOptions().port(0).eventLoops(1))
            .await(30, TimeUnit.SECONDS);
    return new LocalRelay(vertx, server);
  }

  /** The relay's {@code ws://127.0.0.1:port} URL. */
  public String url() {
    return server.url();
  }

  /** Stops the relay, closing every client socket with a close frame. */
  public void stop() throws TimeoutException {
    server.close().await(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws TimeoutException {
    try {
      stop();
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
