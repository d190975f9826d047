package io.agentchat.relay.impl;

import io.agentchat.protocol.BusAddresses;
import io.agentchat.relay.HealthReport;
import io.agentchat.relay.HealthSource;
import io.agentchat.relay.HttpAnswer;
import io.agentchat.relay.HttpApi;
import io.agentchat.relay.HttpQuery;
import io.agentchat.relay.RelayOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One event loop's share of the relay: an HTTP server on the shared port, the connections Vert.x
 * hands to this loop, and one event-bus consumer per channel that has members here. A channel frame
 * therefore crosses the bus once per loop, and the loop writes the same encoded bytes to each of
 * its local members. All state in this class is touched only on its own loop.
 */
public final class RelayVerticle extends VerticleBase {
  private final RelayState state;
  private final int port;
  private final FrameDispatcher dispatcher;
  private final Set<AgentConnection> connections = new LinkedHashSet<>();
  private final Map<String, LocalChannel> localChannels = new HashMap<>();
  private HttpServer server;
  private long heartbeatTimer = -1;

  private final PendingFlushes pendingFlushes = new PendingFlushes();

  /**
   * Members of one channel on this loop, with the channel position at which each joined. Fan-out
   * walks an array copy of the members, rebuilt only after the membership changed, so that a member
   * closing mid-fan-out cannot disturb the walk and a message costs no copy.
   */
  private static final class LocalChannel {
    final MessageConsumer<OutboundFrame> consumer;
    private final Map<AgentConnection, Long> members = new IdentityHashMap<>();
    private AgentConnection[] memberArray = new AgentConnection[0];
    private long[] joinSeqs = new long[0];
    private boolean stale;

    LocalChannel(MessageConsumer<OutboundFrame> consumer) {
      this.consumer = consumer;
    }

    void add(AgentConnection c, long seqAtJoin) {
      if (members.putIfAbsent(c, seqAtJoin) == null) {
        stale = true;
      }
    }

    void remove(AgentConnection c) {
      if (members.remove(c) != null) {
        stale = true;
      }
    }

    boolean isEmpty() {
      return members.isEmpty();
    }

    private void refresh() {
      if (!stale) {
        return;
      }
      memberArray = new AgentConnection[members.size()];
      joinSeqs = new long[members.size()];
      int i = 0;
      for (Map.Entry<AgentConnection, Long> e : members.entrySet()) {
        memberArray[i] = e.getKey();
        joinSeqs[i++] = e.getValue();
      }
      stale = false;
    }
  }

  RelayVerticle(RelayState state, int port) {
    this.state = state;
    this.port = port;
    this.dispatcher = new FrameDispatcher(state);
  }

  @Override
  public Future<?> start() {
    HttpServerOptions http =
        new HttpServerOptions()
            .setPort(port)
            .setHost(state.options.host())
            .setMaxWebSocketFrameSize(state.options.maxFrameBytes())
            .setMaxWebSocketMessageSize(state.options.maxFrameBytes())
            .setTcpNoDelay(true)
            // As the reference server (ws, perMessageDeflate off by default): no compression, so a
            // fan-out writes the same framed bytes to every member instead of deflating per socket.
            .setPerMessageWebSocketCompressionSupported(false)
            .setPerFrameWebSocketCompressionSupported(false);
    if (state.options.certPath() != null) {
      http.setSsl(true)
          .setKeyCertOptions(
              new PemKeyCertOptions()
                  .setCertPath(state.options.certPath())
                  .setKeyPath(state.options.keyPath()));
    }
    server =
        vertx
            .createHttpServer(http)
            .requestHandler(this::onHttpRequest)
            .webSocketHandler(this::onWebSocket);
    long interval = Math.max(1, state.options.heartbeatInterval().toMillis());
    heartbeatTimer =
        vertx.setPeriodic(
            interval,
            t -> {
              for (AgentConnection c : new ArrayList<>(connections)) {
                c.heartbeat();
              }
            });
    return server.listen();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(heartbeatTimer);
    for (LocalChannel local : localChannels.values()) {
      local.consumer.unregister();
    }
    closeAll(CloseReason.SERVER_SHUTDOWN);
    return server == null ? Future.succeededFuture() : server.close();
  }

  /** Closes every connection of this loop with a close frame. */
  void closeAll(CloseReason reason) {
    for (AgentConnection c : new ArrayList<>(connections)) {
      c.close(reason);
    }
  }

  int actualPort() {
    return server.actualPort();
  }

  private void onWebSocket(ServerWebSocket ws) {
    AgentConnection connection = new AgentConnection(ws, this, state, context, dispatcher);
    connections.add(connection);
    connection.start();
  }

  private void onHttpRequest(HttpServerRequest req) {
    if ("/health".equals(req.path()) && req.method().name().equals("GET")) {
      health()
          .onComplete(
              ar -> {
                JsonObject body = ar.result();
                req.response()
                    .setStatusCode("healthy".equals(body.getString("status")) ? 200 : 503)
                    .putHeader("content-type", "application/json")
                    .end(body.encode());
              });
      return;
    }
    if (req.path().startsWith(HttpApi.PREFIX) && state.options.httpApi() != null) {
      onApiRequest(req, state.options.httpApi());
      return;
    }
    req.response()
        .setStatusCode(404)
        .putHeader("content-type", "application/json")
        .end(new JsonObject().put("error", "Not Found").put("path", req.path()).encode());
  }

  /**
   * Reads the body up to the API's limit (413 beyond it, without reading the rest), then hands the
   * request to the API and writes its answer.
   */
  private void onApiRequest(HttpServerRequest req, HttpApi api) {
    int limit = state.options.maxApiBodyBytes();
    String declared = req.getHeader("content-length");
    if (declared != null
        && declared.chars().allMatch(Character::isDigit)
        && declared.length() < 19
        && Long.parseLong(declared) > limit) {
      tooLarge(req, limit);
      return;
    }
    Buffer body = Buffer.buffer();
    boolean[] refused = {false};
    req.handler(
        chunk -> {
          if (refused[0]) {
            return;
          }
          if (body.length() + chunk.length() > limit) {
            refused[0] = true;
            tooLarge(req, limit);
            return;
          }
          body.appendBuffer(chunk);
        });
    req.endHandler(
        v -> {
          if (refused[0]) {
            return;
          }
          Map<String, String> params = new HashMap<>();
          req.params().forEach(e -> params.putIfAbsent(e.getKey(), e.getValue()));
          HttpQuery query = new HttpQuery(req.method().name(), req.path(), params, body.getBytes());
          Future<HttpAnswer> answer;
          try {
            answer = api.handle(query);
          } catch (RuntimeException e) {
            answer = Future.failedFuture(e);
          }
          answer.onComplete(
              ar -> {
                HttpAnswer a =
                    ar.succeeded()
                        ? ar.result()
                        : HttpAnswer.error(500, "The server could not answer; try again later");
                if (ar.failed()) {
                  state.log.apiFailed(req.path(), ar.cause());
                }
                req.response()
                    .setStatusCode(a.status())
                    .putHeader("content-type", a.contentType())
                    .end(a.body());
              });
        });
  }

  private static void tooLarge(HttpServerRequest req, int limit) {
    req.response()
        .setStatusCode(413)
        .putHeader("content-type", "application/json")
        .putHeader("connection", "close")
        .end(
            new JsonObject()
                .put("error", "The request body is larger than " + limit + " bytes")
                .put("status", 413)
                .encode())
        .onComplete(v -> req.connection().close());
  }

  /**
   * The reference's health body, with our {@code parts}: the relay, then whatever the server's
   * {@link HealthSource} reports. {@code status} is {@code healthy} only when every part is ready;
   * {@code starting} while one is not ready yet; {@code unavailable} when one cannot serve.
   */
  private Future<JsonObject> health() {
    HealthSource source = state.options.healthSource();
    Future<HealthReport> report =
        source == null
            ? Future.succeededFuture(new HealthReport(List.of(), Map.of()))
            : source.report().timeout(RelayOptions.HEALTH_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    return report
        .otherwise(
            e ->
                new HealthReport(
                    List.of(
                        new HealthReport.Part(
                            "server",
                            HealthReport.State.UNAVAILABLE,
                            "the server's parts did not report: " + e.getMessage())),
                    Map.of()))
        .map(this::healthBody);
  }

  private JsonObject healthBody(HealthReport report) {
    int keyed = 0;
    for (AgentSession s : state.directory.all()) {
      if (s.isPersistent()) {
        keyed++;
      }
    }
    int publicChannels = 0;
    for (Channel c : state.channels.all()) {
      if (!c.inviteOnly) {
        publicChannels++;
      }
    }
    String status = "healthy";
    JsonObject parts = new JsonObject().put("relay", new JsonObject().put("state", "ready"));
    for (HealthReport.Part part : report.parts()) {
      JsonObject p = new JsonObject().put("state", part.state().name().toLowerCase(Locale.ROOT));
      if (part.detail() != null) {
        p.put("detail", part.detail());
      }
      parts.put(part.name(), p);
      if (part.state() == HealthReport.State.UNAVAILABLE) {
        status = "unavailable";
      } else if (part.state() == HealthReport.State.STARTING && status.equals("healthy")) {
        status = "starting";
      }
    }
    long uptime = (System.currentTimeMillis() - state.startedAt.toEpochMilli()) / 1000;
    JsonObject body =
        new JsonObject()
            .put("status", status)
            .put("server", state.options.name())
            .put("version", RelayVersion.VERSION)
            .put("uptime_seconds", uptime)
            .put("started_at", state.startedAt.toString())
            .put(
                "agents",
                new JsonObject()
                    .put("connected", state.directory.size())
                    .put("with_identity", keyed))
            .put(
                "channels",
                new JsonObject()
                    .put("total", state.channels.count())
                    .put("public", publicChannels));
    report.sections().forEach(body::put);
    return body.put("parts", parts).put("timestamp", Instant.now().toString());
  }

  // ------------------------------------------------------------- local channel membership

  /**
   * Makes sure this loop receives the channel's frames. Must run before the join is published so no
   * frame ordered after the join can miss this loop.
   */
  void subscribe(String channel) {
    localChannels.computeIfAbsent(
        channel,
        name ->
            new LocalChannel(
                state.bus.<OutboundFrame>localConsumer(
                    BusAddresses.channel(name), m -> fanOut(name, m.body()))));
  }

  /** Records a local member; it receives channel frames positioned after {@code seqAtJoin}. */
  void addLocalMember(String channel, AgentConnection connection, long seqAtJoin) {
    subscribe(channel);
    localChannels.get(channel).add(connection, seqAtJoin);
  }

  /**
   * Forgets a local member. The loop keeps its consumer for the channel even when no member is
   * left: channels are bounded in number, and unregistering while frames are in flight would only
   * make Vert.x discard them with a warning.
   */
  void removeLocalMember(String channel, AgentConnection connection) {
    LocalChannel local = localChannels.get(channel);
    if (local != null) {
      local.remove(connection);
    }
  }

  /** Drops a closed connection from this loop's bookkeeping. */
  void forget(AgentConnection connection) {
    connections.remove(connection);
    for (LocalChannel local : localChannels.values()) {
      local.remove(connection);
    }
  }

  /** Where this loop's connections note their unflushed writes. */
  PendingFlushes pendingFlushes() {
    return pendingFlushes;
  }

  private void fanOut(String channel, OutboundFrame frame) {
    LocalChannel local = localChannels.get(channel);
    if (local == null || local.isEmpty()) {
      return;
    }
    local.refresh();
    AgentConnection[] members = local.memberArray;
    long[] joinSeqs = local.joinSeqs;
    String exclude = frame.excludeAgent();
    pendingFlushes.fanOutStarting();
    try {
      for (int i = 0; i < members.length; i++) {
        if (frame.channelSeq() <= joinSeqs[i]) {
          continue; // already part of what this member saw at join time
        }
        AgentConnection c = members[i];
        AgentSession s = c.session();
        if (exclude != null && s != null && s.id.equals(exclude)) {
          continue;
        }
        c.send(frame);
      }
    } finally {
      pendingFlushes.fanOutDone();
    }
  }
}
