package io.agentchat.relay.impl;

import io.agentchat.protocol.BusAddresses;
import io.agentchat.protocol.BusMessages;
import io.agentchat.protocol.ClientFrame;
import io.agentchat.protocol.ErrorCode;
import io.agentchat.protocol.FrameCodec;
import io.agentchat.protocol.ProtocolException;
import io.agentchat.protocol.ServerFrame;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.ServerWebSocket;
import java.nio.charset.StandardCharsets;

/**
 * One WebSocket and the agent behind it. Owns its parse-to-dispatch path, its rate limiters and its
 * close reason. Every method runs on the connection's event loop; other loops reach it through the
 * event bus or {@link #runOnLoop}.
 */
final class AgentConnection {
  final long id;
  final String ip;

  /** Whether this connection holds one of its IP's places under --max-connections-per-ip. */
  private boolean countedForIp;

  final RelayState state;
  final RelayVerticle verticle;
  final Context context;
  private final ServerWebSocket ws;
  private final FrameDispatcher dispatcher;
  private final FrameWindow window;
  private final TokenBucket msgBucket;
  private long lastFileChunkNanos = Long.MIN_VALUE / 2;
  private long lastNickNanos = Long.MIN_VALUE / 2;
  private AgentSession session;
  private RelayState.PendingChallenge challenge;
  private MessageConsumer<OutboundFrame> inbox;
  private boolean awaitingPong;
  private CloseReason closeReason;

  /** Null when frames go through Vert.x's own write path (see {@link WireWriter#attach}). */
  private WireWriter writer;

  AgentConnection(
      ServerWebSocket ws,
      RelayVerticle verticle,
      RelayState state,
      Context context,
      FrameDispatcher dispatcher) {
    this.ws = ws;
    this.verticle = verticle;
    this.state = state;
    this.context = context;
    this.dispatcher = dispatcher;
    this.id = state.connectionIds.incrementAndGet();
    this.ip = ws.remoteAddress() == null ? "unknown" : ws.remoteAddress().hostAddress();
    this.window = new FrameWindow(state.options.preAuthFrameLimit());
    this.msgBucket =
        new TokenBucket(state.options.msgRate(), state.options.msgBurst(), System.nanoTime());
  }

  /** Wires the socket's handlers. Called once, on the connection's loop. */
  void start() {
    ws.setWriteQueueMaxSize(state.options.maxOutboundBytes());
    ws.textMessageHandler(this::onText);
    // The reference treats binary frames as UTF-8 text; so do we.
    ws.binaryMessageHandler(b -> onText(b.toString(StandardCharsets.UTF_8)));
    ws.pongHandler(b -> awaitingPong = false);
    ws.exceptionHandler(
        e -> {
          if (isFrameTooLarge(e)) {
            close(CloseReason.FRAME_TOO_LARGE);
          }
        });
    ws.closeHandler(
        v -> {
          if (closeReason == null) {
            Short code = ws.closeStatusCode();
            close(
                code != null && code == 1009
                    ? CloseReason.FRAME_TOO_LARGE
                    : CloseReason.PEER_CLOSED);
          }
        });
    writer = WireWriter.attach(ws, verticle.pendingFlushes());
    state.openConnections.incrementAndGet();
    state.log.connected(id, ip);
    countedForIp = state.connectionsPerIp.tryAdd(ip);
    if (!countedForIp) {
      close(CloseReason.TOO_MANY_FROM_IP);
    }
  }

  private static boolean isFrameTooLarge(Throwable e) {
    String name = e.getClass().getSimpleName();
    String msg = String.valueOf(e.getMessage());
    return name.contains("TooLong")
        || name.contains("CorruptedWebSocketFrame")
        || msg.contains("Max frame length")
        || msg.contains("exceeds")
        || msg.contains("too big");
  }

  // ----------------------------------------------------------------------------- inbound

  private void onText(String text) {
    if (closeReason != null) {
      return;
    }
    awaitingPong = false;
    if (!window.admit(System.nanoTime())) {
      if (session == null) {
        // Before login the reference cuts a flooding socket off; after login it only refuses.
        sendError(ErrorCode.RATE_LIMITED, "Rate limit exceeded", "-");
        close(CloseReason.PRE_AUTH_FLOOD);
      } else {
        sendError(ErrorCode.RATE_LIMITED, "Too many messages", "-");
      }
      return;
    }
    ClientFrame frame;
    try {
      frame = FrameCodec.decodeClient(text);
    } catch (ProtocolException e) {
      sendError(e.code(), e.getMessage(), "-");
      return;
    }
    try {
      dispatcher.dispatch(this, frame, text);
    } catch (ProtocolException e) {
      sendError(e.code(), e.getMessage(), frame.type());
    } catch (RuntimeException e) {
      state.log.internalError(id, frame.type(), e);
      sendError(ErrorCode.INVALID_MSG, "Internal error handling " + frame.type(), frame.type());
    }
  }

  // ---------------------------------------------------------------------------- outbound

  /** Writes a frame, or cuts the connection off if its reader has fallen too far behind. */
  void send(OutboundFrame frame) {
    if (closeReason != null) {
      return;
    }
    try {
      if (ws.isClosed()) {
        // The peer has gone but its close handler has not run yet.
        close(CloseReason.PEER_CLOSED);
        return;
      }
      if (writer != null) {
        if (writer.full()) {
          close(CloseReason.SLOW_CONSUMER);
          return;
        }
        writer.write(frame.wireFrame());
        return;
      }
      if (ws.writeQueueFull()) {
        close(CloseReason.SLOW_CONSUMER);
        return;
      }
      ws.writeFrame(frame.toWebSocketFrame());
    } catch (IllegalStateException socketClosed) {
      // Vert.x throws when the socket closed between the check and the write. Never let it
      // escape: a fan-out loop would skip every member after this one.
      close(CloseReason.PEER_CLOSED);
    }
  }

  void send(ServerFrame frame) {
    send(OutboundFrame.of(frame));
  }

  void sendError(ErrorCode code, String message, String frameType) {
    state.log.refused(id, session == null ? null : session.wireId, frameType, code.name());
    send(new ServerFrame.Error(state.now(), code, message));
  }

  /** Runs an action on this connection's loop (used by other loops, e.g. displacement). */
  void runOnLoop(Runnable action) {
    context.runOnContext(v -> action.run());
  }

  // ----------------------------------------------------------------------------- session

  AgentSession session() {
    return session;
  }

  /** The session, or AUTH_REQUIRED when the agent has not logged in. */
  AgentSession requireSession() {
    if (session == null) {
      throw new ProtocolException(ErrorCode.AUTH_REQUIRED, "Must IDENTIFY first");
    }
    return session;
  }

  /** Binds the logged-in session and starts receiving frames addressed to it. */
  void bindSession(AgentSession s) {
    this.session = s;
    this.window.resize(state.options.frameWindowLimit());
    this.inbox = state.bus.localConsumer(s.address, m -> send(m.body()));
  }

  RelayState.PendingChallenge challenge() {
    return challenge;
  }

  void challenge(RelayState.PendingChallenge c) {
    this.challenge = c;
  }

  boolean takeMsgToken() {
    return msgBucket.tryTake(System.nanoTime());
  }

  /** Nanoseconds until the next nick change is allowed; 0 when allowed (and then recorded). */
  long takeNickSlot() {
    long now = System.nanoTime();
    long wait = state.options.nickInterval().toNanos() - (now - lastNickNanos);
    if (wait > 0) {
      return wait;
    }
    lastNickNanos = now;
    return 0;
  }

  /** One FILE_CHUNK per 100 ms, as the reference. */
  boolean takeFileChunkSlot() {
    long now = System.nanoTime();
    if (now - lastFileChunkNanos < 100_000_000L) {
      return false;
    }
    lastFileChunkNanos = now;
    return true;
  }

  // ---------------------------------------------------------------------------- heartbeat

  /** Called by the loop's heartbeat tick: pings, or closes a peer that never answered. */
  void heartbeat() {
    if (closeReason != null) {
      return;
    }
    if (awaitingPong) {
      close(CloseReason.HEARTBEAT_TIMEOUT);
      return;
    }
    awaitingPong = true;
    ws.writePing(Buffer.buffer("hb"));
  }

  // ------------------------------------------------------------------------------- close

  boolean isClosed() {
    return closeReason != null;
  }

  /**
   * The one way a connection ends: record why, leave every channel, drop the session and challenge,
   * then close the socket with the reason's code. Idempotent.
   */
  void close(CloseReason reason) {
    if (closeReason != null) {
      return;
    }
    closeReason = reason;
    cleanUp();
    state.openConnections.decrementAndGet();
    if (countedForIp) {
      state.connectionsPerIp.release(ip);
    }
    state.log.closed(id, session == null ? null : session.wireId, reason.name(), reason.code);
    if (reason != CloseReason.PEER_CLOSED && !ws.isClosed()) {
      ws.close(reason.code, reason.text);
    }
  }

  private void cleanUp() {
    verticle.forget(this);
    if (challenge != null) {
      state.challenges.remove(challenge.id(), challenge);
      state.vertx.cancelTimer(challenge.timerId());
      challenge = null;
    }
    if (session != null) {
      long now = state.now();
      for (String name : session.channels.toArray(new String[0])) {
        Channel channel = state.channels.get(name);
        if (channel != null) {
          channel.leave(session, f -> state.publishToChannel(name, f), now);
        }
      }
      state.directory.remove(session);
      state.bus.publish(
          BusAddresses.AGENT_OFFLINE,
          BusMessages.encode(new BusMessages.AgentOffline(session.id, session.address)));
      PeerVerification.forgetRequester(state, session);
      if (inbox != null) {
        inbox.unregister();
      }
    }
  }
}
