package io.agentchat.bench.core;

import io.agentchat.client.RelayUrl;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One event loop of the bench client: its WebSocket client, so that every {@link AgentSocket} it
 * opens reads on this loop, the sockets open on it, and its {@link LoopStats}. Everything a
 * scenario puts on a loop is confined to it; the run's thread reaches the loop through {@link
 * #call}, which hops onto the loop first, so nothing here needs a lock. A scenario that keeps
 * counters of its own extends this class.
 */
public class ClientLoop extends VerticleBase {
  /**
   * Beyond the ~28,000 ports one client address can open to one server port: the limit must never
   * queue a socket, since the pacing of logins already bounds the connects in flight.
   */
  private static final int MAX_SOCKETS = 1 << 20;

  /**
   * JOINED lists every member (60 KiB per 1,000) and SEARCH_RESULTS up to 500 skills of up to 4 KB:
   * both exceed Vert.x's 64 KiB default.
   */
  private static final int MAX_FRAME_BYTES = 16 * 1024 * 1024;

  private final RelayUrl server;
  private final boolean trustAll;
  private final Duration connectTimeout;
  private final LoopStats stats = new LoopStats();
  private final Set<AgentSocket> open = new HashSet<>();

  /** Kept in a field: an unreferenced client is closed by a cleaner when collected. */
  private WebSocketClient client;

  private WebSocketConnectOptions connectOptions;

  /**
   * A loop that will connect to {@code server} once deployed.
   *
   * @param server a {@code ws://} or {@code wss://} URL
   * @param trustAll trust any TLS certificate (a self-signed loopback server)
   * @param connectTimeout bound on opening one socket
   * @throws IllegalArgumentException when {@code server} is not a WebSocket URL
   */
  public ClientLoop(URI server, boolean trustAll, Duration connectTimeout) {
    this.server = RelayUrl.parse(server.toString());
    this.trustAll = trustAll;
    this.connectTimeout = connectTimeout;
  }

  @Override
  public Future<?> start() {
    WebSocketClientOptions options =
        new WebSocketClientOptions()
            .setMaxConnections(MAX_SOCKETS)
            .setConnectTimeout((int) connectTimeout.toMillis())
            .setMaxFrameSize(MAX_FRAME_BYTES)
            .setMaxMessageSize(MAX_FRAME_BYTES);
    if (server.tls() && trustAll) {
      options.setTrustAll(true).setVerifyHost(false);
    }
    client = vertx.createWebSocketClient(options);
    connectOptions =
        new WebSocketConnectOptions()
            .setHost(server.host())
            .setPort(server.port())
            .setSsl(server.tls())
            .setURI(server.path());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    return client == null ? Future.succeededFuture() : client.close();
  }

  // ------------------------------------------------------------------ from the run's thread

  /** Runs {@code action} on this loop; the result completes with the action's future. */
  public final <T> Future<T> call(Supplier<Future<T>> action) {
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
  public final Future<LoopStats> snapshot() {
    return call(() -> Future.succeededFuture(stats.copy()));
  }

  /** Sets the measured window of this loop's stats, on the loop. */
  public final Future<Void> window(long start, long end) {
    return call(
        () -> {
          stats.window(start, end);
          return Future.succeededFuture();
        });
  }

  /**
   * Runs {@code step} over {@code items} on this loop, paced by {@link PacedSteps}.
   *
   * @return completes once every started step has settled; failures are the steps' to record
   */
  public final <T> Future<Void> paced(
      List<T> items, Function<T, Future<?>> step, double perSecond, int maxPending, long deadline) {
    return call(() -> PacedSteps.run(vertx, items, step, perSecond, maxPending, deadline));
  }

  /** Closes every socket still open on this loop from the client side. */
  public final Future<Void> closeAll() {
    return call(
        () -> {
          List<Future<Void>> closing = new ArrayList<>();
          for (AgentSocket socket : new ArrayList<>(open)) {
            closing.add(socket.close());
          }
          return Future.join(closing).mapEmpty();
        });
  }

  // ------------------------------------------------------------------ on the loop

  /** This loop's counters; record into them on the loop only. */
  public final LoopStats stats() {
    return stats;
  }

  /** The Vertx this loop runs on, for timers and worker threads. */
  public final Vertx vertx() {
    return vertx;
  }

  /** Sockets opened on this loop and not closed yet. */
  public final int openSockets() {
    return open.size();
  }

  /**
   * A promise that fails by itself with "{@code what} timed out after N ms" unless completed within
   * {@code timeout}; its timer is cancelled when it completes. Call on the loop.
   */
  public final <T> Promise<T> promiseWithin(Duration timeout, String what) {
    Promise<T> promise = Promise.promise();
    long ms = timeout.toMillis();
    long timer =
        vertx.setTimer(
            ms,
            t ->
                promise.tryFail(
                    new IllegalStateException(what + " timed out after " + ms + " ms")));
    promise.future().onComplete(ar -> vertx.cancelTimer(timer));
    return promise;
  }

  final Future<WebSocket> connect() {
    return client.connect(connectOptions);
  }

  final void opened(AgentSocket socket) {
    open.add(socket);
  }

  final void closed(AgentSocket socket) {
    open.remove(socket);
  }
}
