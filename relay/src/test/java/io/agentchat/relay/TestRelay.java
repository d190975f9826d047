package io.agentchat.relay;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

/** Starts a real relay on port 0 with two event loops, as in production, and stops it. */
public final class TestRelay implements AutoCloseable {
  public final Vertx vertx;
  public final RelayServer server;

  private TestRelay(Vertx vertx, RelayServer server) {
    this.vertx = vertx;
    this.server = server;
  }

  public static TestRelay start(RelayOptions options) {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(4));
    RelayServer server =
        Await.result(RelayServer.start(vertx, options.port(0).eventLoops(2)), "relay start");
    return new TestRelay(vertx, server);
  }

  public static TestRelay start() {
    return start(new RelayOptions());
  }

  public int port() {
    return server.actualPort();
  }

  public WireClient connect() {
    return WireClient.connect(vertx, port());
  }

  public WireClient ephemeral(String name) {
    return WireClient.ephemeral(vertx, port(), name);
  }

  @Override
  public void close() {
    try {
      Await.result(server.close(), "relay close");
    } finally {
      Await.result(vertx.close(), "vertx close");
    }
  }
}
