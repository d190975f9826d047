package io.agentchat.bench;

import io.agentchat.bench.core.AgentSocket;
import io.agentchat.bench.core.FrameScan;
import io.agentchat.bench.core.Refusal;
import io.agentchat.client.LoginHandshake;
import io.agentchat.identity.AgentKeyPair;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;

/**
 * One bench agent: logs in (ephemerally, or with a key that answers the CHALLENGE), joins the bench
 * channel, sends bench messages when it is a sender and counts the bench messages it receives.
 * Confined to the event loop of its {@link BenchLoop}.
 */
final class BenchConnection implements AgentSocket.Listener {
  private enum State {
    NEW,
    READY,
    JOINING,
    MEMBER,
    CLOSED
  }

  private final BenchLoop loop;
  private final String name;
  private final int senderIndex;
  private LoginHandshake handshake;
  private AgentSocket socket;
  private State state = State.NEW;
  private Promise<Void> join;
  private boolean createIfMissing;
  private String channel;
  private long seq;

  BenchConnection(BenchLoop loop, String name, int senderIndex) {
    this.loop = loop;
    this.name = name;
    this.senderIndex = senderIndex;
    this.handshake = new LoginHandshake(name, null);
  }

  boolean isSender() {
    return senderIndex >= 0;
  }

  /** Logs in with {@code keys} from now on, answering the server's CHALLENGE. */
  void keys(AgentKeyPair keys) {
    handshake = new LoginHandshake(name, keys);
  }

  /**
   * Opens the socket and logs in, recording the time from connect to WELCOME.
   *
   * @return completes at WELCOME; fails on connect error, ERROR, close or timeout
   */
  Future<Void> login() {
    long started = System.nanoTime();
    socket = new AgentSocket(loop, handshake);
    socket.listener(this);
    return socket
        .login(loop.options().loginTimeout())
        .map(
            welcome -> {
              state = State.READY;
              loop.stats().setupDone(System.nanoTime() - started);
              return null;
            });
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
    join = loop.promiseWithin(loop.options().loginTimeout(), "join");
    socket.send(frame("JOIN"));
    return join.future();
  }

  /** Writes one bench MSG stamped with {@code sentNanos}. */
  void sendBench(long sentNanos) {
    if (state != State.MEMBER) {
      loop.writeFailed();
      return;
    }
    socket
        .send(loop.content().msgFrame(senderIndex, seq++, sentNanos))
        .onFailure(e -> loop.writeFailed());
  }

  @Override
  public void onFrame(AgentSocket from, String text) {
    loop.received();
    long sent = loop.content().sentNanos(text);
    if (sent >= 0) {
      loop.delivered(sent);
      return;
    }
    String type = FrameScan.type(text);
    if ("JOINED".equals(type)) {
      joined();
    } else if ("ERROR".equals(type)) {
      onError(Refusal.of(text));
    }
    // AGENT_JOINED storms, history, welcome MSGs and other traffic are not measured.
  }

  @Override
  public void onClosed(AgentSocket from, String why) {
    state = State.CLOSED;
    if (join != null) {
      join.tryFail(new IllegalStateException(why));
    }
  }

  private void joined() {
    if (state != State.JOINING) {
      return;
    }
    state = State.MEMBER;
    join.tryComplete();
  }

  private void onError(Refusal refusal) {
    if (state == State.JOINING) {
      if ("CHANNEL_NOT_FOUND".equals(refusal.code()) && createIfMissing) {
        socket.send(frame("CREATE_CHANNEL"));
        return;
      }
      if ("CHANNEL_EXISTS".equals(refusal.code())) {
        // Another connection (or another bench) created it first: join it.
        socket.send(frame("JOIN"));
        return;
      }
    }
    loop.stats().error(refusal.code(), refusal.message());
    if (join != null) {
      join.tryFail(
          new IllegalStateException(
              "server sent ERROR " + refusal.code() + ": " + refusal.message()));
    }
  }

  private String frame(String type) {
    return new JsonObject().put("type", type).put("channel", channel).encode();
  }
}
