package io.agentchat.marketbench;

import io.agentchat.bench.core.FrameScan;
import io.agentchat.bench.core.LoadFailure;
import io.agentchat.identity.AgentKeyPair;
import io.agentchat.protocol.SigningStrings;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonObject;

/**
 * One bench socket speaking raw JSON: logs in (answering the CHALLENGE when it holds a key), then
 * hands every frame to its {@link Listener}. Confined to the event loop of its {@link MarketLoop}.
 */
final class MarketConnection {
  /** What a worker hears from its socket once it is logged in; called on the socket's loop. */
  interface Listener {
    /** A frame arrived; {@code type} was read from it, {@code text} is the whole frame. */
    void onFrame(MarketConnection from, String type, String text);

    /** The server closed the socket (a close the bench asked for is not reported). */
    void onClosed(MarketConnection from, String why);
  }

  private final MarketLoop loop;
  private final String name;
  private final AgentKeyPair keys;
  private WebSocket ws;
  private Listener listener;
  private Promise<Void> login;
  private long loginTimer = -1;
  private String wireId;
  private boolean closed;

  /**
   * A connection that will log in as {@code name}.
   *
   * @param keys the agent's key, or null for an ephemeral login
   */
  MarketConnection(MarketLoop loop, String name, AgentKeyPair keys) {
    this.loop = loop;
    this.name = name;
    this.keys = keys;
  }

  AgentKeyPair keys() {
    return keys;
  }

  /** The agent id with its {@code @}, known once logged in. */
  String wireId() {
    return wireId;
  }

  void listener(Listener listener) {
    this.listener = listener;
  }

  /**
   * Opens the socket and logs in. Call on the connection's loop.
   *
   * @return completes at WELCOME; fails with a one-line reason on a connect error, an ERROR, a
   *     close or after {@code --request-timeout}
   */
  Future<Void> login() {
    login = Promise.promise();
    long timeoutMs = loop.options().requestTimeout().toMillis();
    loginTimer =
        loop.vertx()
            .setTimer(
                timeoutMs,
                t -> {
                  loginTimer = -1;
                  failLogin("login timed out after " + timeoutMs + " ms");
                });
    Future<Void> result = login.future();
    loop.client()
        .connect(loop.connectOptions())
        .onComplete(
            ar -> {
              if (ar.failed()) {
                failLogin("connect failed: " + LoadFailure.describe(ar.cause()));
                return;
              }
              if (login == null) {
                ar.result().close(); // the login timed out meanwhile
                return;
              }
              ws = ar.result();
              ws.textMessageHandler(this::onText);
              ws.closeHandler(v -> onClose());
              ws.exceptionHandler(
                  e -> {
                    // A reset is followed by the close handler, which reports it.
                  });
              JsonObject identify = new JsonObject().put("type", "IDENTIFY").put("name", name);
              if (keys != null) {
                identify.put("pubkey", keys.publicKey().pem());
              }
              ws.writeTextMessage(identify.encode());
            });
    return result;
  }

  /** Writes one frame; false when the socket is closed. */
  boolean send(String text) {
    if (ws == null || closed) {
      return false;
    }
    ws.writeTextMessage(text);
    return true;
  }

  /** Closes the socket from the bench's side; the close is not reported to the listener. */
  Future<Void> close() {
    boolean wasClosed = closed;
    closed = true;
    if (ws == null || wasClosed) {
      return Future.succeededFuture();
    }
    return ws.close().recover(e -> Future.succeededFuture());
  }

  private void onText(String text) {
    String type = FrameScan.type(text);
    if (type == null) {
      return;
    }
    if (login == null) {
      if (listener != null) {
        listener.onFrame(this, type, text);
      }
      return;
    }
    switch (type) {
      case "CHALLENGE" -> answer(FrameScan.parse(text));
      case "WELCOME" -> {
        wireId = FrameScan.parse(text).getString("agent_id");
        settleLogin(null);
      }
      case "ERROR" -> {
        JsonObject error = FrameScan.parse(text);
        failLogin("login refused: " + error.getValue("code") + " " + error.getValue("message"));
      }
      default -> {
        // Nothing else is expected before WELCOME.
      }
    }
  }

  private void answer(JsonObject challenge) {
    if (keys == null) {
      return;
    }
    String challengeId = challenge.getString("challenge_id");
    long timestamp = System.currentTimeMillis();
    String signed = SigningStrings.login(challenge.getString("nonce"), challengeId, timestamp);
    // Logins come in bursts during set-up: sign on a worker, not on the loop serving frames.
    loop.vertx()
        .executeBlocking(() -> keys.sign(signed), false)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                failLogin("signing failed: " + LoadFailure.describe(ar.cause()));
              } else {
                send(
                    new JsonObject()
                        .put("type", "VERIFY_IDENTITY")
                        .put("challenge_id", challengeId)
                        .put("signature", ar.result())
                        .put("timestamp", timestamp)
                        .encode());
              }
            });
  }

  private void onClose() {
    if (closed) {
      return;
    }
    closed = true;
    String why =
        "server closed the socket ("
            + ws.closeStatusCode()
            + (ws.closeReason() == null || ws.closeReason().isEmpty() ? "" : " " + ws.closeReason())
            + ")";
    if (login != null) {
      failLogin(why);
    } else if (listener != null) {
      listener.onClosed(this, why);
    }
  }

  private void failLogin(String why) {
    if (login != null) {
      settleLogin(why);
      close();
    }
  }

  private void settleLogin(String failure) {
    Promise<Void> p = login;
    if (p == null) {
      return;
    }
    login = null;
    if (loginTimer >= 0) {
      loop.vertx().cancelTimer(loginTimer);
      loginTimer = -1;
    }
    if (failure == null) {
      p.complete();
    } else {
      p.fail(new IllegalStateException(failure));
    }
  }
}
