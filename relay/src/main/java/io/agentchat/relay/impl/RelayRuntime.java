package io.agentchat.relay.impl;

import io.agentchat.protocol.BusAddresses;
import io.agentchat.protocol.BusMessages;
import io.agentchat.protocol.ServerFrame;
import io.agentchat.relay.RelayOptions;
import io.agentchat.relay.RelayServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.transport.Transport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Deploys one {@link RelayVerticle} per event loop on a shared port and serves the relay's own
 * event-bus addresses (delivery to agents, server posts to channels).
 */
public final class RelayRuntime implements RelayServer {
  private static final int BIND_ATTEMPTS = 5;
  private final RelayState state;
  private final List<String> deployments = new ArrayList<>();
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private int port;

  private RelayRuntime(RelayState state) {
    this.state = state;
  }

  /** See {@link RelayServer#start}. */
  public static Future<RelayServer> start(Vertx vertx, RelayOptions options) {
    RelayOptions opts = options.copy();
    try {
      opts.validate();
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    try {
      vertx.eventBus().registerCodec(new OutboundFrame.Codec());
    } catch (IllegalStateException alreadyRegistered) {
      // A second relay on the same Vert.x instance (tests): the codec is shared.
    }
    RelayRuntime runtime = new RelayRuntime(new RelayState(vertx, opts));
    return runtime.deploy().map(v -> (RelayServer) runtime);
  }

  private Future<Void> deploy() {
    if (state.options.port() != 0) {
      return deployOn(state.options.port());
    }
    return deployOnFreePort(BIND_ATTEMPTS);
  }

  /**
   * Vert.x shares a port between event loops only when every listener asks for the same port; port
   * 0 would give each loop its own. So a free port is picked first; if another process takes it
   * before we bind, we try again with a new one.
   */
  private Future<Void> deployOnFreePort(int attemptsLeft) {
    return state
        .vertx
        .<Integer>executeBlocking(this::freePort)
        .compose(
            candidate ->
                deployOn(candidate)
                    .recover(
                        e -> {
                          if (attemptsLeft > 1
                              && String.valueOf(e.getMessage()).contains("in use")) {
                            return undeployAll().compose(v -> deployOnFreePort(attemptsLeft - 1));
                          }
                          return Future.failedFuture(e);
                        }));
  }

  private int freePort() throws IOException {
    try (ServerSocket socket =
        new ServerSocket(0, 1, InetAddress.getByName(state.options.host()))) {
      return socket.getLocalPort();
    }
  }

  private Future<Void> deployOn(int bindPort) {
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < state.options.eventLoops(); i++) {
      chain =
          chain.compose(
              v ->
                  state
                      .vertx
                      .deployVerticle(new RelayVerticle(state, bindPort))
                      .map(
                          id -> {
                            deployments.add(id);
                            return null;
                          }));
    }
    return chain
        .onSuccess(
            v -> {
              port = bindPort;
              consumers.add(
                  state.bus.<String>consumer(
                      BusAddresses.DELIVER,
                      m ->
                          m.reply(
                              BusMessages.encode(
                                  new BusMessages.Delivered(
                                      deliver(
                                          BusMessages.decode(
                                              m.body(), BusMessages.Deliver.class)))))));
              consumers.add(
                  state.bus.<String>consumer(
                      BusAddresses.CHANNEL_POST,
                      m -> post(BusMessages.decode(m.body(), BusMessages.ChannelPost.class))));
              consumers.add(
                  state.bus.<String>consumer(
                      BusAddresses.ONLINE_AGENTS, m -> m.reply(BusMessages.encode(online()))));
              consumers.add(
                  state.bus.<String>consumer(
                      BusAddresses.LOOKUP,
                      m ->
                          m.reply(
                              BusMessages.encode(
                                  lookup(
                                      BusMessages.decode(m.body(), BusMessages.Lookup.class))))));
              state.log.transport(
                  transportName(state.vertx), state.vertx.unavailableNativeTransportCause());
              state.log.lifecycle("listening", url());
            })
        .recover(
            e ->
                Future.failedFuture(
                    new IllegalStateException(
                        "Cannot listen on "
                            + state.options.host()
                            + ":"
                            + bindPort
                            + ": "
                            + e.getMessage(),
                        e)));
  }

  /** "epoll" (or another native transport) when Vert.x runs on one, else "nio". */
  static String transportName(Vertx vertx) {
    Transport nativeTransport =
        vertx.isNativeTransportEnabled() ? Transport.nativeTransport() : null;
    return nativeTransport == null ? "nio" : nativeTransport.name();
  }

  private Future<Void> undeployAll() {
    List<Future<?>> undeploys = new ArrayList<>();
    for (String id : deployments) {
      undeploys.add(state.vertx.undeploy(id));
    }
    deployments.clear();
    return Future.join(undeploys).mapEmpty();
  }

  private boolean deliver(BusMessages.Deliver deliver) {
    if (deliver.to() == null || deliver.frame() == null) {
      return false;
    }
    AgentSession session = state.directory.reachable(deliver.to());
    if (session == null) {
      return false;
    }
    state.sendToSession(session, OutboundFrame.ofJson(deliver.frame()));
    return true;
  }

  private BusMessages.Presence lookup(BusMessages.Lookup lookup) {
    AgentSession session = lookup.id() == null ? null : state.directory.reachable(lookup.id());
    if (session == null) {
      return BusMessages.Presence.OFFLINE;
    }
    return new BusMessages.Presence(
        true, session.name, session.key == null ? null : session.key.pem(), session.address);
  }

  private BusMessages.OnlineAgents online() {
    List<BusMessages.AgentOnline> agents = new ArrayList<>();
    long now = state.now();
    for (AgentSession s : state.directory.all()) {
      if (s.reachable) {
        agents.add(
            new BusMessages.AgentOnline(
                now, s.id, s.name, s.key == null ? null : s.key.pem(), s.address));
      }
    }
    return new BusMessages.OnlineAgents(agents);
  }

  private void post(BusMessages.ChannelPost post) {
    Channel channel = post.channel() == null ? null : state.channels.get(post.channel());
    if (channel == null || post.content() == null) {
      return;
    }
    ServerFrame.Msg msg =
        new ServerFrame.Msg(
            state.now(),
            "@server",
            "Server",
            post.channel(),
            post.content(),
            null,
            null,
            null,
            null,
            null);
    channel.publish(
        OutboundFrame.of(msg),
        post.store() ? msg : null,
        null,
        f -> state.publishToChannel(post.channel(), f));
  }

  @Override
  public int actualPort() {
    return port;
  }

  @Override
  public String url() {
    String host = state.options.host();
    if (host.equals("0.0.0.0") || host.equals("::")) {
      host = "127.0.0.1";
    }
    return (state.options.certPath() != null ? "wss://" : "ws://") + host + ":" + port;
  }

  @Override
  public int onlineAgents() {
    return state.directory.size();
  }

  @Override
  public Future<Void> close() {
    if (!closed.compareAndSet(false, true)) {
      return Future.succeededFuture();
    }
    consumers.forEach(MessageConsumer::unregister);
    return undeployAll().onComplete(ar -> state.log.lifecycle("stopped", "relay stopped"));
  }
}
