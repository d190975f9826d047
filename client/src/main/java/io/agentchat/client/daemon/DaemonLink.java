package io.agentchat.client.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentchat.client.AgentChatException;
import io.agentchat.client.AgentSession;
import io.agentchat.client.Disconnect;
import io.agentchat.protocol.FrameCodec;
import io.agentchat.protocol.ServerFrame;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * An {@link AgentSession} through a local daemon's control socket ({@link ControlServer}): the
 * daemon's own connection does the work, so nothing logs in a second time and the daemon is not
 * displaced. Requests fail with the server's code and message exactly as on a direct connection, or
 * locally when the daemon is not connected right now.
 *
 * <p>All methods may be called from any thread; handlers run on the link's event loop.
 */
public final class DaemonLink implements AgentSession {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Vertx vertx;
  private final long timeoutMs;
  private final Map<Long, Promise<JsonNode>> pending = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private final Promise<Void> closed = Promise.promise();
  private final Promise<JsonNode> hello = Promise.promise();

  // Held in a field on purpose: a client nothing references is closed by a cleaner.
  private NetClient netClient;
  private NetSocket socket;
  private volatile String agentId;
  private volatile String name;
  private volatile Consumer<ServerFrame> frameHandler;
  private volatile BiConsumer<ServerFrame, String> rawFrameHandler;
  private volatile Consumer<Disconnect> closeHandler;
  private volatile boolean closing;

  private DaemonLink(Vertx vertx, Duration timeout) {
    this.vertx = vertx;
    this.timeoutMs = Math.max(1, timeout.toMillis());
  }

  /**
   * Connects to the daemon {@code pointer} names and shows it its token.
   *
   * @return the link, once the daemon said which agent it is; fails when the daemon cannot be
   *     reached, refuses the token, or is not connected to the server right now
   */
  public static Future<DaemonLink> connect(Vertx vertx, DaemonPointer pointer, Duration timeout) {
    return open(vertx, pointer.files(), timeout)
        .compose(
            link -> {
              if (link.agentId != null) {
                return Future.succeededFuture(link);
              }
              return link.close().transform(ar -> Future.failedFuture(AgentDaemon.notConnected()));
            });
  }

  /**
   * Asks the daemon of {@code files} to disconnect and exit; completes once it has acknowledged.
   * Works whether or not the daemon is connected to its server.
   */
  public static Future<Void> requestShutdown(Vertx vertx, DaemonFiles files, Duration timeout) {
    return open(vertx, files, timeout).compose(link -> link.shutdown().eventually(link::close));
  }

  private static Future<DaemonLink> open(Vertx vertx, DaemonFiles files, Duration timeout) {
    String token;
    DaemonState state;
    try {
      token = Files.readString(files.token(), StandardCharsets.UTF_8).strip();
      state = DaemonState.read(files);
    } catch (IOException e) {
      return Future.failedFuture(
          AgentChatException.local("Cannot read the daemon's files in " + files.dir() + ": " + e));
    }
    DaemonLink link = new DaemonLink(vertx, timeout);
    return link.open(state.port(), token).map(v -> link);
  }

  private Future<Void> open(int port, String token) {
    netClient = vertx.createNetClient(new NetClientOptions().setConnectTimeout((int) timeoutMs));
    return netClient
        .connect(port, "127.0.0.1")
        .recover(
            e ->
                Future.failedFuture(
                    AgentChatException.local("Cannot reach the local daemon: " + e.getMessage())))
        .compose(
            s -> {
              socket = s;
              RecordParser lines = RecordParser.newDelimited("\n");
              lines.maxRecordSize(64 * 1024 * 1024);
              lines.handler(this::onLine);
              s.handler(lines);
              s.closeHandler(v -> onClosed());
              ObjectNode first = JSON.createObjectNode();
              first.put("op", "hello");
              first.put("token", token);
              s.write(Buffer.buffer(first.toString() + "\n"));
              return hello.future();
            })
        .map(
            answer -> {
              agentId = answer.path("agent_id").asText(null);
              name = answer.path("name").asText(null);
              return (Void) null;
            });
  }

  private void onLine(Buffer record) {
    JsonNode line;
    try {
      line = JSON.readTree(record.toString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      return;
    }
    if (line.has("event")) {
      String text = line.path("text").asText();
      ServerFrame frame;
      try {
        frame = FrameCodec.decodeServer(text);
      } catch (IllegalArgumentException e) {
        return;
      }
      Consumer<ServerFrame> parsed = frameHandler;
      BiConsumer<ServerFrame, String> raw = rawFrameHandler;
      if (parsed != null) {
        parsed.accept(frame);
      }
      if (raw != null) {
        raw.accept(frame, text);
      }
      return;
    }
    long id = line.path("id").asLong();
    Promise<JsonNode> promise = id == 0 ? hello : pending.remove(id);
    if (promise == null) {
      return;
    }
    if (line.path("ok").asBoolean()) {
      promise.tryComplete(line);
    } else {
      promise.tryFail(
          new AgentChatException(
              line.hasNonNull("code") ? line.get("code").asText() : null,
              line.path("message").asText("The daemon refused the request")));
    }
  }

  private void onClosed() {
    AgentChatException gone = AgentChatException.local("The local daemon closed the link");
    hello.tryFail(gone);
    for (Long id : List.copyOf(pending.keySet())) {
      Promise<JsonNode> p = pending.remove(id);
      if (p != null) {
        p.tryFail(gone);
      }
    }
    Consumer<Disconnect> handler = closeHandler;
    if (handler != null) {
      handler.accept(new Disconnect(null, "daemon link closed", closing));
    }
    netClient.close().onComplete(ar -> closed.tryComplete());
  }

  /** Sends one request; completes with the answer's frame, or null for requests without one. */
  private <T extends ServerFrame> Future<T> call(String op, ObjectNode args, Class<T> type) {
    long id = ids.incrementAndGet();
    ObjectNode request = args == null ? JSON.createObjectNode() : args;
    request.put("id", id);
    request.put("op", op);
    Promise<JsonNode> promise = Promise.promise();
    pending.put(id, promise);
    long timer =
        vertx.setTimer(
            timeoutMs,
            t -> {
              Promise<JsonNode> p = pending.remove(id);
              if (p != null) {
                p.tryFail(AgentChatException.local("The local daemon did not answer " + op));
              }
            });
    socket.write(Buffer.buffer(request.toString() + "\n"));
    return promise
        .future()
        .onComplete(ar -> vertx.cancelTimer(timer))
        .map(
            answer ->
                answer.hasNonNull("frame")
                    ? type.cast(FrameCodec.decodeServer(answer.get("frame").asText()))
                    : null);
  }

  private static ObjectNode args(Object... pairs) {
    ObjectNode n = JSON.createObjectNode();
    for (int i = 0; i + 1 < pairs.length; i += 2) {
      String key = (String) pairs[i];
      Object value = pairs[i + 1];
      if (value == null) {
        continue;
      }
      if (value instanceof JsonNode node) {
        n.set(key, node);
      } else if (value instanceof Boolean b) {
        n.put(key, b);
      } else {
        // Numbers travel as text: an amount keeps its exact decimal digits.
        n.put(key, value.toString());
      }
    }
    return n;
  }

  /** Also receive every frame the daemon receives, through the frame handlers. */
  public Future<Void> subscribe() {
    return call("subscribe", null, ServerFrame.class).mapEmpty();
  }

  /** Asks the daemon to disconnect and exit. */
  public Future<Void> shutdown() {
    return call("shutdown", null, ServerFrame.class).mapEmpty();
  }

  @Override
  public String agentId() {
    return agentId;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Future<ServerFrame.Joined> join(String channel) {
    return call("join", args("channel", channel), ServerFrame.Joined.class);
  }

  @Override
  public Future<Void> leave(String channel) {
    return call("leave", args("channel", channel), ServerFrame.class).mapEmpty();
  }

  @Override
  public Future<Void> send(String target, String content) {
    return call("send", args("to", target, "content", content), ServerFrame.class).mapEmpty();
  }

  @Override
  public Future<List<ServerFrame.ChannelSummary>> listChannels() {
    return call("list_channels", null, ServerFrame.Channels.class).map(ServerFrame.Channels::list);
  }

  @Override
  public Future<List<ServerFrame.AgentListing>> listAgents(String channel) {
    return call("list_agents", args("channel", channel), ServerFrame.Agents.class)
        .map(ServerFrame.Agents::list);
  }

  @Override
  public Future<ServerFrame.Joined> createChannel(String channel, boolean inviteOnly) {
    return call(
        "create_channel",
        args("channel", channel, "invite_only", inviteOnly),
        ServerFrame.Joined.class);
  }

  @Override
  public Future<Void> invite(String channel, String agentId) {
    return call("invite", args("channel", channel, "agent", agentId), ServerFrame.class).mapEmpty();
  }

  @Override
  public Future<ServerFrame.NickChanged> setNick(String nick) {
    return call("set_nick", args("nick", nick), ServerFrame.NickChanged.class)
        .onSuccess(n -> name = n.newNick());
  }

  @Override
  public Future<ServerFrame.SkillsRegistered> registerSkills(ArrayNode skills) {
    return call("register_skills", args("skills", skills), ServerFrame.SkillsRegistered.class);
  }

  @Override
  public Future<ServerFrame.SearchResults> searchSkills(ObjectNode query) {
    return call("search_skills", args("query", query), ServerFrame.SearchResults.class);
  }

  @Override
  public Future<ServerFrame.Proposal> propose(
      String to,
      String task,
      BigDecimal amount,
      String currency,
      String paymentCode,
      Long expiresSeconds,
      String terms,
      Long eloStake,
      String capability) {
    return call(
        "propose",
        args(
            "to",
            to,
            "task",
            task,
            "amount",
            amount,
            "currency",
            currency,
            "payment_code",
            paymentCode,
            "expires",
            expiresSeconds,
            "terms",
            terms,
            "elo_stake",
            eloStake,
            "capability",
            capability),
        ServerFrame.Proposal.class);
  }

  @Override
  public Future<ServerFrame.Accept> accept(String proposalId, String paymentCode, Long eloStake) {
    return call(
        "accept",
        args("proposal_id", proposalId, "payment_code", paymentCode, "elo_stake", eloStake),
        ServerFrame.Accept.class);
  }

  @Override
  public Future<ServerFrame.Reject> reject(String proposalId, String reason) {
    return call(
        "reject", args("proposal_id", proposalId, "reason", reason), ServerFrame.Reject.class);
  }

  @Override
  public Future<ServerFrame.Complete> complete(String proposalId, String proof) {
    return call(
        "complete", args("proposal_id", proposalId, "proof", proof), ServerFrame.Complete.class);
  }

  @Override
  public Future<ServerFrame.Dispute> dispute(String proposalId, String reason) {
    return call(
        "dispute", args("proposal_id", proposalId, "reason", reason), ServerFrame.Dispute.class);
  }

  @Override
  public Future<ServerFrame.Proposals> listProposals(String status, Integer limit) {
    return call(
        "list_proposals", args("status", status, "limit", limit), ServerFrame.Proposals.class);
  }

  @Override
  public DaemonLink frameHandler(Consumer<ServerFrame> handler) {
    this.frameHandler = handler;
    return this;
  }

  @Override
  public DaemonLink rawFrameHandler(BiConsumer<ServerFrame, String> handler) {
    this.rawFrameHandler = handler;
    return this;
  }

  @Override
  public DaemonLink closeHandler(Consumer<Disconnect> handler) {
    this.closeHandler = handler;
    return this;
  }

  @Override
  public Future<Void> close() {
    closing = true;
    if (socket == null) {
      return netClient == null ? Future.succeededFuture() : netClient.close();
    }
    socket.close();
    return closed.future();
  }
}
