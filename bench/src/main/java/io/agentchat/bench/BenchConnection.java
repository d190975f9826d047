package io.agentchat.bench;

import io.agentchat.bench.core.FrameScan;
import io.agentchat.bench.core.LoadFailure;
import io.agentchat.identity.AgentKeyPair;
import io.agentchat.protocol.SigningStrings;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonObject;

/**
 * One bench socket: logs in (ephemerally or by answering the CHALLENGE), joins the bench channel,
 * sends bench messages when it is a sender and counts the bench messages it receives. Speaks raw
 * JSON so it can drive any AgentChat server. Confined to the event loop of its {@link BenchLoop}.
 */
final class BenchConnection {
  private enum State {
    NEW,
    CONNECTING,
    LOGGING_IN,
    READY,
    JOINING,
    MEMBER,
    CLOSED
  }

  private final BenchLoop loop;
  private final String name;
  private final int senderIndex;
  private AgentKeyPair keys;
  private WebSocket ws;
  private State state = State.NEW;
  private Promise<Void> step;
  private long stepTimer = -1;
  private long stepStarted;
  private boolean createIfMissing;
  private String channel;
  private long seq;

  BenchConnection(BenchLoop loop, String name, int senderIndex) {
    this.loop = loop;
    this.name = name;
    this.senderIndex = senderIndex;
  }

  boolean isSender() {
    return senderIndex >= 0;
  }

  boolean isOpen() {
    return state != State.CLOSED && state != State.NEW && ws != null;
  }

  void keys(AgentKeyPair keys) {
    this.keys = keys;
  }

  /**
   * Opens the socket and logs in.
   *
   * @return completes at WELCOME; fails on connect error, ERROR, close or timeout
   */
  Future<Void> login() {
    state = State.CONNECTING;
    Future<Void> done = begin(loop.options().loginTimeout().toMillis(), "login");
    loop.client()
        .connect(loop.connectOptions())
        .onComplete(
            ar -> {
              if (ar.failed()) {
                settle(
                    new IllegalStateException(
                        "connect failed: " + LoadFailure.describe(ar.cause())));
                return;
              }
              WebSocket socket = ar.result();
              if (step == null) {
                socket.close(); // the login already timed out
                return;
              }
              ws = socket;
              ws.textMessageHandler(this::onText);
              ws.closeHandler(v -> onClose());
              ws.exceptionHandler(loop::socketException);
              state = State.LOGGING_IN;
              JsonObject identify = new JsonObject().put("type", "IDENTIFY").put("name", name);
              if (keys != null) {
                identify.put("pubkey", keys.publicKey().pem());
              }
              ws.writeTextMessage(identify.encode());
            });
    return done;
  }

  /**
   * Joins {@code channel}; with {@code create}, answers CHANNEL_NOT_FOUND by creating it.
   *
   * @return completes at JOINED; fails on another ERROR, close or timeout
   */
  Future<Void> join(String channel, boolean create) {
    this.channel = channel;
    this.createIfMissing = create;
    state = State.JOINING;
    Future<Void> done = begin(loop.options().loginTimeout().toMillis(), "join");
    write(new JsonObject().put("type", "JOIN").put("channel", channel).encode());
    return done;
  }

  /** Writes one bench MSG stamped with {@code sentNanos}. */
  void sendBench(long sentNanos) {
    if (state != State.MEMBER) {
      loop.writeFailed();
      return;
    }
    ws.writeTextMessage(loop.content().msgFrame(senderIndex, seq++, sentNanos))
        .onFailure(e -> loop.writeFailed());
  }

  /** Closes the socket from our side; the close is not counted as a server close. */
  Future<Void> close() {
    State was = state;
    state = State.CLOSED;
    settle(new IllegalStateException("bench is closing"));
    if (ws == null || was == State.CLOSED) {
      return Future.succeededFuture();
    }
    return ws.close().recover(e -> Future.succeededFuture());
  }

  private void onText(String text) {
    loop.received();
    long sent = loop.content().sentNanos(text);
    if (sent >= 0) {
      loop.delivered(sent);
      return;
    }
    String type = FrameScan.type(text);
    if (type == null) {
      return;
    }
    switch (type) {
      case "CHALLENGE" -> answer(text);
      case "WELCOME" -> welcomed();
      case "JOINED" -> joined();
      case "ERROR" -> onError(new JsonObject(text));
      default -> {
        // AGENT_JOINED storms, history, welcome MSGs and other traffic are not measured.
      }
    }
  }

  private void answer(String text) {
    if (state != State.LOGGING_IN || keys == null) {
      return;
    }
    JsonObject challenge = new JsonObject(text);
    String challengeId = challenge.getString("challenge_id");
    long timestamp = System.currentTimeMillis();
    String signed = SigningStrings.login(challenge.getString("nonce"), challengeId, timestamp);
    AgentKeyPair signer = keys;
    // Signing is CPU work: keep it off the event loop that also reads every delivery.
    loop.vertx()
        .executeBlocking(() -> signer.sign(signed), false)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                settle(
                    new IllegalStateException(
                        "signing failed: " + LoadFailure.describe(ar.cause())));
              } else if (state == State.LOGGING_IN) {
                write(
                    new JsonObject()
                        .put("type", "VERIFY_IDENTITY")
                        .put("challenge_id", challengeId)
                        .put("signature", ar.result())
                        .put("timestamp", timestamp)
                        .encode());
              }
            });
  }

  private void welcomed() {
    if (state != State.LOGGING_IN) {
      return;
    }
    state = State.READY;
    loop.loggedIn(System.nanoTime() - stepStarted);
    settle(null);
  }

  private void joined() {
    if (state != State.JOINING) {
      return;
    }
    state = State.MEMBER;
    settle(null);
  }

  private void onError(JsonObject error) {
    String code = String.valueOf(error.getValue("code"));
    String message = String.valueOf(error.getValue("message"));
    if (state == State.JOINING) {
      if ("CHANNEL_NOT_FOUND".equals(code) && createIfMissing) {
        write(new JsonObject().put("type", "CREATE_CHANNEL").put("channel", channel).encode());
        return;
      }
      if ("CHANNEL_EXISTS".equals(code)) {
        // Another connection (or another bench) created it first: join it.
        write(new JsonObject().put("type", "JOIN").put("channel", channel).encode());
        return;
      }
    }
    loop.error(code, message);
    if (step != null) {
      settle(new IllegalStateException("server sent ERROR " + code + ": " + message));
    }
  }

  private void onClose() {
    if (state == State.CLOSED) {
      return;
    }
    state = State.CLOSED;
    short code = ws.closeStatusCode() == null ? -1 : ws.closeStatusCode();
    String reason = ws.closeReason() == null ? "" : ws.closeReason();
    loop.closedByServer(code, reason);
    settle(new IllegalStateException("server closed the socket (" + code + " " + reason + ")"));
  }

  private Future<Void> begin(long timeoutMs, String what) {
    step = Promise.promise();
    stepStarted = System.nanoTime();
    stepTimer =
        loop.vertx()
            .setTimer(
                timeoutMs,
                t -> {
                  stepTimer = -1;
                  settle(new IllegalStateException(what + " timed out after " + timeoutMs + " ms"));
                  if (state == State.CONNECTING || state == State.LOGGING_IN) {
                    close();
                  }
                });
    return step.future();
  }

  private void settle(Throwable failure) {
    Promise<Void> p = step;
    if (p == null) {
      return;
    }
    step = null;
    if (stepTimer >= 0) {
      loop.vertx().cancelTimer(stepTimer);
      stepTimer = -1;
    }
    if (failure == null) {
      p.complete();
    } else {
      p.fail(failure);
    }
  }

  private void write(String text) {
    if (ws != null && state != State.CLOSED) {
      ws.writeTextMessage(text);
    }
  }
}
