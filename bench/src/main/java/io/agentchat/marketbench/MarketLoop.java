package io.agentchat.marketbench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URI;
import java.util.function.Supplier;

/**
 * One event loop of the bench: its WebSocket client, so every socket it opens delivers on this
 * loop, and its {@link LoopStats}. Workers (registrants, searchers, pairs) are confined to one
 * loop; the run reaches them through {@link #call}, which hops onto the loop first.
 */
final class MarketLoop extends VerticleBase {
  private final MarketBenchOptions options;
  private final LoopStats stats = new LoopStats();

  /** Kept in a field: an unreferenced client is closed by a cleaner when collected. */
  private WebSocketClient client;

  private WebSocketConnectOptions connectOptions;

  MarketLoop(MarketBenchOptions options) {
    this.options = options;
  }

  @Override
  public Future<?> start() {
    URI server = options.server();
    boolean tls = "wss".equals(server.getScheme());
    int port = server.getPort() > 0 ? server.getPort() : tls ? 443 : 80;
    String path =
        server.getRawPath() == null || server.getRawPath().isEmpty() ? "/" : server.getRawPath();
    WebSocketClientOptions clientOptions =
        new WebSocketClientOptions()
            .setMaxConnections(100_000)
            .setConnectTimeout((int) options.requestTimeout().toMillis())
            // 500 results of up to 4 KB each fit; the 64 KiB default does not.
            .setMaxFrameSize(4 * 1024 * 1024)
            .setMaxMessageSize(4 * 1024 * 1024);
    client = vertx.createWebSocketClient(clientOptions);
    connectOptions =
        new WebSocketConnectOptions()
            .setHost(server.getHost())
            .setPort(port)
            .setSsl(tls)
            .setURI(path);
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    return client == null ? Future.succeededFuture() : client.close();
  }

  /** Runs {@code action} on this loop; the result completes with the action's future. */
  <T> Future<T> call(Supplier<Future<T>> action) {
    Promise<T> result = Promise.promise();
    context.runOnContext(
        v -> {
          try {
            action.get().onComplete(result);
          } catch (RuntimeException e) {
            result.fail(e);
          }
        });
    return result.future();
  }

  /** A copy of this loop's counters, taken on the loop. */
  Future<LoopStats> snapshot() {
    return call(() -> Future.succeededFuture(stats.copy()));
  }

  /** Sets the measured window, on the loop. */
  Future<Void> window(long start, long end) {
    return call(
        () -> {
          stats.windowStart = start;
          stats.windowEnd = end;
          return Future.succeededFuture();
        });
  }

  MarketBenchOptions options() {
    return options;
  }

  LoopStats stats() {
    return stats;
  }

  Vertx vertx() {
    return vertx;
  }

  WebSocketClient client() {
    return client;
  }

  WebSocketConnectOptions connectOptions() {
    return connectOptions;
  }
}
