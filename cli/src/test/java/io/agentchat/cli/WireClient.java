package io.agentchat.cli;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A raw WebSocket peer of a running {@code serve}: sends literal JSON and hands back each text
 * frame the server sent, in order, and the code it closed with. Owns its Vert.x: close it in the
 * test's clean-up. The server sends nothing before the first frame it gets, so no frame arrives
 * before the handlers are set.
 */
final class WireClient {
  private final Vertx vertx;

  /**
   * Held for the socket's life: Vert.x closes a client that becomes unreachable, with its
   * connections, even one still in its handshake.
   */
  private final WebSocketClient client;

  private final WebSocket ws;
  private final LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
  private final CompletableFuture<Short> closedWith = new CompletableFuture<>();

  private WireClient(Vertx vertx, WebSocketClient client, WebSocket ws) {
    this.vertx = vertx;
    this.client = client;
    this.ws = ws;
    ws.textMessageHandler(frames::add);
    ws.closeHandler(v -> closedWith.complete(ws.closeStatusCode()));
  }

  /** Connects to {@code url} ({@code ws://host:port}). */
  static WireClient connect(String url) throws Exception {
    URI address = URI.create(url);
    Vertx vertx = Vertx.vertx();
    try {
      WebSocketClient client = vertx.createWebSocketClient();
      WebSocket ws =
          client
              .connect(
                  new WebSocketConnectOptions()
                      .setHost(address.getHost())
                      .setPort(address.getPort())
                      .setURI("/"))
              .await(30, TimeUnit.SECONDS);
      return new WireClient(vertx, client, ws);
    } catch (Exception e) {
      vertx.close().await(30, TimeUnit.SECONDS);
      throw e;
    }
  }

  /** Sends one frame as text. */
  void send(JsonObject frame) {
    ws.writeTextMessage(frame.encode());
  }

  /** The next frame the server sent, waiting at most {@code limit}; null if none came. */
  String next(Duration limit) throws InterruptedException {
    return frames.poll(limit.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The code the server closed the socket with, waiting at most {@code limit}. */
  short closeCode(Duration limit) throws Exception {
    return closedWith.get(limit.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Closes the socket, if still open, with its Vert.x. */
  void close() throws Exception {
    vertx.close().await(30, TimeUnit.SECONDS);
  }
}
