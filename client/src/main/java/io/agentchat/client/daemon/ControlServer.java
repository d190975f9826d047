package io.agentchat.client.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentchat.client.AgentChatClient;
import io.agentchat.client.AgentChatException;
import io.agentchat.protocol.FrameCodec;
import io.agentchat.protocol.ServerFrame;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The daemon's control socket: a loopback TCP port through which local processes act as the
 * daemon's agent. Each line is one JSON object. A connection first shows the daemon's token ({@code
 * {"op":"hello","token":…}}, the token being in a file only the owner can read); then each request
 * {@code {"id":n,"op":…,…}} gets one answer {@code {"id":n,"ok":true,"frame":"…"}} (the server's
 * answer frame as JSON text, when there is one) or {@code
 * {"id":n,"ok":false,"code":…,"message":…}}. After {@code {"op":"subscribe"}} every frame the
 * daemon receives is also pushed as {@code {"event":"frame","text":…}}. {@link DaemonLink} speaks
 * it.
 */
final class ControlServer {
  /** Longest request line: a 2 MiB message can grow sixfold when JSON escapes it. */
  private static final int MAX_LINE = 16 * 1024 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final NetServer server;
  private final byte[] token;
  private final AgentDaemon daemon;
  private final Set<NetSocket> subscribers = ConcurrentHashMap.newKeySet();

  private ControlServer(NetServer server, String token, AgentDaemon daemon) {
    this.server = server;
    this.token = token.getBytes(StandardCharsets.UTF_8);
    this.daemon = daemon;
  }

  /** A fresh random token (256 bits, hex). */
  static String newToken() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** Listens on 127.0.0.1, on a free port. */
  static Future<ControlServer> listen(Vertx vertx, String token, AgentDaemon daemon) {
    NetServer server = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1"));
    ControlServer control = new ControlServer(server, token, daemon);
    // Handlers are set at once: data the caller sent right after connecting is not lost.
    server.connectHandler(control::accept);
    return server.listen(0, "127.0.0.1").map(s -> control);
  }

  int port() {
    return server.actualPort();
  }

  Future<Void> close() {
    return server.close();
  }

  /** Sends a received frame to every subscribed connection. */
  void publish(String frameText) {
    if (subscribers.isEmpty()) {
      return;
    }
    ObjectNode event = JSON.createObjectNode();
    event.put("event", "frame");
    event.put("text", frameText);
    Buffer line = Buffer.buffer(event.toString() + "\n");
    for (NetSocket socket : subscribers) {
      if (socket.writeQueueFull()) {
        // A local reader that does not keep up is cut off rather than buffered without bound.
        socket.close();
      } else {
        socket.write(line);
      }
    }
  }

  private void accept(NetSocket socket) {
    boolean[] authenticated = {false};
    RecordParser lines = RecordParser.newDelimited("\n");
    lines.maxRecordSize(MAX_LINE);
    lines.exceptionHandler(e -> socket.close());
    lines.handler(
        record -> {
          JsonNode request;
          try {
            request = JSON.readTree(record.toString(StandardCharsets.UTF_8));
          } catch (IOException e) {
            socket.close();
            return;
          }
          if (!authenticated[0]) {
            byte[] shown = request.path("token").asText("").getBytes(StandardCharsets.UTF_8);
            if (!"hello".equals(request.path("op").asText())
                || !MessageDigest.isEqual(shown, token)) {
              reply(socket, refusal(0, null, "Wrong daemon token"));
              socket.close();
              return;
            }
            authenticated[0] = true;
            hello(socket);
            return;
          }
          handle(socket, request);
        });
    socket.handler(lines);
    socket.closeHandler(v -> subscribers.remove(socket));
  }

  private void hello(NetSocket socket) {
    AgentChatClient c = daemon.client();
    ObjectNode answer = JSON.createObjectNode();
    answer.put("id", 0);
    answer.put("ok", true);
    answer.put("connected", c != null);
    answer.put("agent_id", c == null ? null : c.agentId());
    answer.put("name", c == null ? null : c.name());
    reply(socket, answer);
  }

  private void handle(NetSocket socket, JsonNode r) {
    long id = r.path("id").asLong();
    String op = r.path("op").asText();
    if (op.equals("subscribe")) {
      subscribers.add(socket);
      reply(socket, ok(id, null));
      return;
    }
    if (op.equals("shutdown")) {
      reply(socket, ok(id, null));
      daemon.event("shutdown_requested");
      daemon.close();
      return;
    }
    AgentChatClient c = daemon.client();
    if (c == null) {
      reply(socket, refusal(id, null, AgentDaemon.notConnected().getMessage()));
      return;
    }
    Future<? extends ServerFrame> answer;
    try {
      answer = perform(c, op, r);
    } catch (RuntimeException e) {
      reply(socket, refusal(id, null, e.getMessage()));
      return;
    }
    answer.onComplete(
        ar -> {
          if (ar.succeeded()) {
            reply(socket, ok(id, ar.result()));
          } else if (ar.cause() instanceof AgentChatException e) {
            reply(socket, refusal(id, e.code(), e.getMessage()));
          } else {
            reply(socket, refusal(id, null, String.valueOf(ar.cause().getMessage())));
          }
        });
  }

  /** One request, as the matching {@link AgentChatClient} call. */
  private Future<? extends ServerFrame> perform(AgentChatClient c, String op, JsonNode r) {
    Function<String, String> text = f -> r.hasNonNull(f) ? r.get(f).asText() : null;
    return switch (op) {
      case "join" -> daemon.join(text.apply("channel"));
      case "leave" -> {
        String channel = text.apply("channel");
        daemon.forget(channel);
        yield c.leave(channel).map(v -> (ServerFrame) null);
      }
      case "send" -> c.send(text.apply("to"), text.apply("content")).map(v -> null);
      case "list_channels" ->
          c.listChannels().map(list -> new ServerFrame.Channels(System.currentTimeMillis(), list));
      case "list_agents" -> {
        String channel = text.apply("channel");
        yield c.listAgents(channel)
            .map(list -> new ServerFrame.Agents(System.currentTimeMillis(), channel, list));
      }
      case "create_channel" -> {
        String channel = text.apply("channel");
        yield c.createChannel(channel, r.path("invite_only").asBoolean(false))
            .onSuccess(j -> daemon.remember(channel));
      }
      case "invite" -> c.invite(text.apply("channel"), text.apply("agent")).map(v -> null);
      case "set_nick" -> c.setNick(text.apply("nick"));
      case "register_skills" -> c.registerSkills((ArrayNode) r.get("skills"));
      case "search_skills" -> c.searchSkills((ObjectNode) r.get("query"));
      case "propose" ->
          c.propose(
              text.apply("to"),
              text.apply("task"),
              r.hasNonNull("amount") ? new BigDecimal(r.get("amount").asText()) : null,
              text.apply("currency"),
              text.apply("payment_code"),
              r.hasNonNull("expires") ? r.get("expires").asLong() : null,
              text.apply("terms"),
              r.hasNonNull("elo_stake") ? r.get("elo_stake").asLong() : null,
              text.apply("capability"));
      case "accept" ->
          c.accept(
              text.apply("proposal_id"),
              text.apply("payment_code"),
              r.hasNonNull("elo_stake") ? r.get("elo_stake").asLong() : null);
      case "reject" -> c.reject(text.apply("proposal_id"), text.apply("reason"));
      case "complete" -> c.complete(text.apply("proposal_id"), text.apply("proof"));
      case "dispute" -> c.dispute(text.apply("proposal_id"), text.apply("reason"));
      case "list_proposals" ->
          c.listProposals(
              text.apply("status"), r.hasNonNull("limit") ? r.get("limit").asInt() : null);
      default -> throw new IllegalArgumentException("Unknown daemon request \"" + op + "\"");
    };
  }

  private static ObjectNode ok(long id, ServerFrame frame) {
    ObjectNode answer = JSON.createObjectNode();
    answer.put("id", id);
    answer.put("ok", true);
    if (frame != null) {
      answer.put("frame", FrameCodec.encodeToString(frame));
    }
    return answer;
  }

  private static ObjectNode refusal(long id, String code, String message) {
    ObjectNode answer = JSON.createObjectNode();
    answer.put("id", id);
    answer.put("ok", false);
    answer.put("code", code);
    answer.put("message", message);
    return answer;
  }

  private static void reply(NetSocket socket, ObjectNode answer) {
    socket.write(Buffer.buffer(answer.toString() + "\n"));
  }
}
