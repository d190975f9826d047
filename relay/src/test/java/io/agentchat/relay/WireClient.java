package io.agentchat.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import io.agentchat.identity.AgentKeyPair;
import io.agentchat.protocol.SigningStrings;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A raw WebSocket peer for tests: sends literal JSON text and hands back each frame the server
 * sent, in order. Waits on arrivals with a bound, never on sleeps.
 */
public final class WireClient implements AutoCloseable {
  public static final long WAIT_SECONDS = 10;
  private final WebSocketClient client;
  private final WebSocket ws;
  private final LinkedBlockingQueue<JsonObject> inbox = new LinkedBlockingQueue<>();
  private final CompletableFuture<Short> closed = new CompletableFuture<>();
  public String agentId;

  private WireClient(WebSocketClient client, WebSocket ws) {
    this.client = client;
    this.ws = ws;
    try {
      ws.textMessageHandler(t -> inbox.add(new JsonObject(t)));
      ws.closeHandler(v -> closed.complete(ws.closeStatusCode()));
    } catch (IllegalStateException alreadyClosed) {
      // The server may close right after the handshake (a refused connection), before this
      // thread gets to set the handlers; Vert.x then refuses them.
    }
    if (ws.isClosed()) {
      closed.complete(ws.closeStatusCode());
    }
  }

  public static WireClient connect(Vertx vertx, int port) {
    WebSocketClient client =
        vertx.createWebSocketClient(
            new WebSocketClientOptions()
                .setMaxFrameSize(8 * 1024 * 1024)
                .setMaxMessageSize(8 * 1024 * 1024));
    WebSocket ws =
        Await.result(
            client.connect(
                new WebSocketConnectOptions().setPort(port).setHost("127.0.0.1").setURI("/")),
            "websocket connect");
    return new WireClient(client, ws);
  }

  /** Connects and logs in ephemerally. */
  public static WireClient ephemeral(Vertx vertx, int port, String name) {
    WireClient c = connect(vertx, port);
    c.send(new JsonObject().put("type", "IDENTIFY").put("name", name));
    JsonObject welcome = c.expect("WELCOME");
    c.agentId = welcome.getString("agent_id");
    return c;
  }

  /** Connects and logs in with a key, answering the challenge. */
  public static WireClient keyed(Vertx vertx, int port, String name, AgentKeyPair keys) {
    WireClient c = connect(vertx, port);
    c.send(
        new JsonObject()
            .put("type", "IDENTIFY")
            .put("name", name)
            .put("pubkey", keys.publicKey().pem()));
    JsonObject challenge = c.expect("CHALLENGE");
    c.answer(challenge, keys, System.currentTimeMillis());
    JsonObject welcome = c.expect("WELCOME");
    c.agentId = welcome.getString("agent_id");
    return c;
  }

  public void answer(JsonObject challenge, AgentKeyPair keys, long timestamp) {
    String signed =
        SigningStrings.login(
            challenge.getString("nonce"), challenge.getString("challenge_id"), timestamp);
    send(
        new JsonObject()
            .put("type", "VERIFY_IDENTITY")
            .put("challenge_id", challenge.getString("challenge_id"))
            .put("signature", keys.sign(signed))
            .put("timestamp", timestamp));
  }

  public void send(JsonObject frame) {
    send(frame.encode());
  }

  public void send(String text) {
    Await.result(ws.writeTextMessage(text), "write");
  }

  public void sendBinary(byte[] bytes) {
    Await.result(ws.writeBinaryMessage(Buffer.buffer(bytes)), "write");
  }

  /** Joins a channel and consumes JOINED, any history and the welcome message. */
  public JsonObject join(String channel) {
    send(new JsonObject().put("type", "JOIN").put("channel", channel));
    JsonObject joined = expect("JOINED");
    JsonObject next;
    while ((next = next()).getBoolean("replay", false)) {
      // history
    }
    assertEquals("@server", next.getString("from"), "welcome message after JOINED");
    return joined;
  }

  /** The next frame, whatever it is. */
  public JsonObject next() {
    try {
      JsonObject f = inbox.poll(WAIT_SECONDS, TimeUnit.SECONDS);
      assertNotNull(f, "no frame within " + WAIT_SECONDS + "s");
      return f;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The next frame, or null once the server has closed the socket and nothing is left to read. */
  public JsonObject nextUnlessClosed() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    try {
      while (System.nanoTime() < deadline) {
        JsonObject f = inbox.poll(20, TimeUnit.MILLISECONDS);
        if (f != null) {
          return f;
        }
        if (closed.isDone() && inbox.isEmpty()) {
          return null;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    return fail("neither a frame nor a close within " + WAIT_SECONDS + "s");
  }

  /** The next frame, which must be of {@code type}. */
  public JsonObject expect(String type) {
    JsonObject f = next();
    assertEquals(type, f.getString("type"), () -> "unexpected frame " + f.encode());
    return f;
  }

  /** The next frame, which must be an ERROR with {@code code}. */
  public JsonObject expectError(String code) {
    JsonObject f = expect("ERROR");
    assertEquals(code, f.getString("code"), () -> "unexpected error " + f.encode());
    return f;
  }

  /**
   * Proves nothing else is queued: a PING's PONG is the very next frame (the server answers in
   * order, so anything it sent before would arrive first).
   */
  public void expectNothingMore() {
    send("{\"type\":\"PING\"}");
    JsonObject f = next();
    assertEquals("PONG", f.getString("type"), () -> "unexpected frame " + f.encode());
  }

  /** Waits for the server to close the socket and returns the close code. */
  public short awaitClose() {
    try {
      Short code = closed.get(WAIT_SECONDS, TimeUnit.SECONDS);
      return code == null ? -1 : code;
    } catch (Exception e) {
      return fail("socket was not closed: " + e);
    }
  }

  /** The reason text of the server's close frame, once closed. */
  public String closeReason() {
    return ws.closeReason();
  }

  public boolean isClosed() {
    return closed.isDone();
  }

  public void pauseReading() {
    ws.pause();
  }

  @Override
  public void close() {
    if (!closed.isDone()) {
      ws.close();
    }
    client.close();
  }
}
