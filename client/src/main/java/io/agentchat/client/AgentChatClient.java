package io.agentchat.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentchat.identity.AgentKeyPair;
import io.agentchat.identity.Identity;
import io.agentchat.protocol.ClientFrame;
import io.agentchat.protocol.FrameCodec;
import io.agentchat.protocol.ServerFrame;
import io.agentchat.protocol.ServerFrame.AgentListing;
import io.agentchat.protocol.ServerFrame.ChannelSummary;
import io.agentchat.protocol.ServerFrame.Joined;
import io.agentchat.protocol.ServerFrame.NickChanged;
import io.agentchat.protocol.ServerFrame.Welcome;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection to an AgentChat relay, logged in as one agent.
 *
 * <pre>{@code
 * AgentChatClient client =
 *     AgentChatClient.connect(vertx, "ws://127.0.0.1:6667", "bot", null).await();
 * client.frameHandler(frame -> System.out.println(frame));
 * client.join("#general").await();
 * client.send("#general", "hello").await();
 * client.close().await();
 * }</pre>
 *
 * <p><b>Requests and replies.</b> Every request is sent followed by a PING. The relay answers the
 * chat frames of a connection in order, so the PONG marks the end of everything a chat request
 * caused: the request's future completes then, with the reply it expects (JOINED, CHANNELS, …) or,
 * for frames the server does not acknowledge (MSG, INVITE), with nothing — which still proves the
 * server accepted them. Marketplace requests (skills and proposals) are answered by a service
 * behind the relay, possibly after the PONG, so they complete on their own reply, recognised by its
 * content (a PROPOSAL echo by its sender and signature, ACCEPT … DISPUTE by proposal id and actor,
 * search results by query id). Frames the server pushes on its own — the open proposals and missed
 * notices a keyed agent is handed after login — therefore never complete or break a request; they
 * only reach the frame handlers. An ERROR fails the oldest pending request: send marketplace
 * requests one at a time when each refusal must be told apart. Every request fails after the
 * client's timeout (10 s by default).
 *
 * <p><b>Threads.</b> All methods may be called from any thread. The client's state lives on one
 * Vert.x context; handlers are called on that context's event loop, so they must not block.
 */
public final class AgentChatClient implements AgentSession {
  /** How long a login or a request may take unless told otherwise. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  /**
   * Largest WebSocket message accepted from the server. A 2 MiB message content can grow up to
   * sixfold when JSON escapes it.
   */
  private static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

  /**
   * How long a marketplace request that timed out after its PONG stays queued, so that its late
   * answer is not taken for a later request's. The relay answers every marketplace frame within 10
   * s (SERVICE_UNAVAILABLE at worst).
   */
  private static final long LATE_ANSWER_GRACE_MS = 15_000;

  /** Why a marketplace request that must be signed cannot be sent by an ephemeral agent. */
  public static final String IDENTITY_REQUIRED =
      "this command needs an identity: create one with `agentchat identity --generate`";

  private static final Logger log = LoggerFactory.getLogger(AgentChatClient.class);
  private static final String PING = FrameCodec.encode(new ClientFrame.Ping());

  private final Vertx vertx;
  private final boolean ownsVertx;
  private final Context context;
  private final RelayUrl url;
  private final LoginHandshake handshake;
  private final Identity identity;
  private final long timeoutMs;
  private final Promise<AgentChatClient> login = Promise.promise();
  private final Promise<Void> closed = Promise.promise();

  /** Every request not finished yet, oldest first; ERRORs and replies are matched against it. */
  private final ArrayDeque<PendingRequest> pending = new ArrayDeque<>();

  /** The requests whose PONG has not come yet, oldest first (PONGs come in PING order). */
  private final ArrayDeque<PendingRequest> awaitingPong = new ArrayDeque<>();

  // Held in a field on purpose: a WebSocketClient nothing references is closed by a cleaner.
  private WebSocketClient webSocketClient;
  private WebSocket socket;
  private long loginTimer = -1;
  private boolean closeRequested;

  private volatile Welcome welcome;
  private volatile String name;
  private volatile Disconnect disconnect;
  private volatile Consumer<ServerFrame> frameHandler;
  private volatile BiConsumer<ServerFrame, String> rawFrameHandler;
  private volatile Consumer<Disconnect> closeHandler;

  private AgentChatClient(
      Vertx vertx,
      boolean ownsVertx,
      RelayUrl url,
      LoginHandshake handshake,
      Identity identity,
      Duration timeout) {
    this.vertx = vertx;
    this.ownsVertx = ownsVertx;
    this.context = vertx.getOrCreateContext();
    this.url = url;
    this.handshake = handshake;
    this.identity = identity;
    this.timeoutMs = Math.max(1, timeout.toMillis());
  }

  // ------------------------------------------------------------------------------ connecting

  /**
   * Connects and logs in with the default timeout. See {@link #connect(Vertx, String, String,
   * Identity, Duration)}.
   */
  public static Future<AgentChatClient> connect(
      Vertx vertx, String url, String name, Identity identity) {
    return connect(vertx, url, name, identity, DEFAULT_TIMEOUT);
  }

  /**
   * Opens a WebSocket to the relay and logs in. With an identity the client sends its public key
   * and answers the server's CHALLENGE by signing the login string, proving it holds the key;
   * without one the agent is ephemeral and gets a fresh id. A name stored in the identity wins over
   * {@code name}, as in the reference client.
   *
   * @param vertx the Vert.x instance to run on; the caller keeps ownership
   * @param url {@code ws://host:port} or {@code wss://host:port}
   * @param name the agent name (1–32 letters, digits, '_' or '-')
   * @param identity the identity to log in with, or null for an ephemeral agent
   * @param timeout how long the login and, later, each request may take
   * @return a future completed once WELCOME arrives, or failed with an {@link AgentChatException}
   *     (the server refused the login, the connection closed or could not be opened, or the timeout
   *     passed) or an {@link IllegalArgumentException} (bad URL or name)
   */
  public static Future<AgentChatClient> connect(
      Vertx vertx, String url, String name, Identity identity, Duration timeout) {
    return open(vertx, false, url, name, identity, timeout, null);
  }

  /**
   * Like {@link #connect(Vertx, String, String, Identity, Duration)}, calling {@code beforeLogin}
   * with the new client before the socket opens. Handlers set there see every frame that arrives
   * after WELCOME, including those the server pushes right after login (a keyed agent's open
   * proposals and missed marketplace notices), which a handler set once the returned future
   * completes may miss.
   *
   * @param beforeLogin called once on the client's event loop; if it throws, the login fails with
   *     that exception
   */
  public static Future<AgentChatClient> connect(
      Vertx vertx,
      String url,
      String name,
      Identity identity,
      Duration timeout,
      Consumer<AgentChatClient> beforeLogin) {
    return open(
        vertx,
        false,
        url,
        name,
        identity,
        timeout,
        Objects.requireNonNull(beforeLogin, "beforeLogin"));
  }

  /**
   * Like {@link #connect(Vertx, String, String, Identity)} on a Vert.x instance the client creates,
   * owns and closes in {@link #close()}.
   */
  public static Future<AgentChatClient> connect(String url, String name, Identity identity) {
    Vertx own = Vertx.vertx();
    return open(own, true, url, name, identity, DEFAULT_TIMEOUT, null).onFailure(e -> own.close());
  }

  private static Future<AgentChatClient> open(
      Vertx vertx,
      boolean ownsVertx,
      String url,
      String name,
      Identity identity,
      Duration timeout,
      Consumer<AgentChatClient> beforeLogin) {
    Objects.requireNonNull(vertx, "vertx");
    Objects.requireNonNull(timeout, "timeout");
    RelayUrl target;
    LoginHandshake handshake;
    try {
      target = RelayUrl.parse(url);
      handshake = LoginHandshake.of(name, identity);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    AgentChatClient client =
        new AgentChatClient(vertx, ownsVertx, target, handshake, identity, timeout);
    client.context.runOnContext(
        v -> {
          if (beforeLogin != null) {
            try {
              beforeLogin.accept(client);
            } catch (RuntimeException e) {
              client.login.tryFail(e);
              client.closed.tryComplete();
              return;
            }
          }
          client.start();
        });
    return client.login.future();
  }

  private void start() {
    webSocketClient =
        vertx.createWebSocketClient(
            new WebSocketClientOptions()
                .setMaxFrameSize(MAX_MESSAGE_BYTES)
                .setMaxMessageSize(MAX_MESSAGE_BYTES)
                .setClosingTimeout(5));
    loginTimer =
        vertx.setTimer(
            timeoutMs,
            id ->
                failLogin(
                    AgentChatException.local(
                        "No login answer from " + url + " within " + seconds(timeoutMs))));
    WebSocketConnectOptions options =
        new WebSocketConnectOptions()
            .setHost(url.host())
            .setPort(url.port())
            .setURI(url.path())
            .setSsl(url.tls())
            .setConnectTimeout(timeoutMs);
    webSocketClient
        .connect(options)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                failLogin(
                    AgentChatException.local(
                        "Cannot connect to " + url + ": " + describe(ar.cause())));
              } else if (login.future().isComplete()) {
                ar.result().close();
              } else {
                attach(ar.result());
              }
            });
  }

  private void attach(WebSocket ws) {
    socket = ws;
    ws.textMessageHandler(this::onText);
    // The reference server treats binary frames as UTF-8 text; accept them the same way.
    ws.binaryMessageHandler(b -> onText(b.toString(StandardCharsets.UTF_8)));
    ws.exceptionHandler(e -> log.debug("WebSocket error on {}: {}", url, e.toString()));
    ws.closeHandler(
        v -> onClosed(new Disconnect(ws.closeStatusCode(), ws.closeReason(), closeRequested)));
    write(handshake.identify());
  }

  private void failLogin(AgentChatException failure) {
    if (!login.tryFail(failure)) {
      return;
    }
    vertx.cancelTimer(loginTimer);
    closeRequested = true;
    Future<Void> socketClosed = socket == null ? Future.succeededFuture() : socket.close();
    socketClosed.onComplete(ar -> releaseResources().onComplete(r -> closed.tryComplete()));
  }

  // ---------------------------------------------------------------------------- receiving

  private void onText(String text) {
    ServerFrame frame;
    try {
      frame = FrameCodec.decodeServer(text);
    } catch (IllegalArgumentException e) {
      log.warn("Ignoring a frame from {} that is not JSON with a type", url);
      return;
    }
    if (welcome == null) {
      onLoginFrame(frame);
      return;
    }
    if (frame instanceof NickChanged n && n.agentId().equals(agentId())) {
      name = n.newNick();
    }
    deliver(frame, text);
    settle(frame);
  }

  private void onLoginFrame(ServerFrame frame) {
    if (login.future().isComplete()) {
      return;
    }
    AgentChatException error = errorOf(frame);
    if (error != null) {
      failLogin(error);
    } else if (frame instanceof ServerFrame.Challenge challenge) {
      if (!handshake.provesKey()) {
        failLogin(
            AgentChatException.local(
                "The server sent a login challenge but no identity is loaded"));
        return;
      }
      write(handshake.answer(challenge));
    } else if (frame instanceof Welcome w) {
      vertx.cancelTimer(loginTimer);
      name = w.name();
      welcome = w;
      login.tryComplete(this);
    }
  }

  private void deliver(ServerFrame frame, String text) {
    Consumer<ServerFrame> parsed = frameHandler;
    BiConsumer<ServerFrame, String> raw = rawFrameHandler;
    try {
      if (parsed != null) {
        parsed.accept(frame);
      }
      if (raw != null) {
        raw.accept(frame, text);
      }
    } catch (RuntimeException e) {
      log.warn("A frame handler failed on {}: {}", frame.type(), e.toString());
    }
  }

  /** Pairs a received frame with the pending requests; see the class comment. */
  private void settle(ServerFrame frame) {
    AgentChatException error = errorOf(frame);
    if (error != null) {
      onError(error);
    } else if (frame instanceof ServerFrame.Pong) {
      onPong();
    } else {
      offerReply(frame);
    }
  }

  private void onError(AgentChatException error) {
    // Requests past their PONG come first in send order, since PONGs come in PING order.
    PendingRequest oldest = pending.peek();
    if (oldest == null) {
      return;
    }
    if (oldest.pongSeen) {
      // A marketplace request whose answer comes after the PONG: this is that answer.
      oldest.error = error;
      finish(oldest);
      return;
    }
    oldest.errors++;
    if (oldest.error == null) {
      oldest.error = error;
    }
    if (oldest.errors >= 2) {
      // Both the request and its PING were refused (rate limit): no PONG will come.
      finish(oldest);
    }
  }

  private void onPong() {
    PendingRequest request = awaitingPong.poll();
    if (request == null) {
      return;
    }
    request.pongSeen = true;
    if (request.error != null || !request.answeredAfterPong || request.reply != null) {
      finish(request);
    } else if (request.promise.future().isComplete()) {
      dropLater(request);
    }
  }

  /** Hands a frame to the oldest pending request that takes it as its reply, if any. */
  private void offerReply(ServerFrame frame) {
    for (PendingRequest request : pending) {
      if (request.reply == null && request.isReply != null && request.isReply.test(frame)) {
        request.reply = frame;
        if (request.pongSeen) {
          finish(request);
        }
        return;
      }
    }
  }

  private void finish(PendingRequest request) {
    pending.remove(request);
    awaitingPong.remove(request);
    vertx.cancelTimer(request.timer);
    if (request.error != null) {
      request.promise.tryFail(request.error);
    } else if (request.isReply != null && request.reply == null) {
      request.promise.tryFail(
          AgentChatException.local("The server did not answer " + request.description));
    } else {
      request.promise.tryComplete(request.reply);
    }
  }

  private void onTimeout(PendingRequest request) {
    request.promise.tryFail(
        request.error != null
            ? request.error
            : AgentChatException.local(
                "No answer to " + request.description + " within " + seconds(timeoutMs)));
    // Before its PONG a request stays queued, so its late reply is not taken for a later one's;
    // the PONG then settles it.
    if (request.pongSeen) {
      dropLater(request);
    }
  }

  /** Keeps a timed-out request past its PONG queued a little longer for its late answer. */
  private void dropLater(PendingRequest request) {
    request.timer = vertx.setTimer(LATE_ANSWER_GRACE_MS, id -> pending.remove(request));
  }

  private void onClosed(Disconnect how) {
    disconnect = how;
    if (!login.future().isComplete()) {
      failLogin(
          AgentChatException.local("Connection closed before login (" + how.describe() + ")"));
      return;
    }
    List<PendingRequest> unanswered = new ArrayList<>(pending);
    pending.clear();
    awaitingPong.clear();
    for (PendingRequest request : unanswered) {
      vertx.cancelTimer(request.timer);
      request.promise.tryFail(
          AgentChatException.local(
              "Connection closed ("
                  + how.describe()
                  + ") before the server answered "
                  + request.description));
    }
    Consumer<Disconnect> handler = closeHandler;
    if (handler != null) {
      try {
        handler.accept(how);
      } catch (RuntimeException e) {
        log.warn("The close handler failed: {}", e.toString());
      }
    }
    if (!closeRequested) {
      releaseResources().onComplete(ar -> closed.tryComplete());
    }
  }

  // ----------------------------------------------------------------------------- requests

  /**
   * Joins a channel.
   *
   * @return the JOINED frame (members, you included); by the time it completes the channel's
   *     replayed history and welcome message have been delivered to the frame handlers. Fails with
   *     the server's ERROR (CHANNEL_NOT_FOUND, NOT_INVITED, …).
   */
  @Override
  public Future<Joined> join(String channel) {
    return request(
            new ClientFrame.Join(channel), "JOIN " + channel, f -> joinedOf(f, channel) != null)
        .map(f -> joinedOf(f, channel));
  }

  /** Leaves a channel; completes once the server confirmed with LEFT. */
  @Override
  public Future<Void> leave(String channel) {
    return request(
            new ClientFrame.Leave(channel),
            "LEAVE " + channel,
            f -> f instanceof ServerFrame.Left l && l.channel().equals(channel))
        .mapEmpty();
  }

  /**
   * Sends a message to {@code #channel} (you must have joined it) or {@code @agent} (who must be
   * online). Completes once the server has accepted and routed it; fails with its ERROR.
   */
  @Override
  public Future<Void> send(String target, String content) {
    return request(new ClientFrame.Msg(target, content), "MSG to " + target, null).mapEmpty();
  }

  /** The public channels and their member counts. */
  @Override
  public Future<List<ChannelSummary>> listChannels() {
    return request(
            new ClientFrame.ListChannels(), "LIST_CHANNELS", f -> f instanceof ServerFrame.Channels)
        .map(f -> ((ServerFrame.Channels) f).list());
  }

  /** The members of a channel with their presence. */
  @Override
  public Future<List<AgentListing>> listAgents(String channel) {
    return request(
            new ClientFrame.ListAgents(channel),
            "LIST_AGENTS " + channel,
            f -> f instanceof ServerFrame.Agents a && channel.equals(a.channel()))
        .map(f -> ((ServerFrame.Agents) f).list());
  }

  /**
   * Creates a channel and joins it.
   *
   * @param inviteOnly true for a private channel that only invited agents may join
   * @return the JOINED frame; fails with CHANNEL_EXISTS if the name is taken
   */
  @Override
  public Future<Joined> createChannel(String channel, boolean inviteOnly) {
    return request(
            new ClientFrame.CreateChannel(channel, inviteOnly, false),
            "CREATE_CHANNEL " + channel,
            f -> joinedOf(f, channel) != null)
        .map(f -> joinedOf(f, channel));
  }

  /**
   * Invites an agent to a channel you are a member of. The server sends nothing back on success;
   * the future completes once it has processed the invitation.
   *
   * @param agentId the agent's id, with or without the leading {@code @}
   */
  @Override
  public Future<Void> invite(String channel, String agentId) {
    String agent = agentId.startsWith("@") ? agentId : "@" + agentId;
    return request(
            new ClientFrame.Invite(channel, agent), "INVITE " + agent + " to " + channel, null)
        .mapEmpty();
  }

  /**
   * Changes this agent's name.
   *
   * @return the NICK_CHANGED frame about this agent; fails with INVALID_NAME or RATE_LIMITED
   */
  @Override
  public Future<NickChanged> setNick(String nick) {
    return request(
            new ClientFrame.SetNick(nick),
            "SET_NICK " + nick,
            f -> f instanceof NickChanged n && n.agentId().equals(agentId()))
        .map(f -> (NickChanged) f);
  }

  /**
   * Sends any frame and completes once the server has processed it, failing with its ERROR. Replies
   * the frame causes reach the frame handlers. For frames this class has no method for (presence,
   * proposals, skills, …).
   */
  public Future<Void> sendFrame(ClientFrame frame) {
    return request(frame, frame.type(), null).mapEmpty();
  }

  // -------------------------------------------------------------------------- marketplace

  /**
   * Advertises this agent's skills, replacing the ones it registered before. Signed with the
   * client's identity.
   *
   * @param skills skill objects, each with a string {@code capability} and optionally {@code rate}
   *     (number), {@code currency} and {@code description}; other members are kept verbatim
   * @return the SKILLS_REGISTERED frame (agent id, skills count, registration time); fails locally
   *     without an identity, or with the server's ERROR
   */
  @Override
  public Future<ServerFrame.SkillsRegistered> registerSkills(ArrayNode skills) {
    Objects.requireNonNull(skills, "skills");
    return withIdentity(keys -> MarketplaceRequest.registerSkills(keys, agentId(), skills));
  }

  /**
   * Searches the skills registry; works for ephemeral agents too.
   *
   * @param query any of {@code capability} (substring), {@code max_rate}, {@code currency}, {@code
   *     limit}; a {@code query_id} is added by the client
   * @return the SEARCH_RESULTS frame: its results, best rated first, each the skill's JSON with
   *     {@code agent_id}, {@code registered_at}, {@code rating} and {@code transactions}; and the
   *     total number of matches
   */
  @Override
  public Future<ServerFrame.SearchResults> searchSkills(ObjectNode query) {
    Objects.requireNonNull(query, "query");
    return marketplace(MarketplaceRequest.searchSkills(query));
  }

  /**
   * Proposes work to another agent, signed with the client's identity. Optional arguments may be
   * null; {@code terms} is not covered by the signature (as in the reference).
   *
   * <p>The recipient need not be online, nor have ever logged in to this server (SPEC.md §7.2): the
   * server stores a proposal to any keyed agent's id and hands it over at that agent's next, or
   * first, login.
   *
   * @param to the recipient's id, with or without the leading {@code @}: a keyed agent's id (16 hex
   *     characters)
   * @param expiresSeconds how long the recipient may accept, in seconds from now
   * @param eloStake reputation the proposer puts at stake
   * @return the PROPOSAL frame the server stored, with its id; fails with AGENT_NOT_FOUND when
   *     {@code to} is not a keyed agent's id (an ephemeral agent's 8-character id, say), and with
   *     RATE_LIMITED when the proposer already holds the server's maximum of pending proposals to
   *     agents it has never seen
   */
  public Future<ServerFrame.Proposal> propose(
      String to,
      String task,
      BigDecimal amount,
      String currency,
      String paymentCode,
      Long expiresSeconds,
      String terms,
      Long eloStake) {
    return propose(to, task, amount, currency, paymentCode, expiresSeconds, terms, eloStake, null);
  }

  /**
   * Like {@link #propose(String, String, BigDecimal, String, String, Long, String, Long)}, for a
   * deal about one capability: once settled it also moves both parties' ratings for that
   * capability. The capability is not covered by the proposer's signature (as in the reference).
   *
   * @param capability the capability the deal is about, or null
   */
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
    String target = to.startsWith("@") ? to : "@" + to;
    Objects.requireNonNull(task, "task");
    return withIdentity(
        keys ->
            MarketplaceRequest.propose(
                keys,
                agentId(),
                target,
                task,
                amount,
                currency,
                paymentCode,
                expiresSeconds,
                terms,
                eloStake,
                capability));
  }

  /**
   * Accepts a pending proposal addressed to this agent.
   *
   * @param paymentCode where the proposer should pay, or null
   * @param eloStake reputation this agent puts at stake, or null
   * @return the ACCEPT frame; fails with INVALID_PROPOSAL or PROPOSAL_NOT_FOUND when refused
   */
  @Override
  public Future<ServerFrame.Accept> accept(String proposalId, String paymentCode, Long eloStake) {
    Objects.requireNonNull(proposalId, "proposalId");
    return withIdentity(
        keys -> MarketplaceRequest.accept(keys, agentId(), proposalId, paymentCode, eloStake));
  }

  /** Rejects a pending proposal addressed to this agent; returns the REJECT frame. */
  @Override
  public Future<ServerFrame.Reject> reject(String proposalId, String reason) {
    Objects.requireNonNull(proposalId, "proposalId");
    return withIdentity(keys -> MarketplaceRequest.reject(keys, agentId(), proposalId, reason));
  }

  /**
   * Marks an accepted proposal this agent is a party to as done.
   *
   * @param proof evidence of the work (a URL, a hash, …), or null
   * @return the COMPLETE frame
   */
  @Override
  public Future<ServerFrame.Complete> complete(String proposalId, String proof) {
    Objects.requireNonNull(proposalId, "proposalId");
    return withIdentity(keys -> MarketplaceRequest.complete(keys, agentId(), proposalId, proof));
  }

  /** Disputes an accepted proposal this agent is a party to; returns the DISPUTE frame. */
  @Override
  public Future<ServerFrame.Dispute> dispute(String proposalId, String reason) {
    Objects.requireNonNull(proposalId, "proposalId");
    Objects.requireNonNull(reason, "reason");
    return withIdentity(keys -> MarketplaceRequest.dispute(keys, agentId(), proposalId, reason));
  }

  /**
   * This agent's proposals, as proposer or recipient, newest first. Needs an identity: an ephemeral
   * agent never has any.
   *
   * @param status only this status ({@code pending}, {@code accepted}, …), or null for all
   * @param limit at most this many, or null for the server's default
   * @return the PROPOSALS frame, whose list holds the proposals as PROPOSAL frames
   */
  @Override
  public Future<ServerFrame.Proposals> listProposals(String status, Integer limit) {
    return withIdentity(keys -> MarketplaceRequest.listProposals(status, limit));
  }

  /** Builds a request that needs the identity's key, or fails without one. */
  private <T extends ServerFrame> Future<T> withIdentity(
      Function<AgentKeyPair, MarketplaceRequest<T>> build) {
    if (identity == null) {
      return Future.failedFuture(AgentChatException.local(IDENTITY_REQUIRED));
    }
    MarketplaceRequest<T> request;
    try {
      request = build.apply(identity.keys());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return marketplace(request);
  }

  private <T extends ServerFrame> Future<T> marketplace(MarketplaceRequest<T> r) {
    return request(r.frame(), r.description(), r::isReply, true).map(r.answerType()::cast);
  }

  private Future<ServerFrame> request(
      ClientFrame frame, String description, Predicate<ServerFrame> isReply) {
    return request(frame, description, isReply, false);
  }

  /**
   * Sends a frame and its PING.
   *
   * @param answeredAfterPong true for marketplace frames: the request waits past its PONG until its
   *     reply or an ERROR arrives
   */
  private Future<ServerFrame> request(
      ClientFrame frame,
      String description,
      Predicate<ServerFrame> isReply,
      boolean answeredAfterPong) {
    Promise<ServerFrame> promise = Promise.promise();
    String text;
    try {
      text = FrameCodec.encode(frame);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    context.runOnContext(
        v -> {
          if (disconnect != null || closeRequested || socket == null) {
            promise.fail(AgentChatException.local("Not connected: cannot send " + description));
            return;
          }
          PendingRequest request =
              new PendingRequest(description, isReply, answeredAfterPong, promise);
          pending.add(request);
          awaitingPong.add(request);
          request.timer = vertx.setTimer(timeoutMs, id -> onTimeout(request));
          socket.writeTextMessage(text);
          socket.writeTextMessage(PING);
        });
    return promise.future();
  }

  private void write(ClientFrame frame) {
    socket.writeTextMessage(FrameCodec.encode(frame));
  }

  // ------------------------------------------------------------------------------ handlers

  /**
   * Sets the handler called with every frame received after login, replies to this client's own
   * requests (and the PONGs that close them) included. Called on the client's event loop. Frames
   * that arrive while no handler is set are not kept, so set it before sending the requests whose
   * effects you want to see — or in the {@code beforeLogin} callback of {@link #connect(Vertx,
   * String, String, Identity, Duration, Consumer)} to also see what the server pushes right after
   * login.
   */
  @Override
  public AgentChatClient frameHandler(Consumer<ServerFrame> handler) {
    this.frameHandler = handler;
    return this;
  }

  /**
   * Like {@link #frameHandler} but also hands over the frame's JSON text exactly as the server sent
   * it, for tools that print or store frames verbatim.
   */
  @Override
  public AgentChatClient rawFrameHandler(BiConsumer<ServerFrame, String> handler) {
    this.rawFrameHandler = handler;
    return this;
  }

  /**
   * Sets the handler called once when the connection ends, whoever closed it. Pending requests have
   * already failed by then.
   */
  @Override
  public AgentChatClient closeHandler(Consumer<Disconnect> handler) {
    this.closeHandler = handler;
    return this;
  }

  // ------------------------------------------------------------------------------- closing

  /**
   * Closes the connection with a normal close frame and releases the client's resources (and the
   * Vert.x instance, if the client created it). Idempotent.
   *
   * @return a future completed once the socket is closed
   */
  @Override
  public Future<Void> close() {
    context.runOnContext(
        v -> {
          if (closeRequested) {
            return;
          }
          closeRequested = true;
          if (!login.future().isComplete()) {
            failLogin(AgentChatException.local("Closed by the client before login"));
            return;
          }
          Future<Void> socketClosed =
              disconnect != null || socket == null
                  ? Future.succeededFuture()
                  : socket.close((short) 1000, "Client closing");
          socketClosed.onComplete(ar -> releaseResources().onComplete(r -> closed.tryComplete()));
        });
    return closed.future();
  }

  private Future<Void> releaseResources() {
    Future<Void> done =
        webSocketClient == null ? Future.succeededFuture() : webSocketClient.close();
    if (!ownsVertx) {
      return done;
    }
    Promise<Void> released = Promise.promise();
    done.onComplete(
        ar -> {
          // Closing a Vert.x instance from its own event loop would wait on itself, and callbacks
          // bound to that loop would never run: a plain thread closes it and reports back.
          Thread closer =
              new Thread(
                  () -> {
                    try {
                      vertx.close().await(10, TimeUnit.SECONDS);
                    } catch (Exception e) {
                      log.debug("Closing the client's Vert.x instance failed: {}", e.toString());
                    } finally {
                      released.complete();
                    }
                  },
                  "agentchat-client-close");
          closer.setDaemon(true);
          closer.start();
        });
    return released.future();
  }

  // ------------------------------------------------------------------------------- queries

  /** The WELCOME frame that ended the login. */
  public Welcome welcome() {
    return welcome;
  }

  /** This agent's wire id, {@code @} included. */
  @Override
  public String agentId() {
    return welcome.agentId();
  }

  /** This agent's current name (updated when a NICK_CHANGED about it arrives). */
  @Override
  public String name() {
    return name;
  }

  /** True when the login proved an identity's key (the agent is not ephemeral). */
  public boolean hasIdentity() {
    return identity != null;
  }

  /** The relay this client is connected to. */
  public RelayUrl url() {
    return url;
  }

  /** How the connection ended, or null while it is open. */
  public Disconnect disconnect() {
    return disconnect;
  }

  // ------------------------------------------------------------------------------- helpers

  /** The JOINED frame for {@code channel}, tolerating the reference's string-member form. */
  private static Joined joinedOf(ServerFrame frame, String channel) {
    if (frame instanceof Joined j) {
      return channel.equals(j.channel()) ? j : null;
    }
    if (frame instanceof ServerFrame.Other o
        && o.otherType().equals("JOINED")
        && channel.equals(o.body().path("channel").asText(null))) {
      // The reference answers CREATE_CHANNEL with agents as bare "@id" strings.
      List<ServerFrame.Member> members = new ArrayList<>();
      for (JsonNode agent : o.body().path("agents")) {
        if (agent.isTextual()) {
          members.add(new ServerFrame.Member(agent.asText(), null, false));
        } else {
          members.add(
              new ServerFrame.Member(
                  agent.path("id").asText(null),
                  agent.path("name").asText(null),
                  agent.path("verified").asBoolean(false)));
        }
      }
      return new Joined(o.ts(), channel, members);
    }
    return null;
  }

  private static AgentChatException errorOf(ServerFrame frame) {
    if (frame instanceof ServerFrame.Error e) {
      return new AgentChatException(e.code() == null ? null : e.code().name(), e.message());
    }
    if (frame instanceof ServerFrame.Other o && o.otherType().equals("ERROR")) {
      // A code this library does not know yet arrives as Other; keep its text.
      return new AgentChatException(
          o.body().path("code").asText(null), o.body().path("message").asText(""));
    }
    return null;
  }

  private static String seconds(long ms) {
    return ms % 1000 == 0 ? ms / 1000 + " s" : ms / 1000.0 + " s";
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }

  /** A request sent and not yet closed by its PONG. Confined to the client's context. */
  private static final class PendingRequest {
    final String description;
    final Predicate<ServerFrame> isReply;
    final boolean answeredAfterPong;
    final Promise<ServerFrame> promise;
    long timer;
    boolean pongSeen;
    ServerFrame reply;
    AgentChatException error;
    int errors;

    PendingRequest(
        String description,
        Predicate<ServerFrame> isReply,
        boolean answeredAfterPong,
        Promise<ServerFrame> promise) {
      this.description = description;
      this.isReply = isReply;
      this.answeredAfterPong = answeredAfterPong;
      this.promise = promise;
    }
  }
}
