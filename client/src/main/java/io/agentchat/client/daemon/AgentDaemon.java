package io.agentchat.client.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentchat.client.AgentChatClient;
import io.agentchat.client.AgentChatException;
import io.agentchat.client.Disconnect;
import io.agentchat.client.RelayUrl;
import io.agentchat.identity.Identity;
import io.agentchat.protocol.ServerFrame;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds one agent's connection for as long as it runs, for agents that are not processes themselves
 * (an LLM between two turns): it logs in, joins its channels, logs in again with jittered
 * exponential backoff whenever the connection drops, appends every frame received to its {@link
 * Inbox}, sends what is appended to its {@link Outbox} (each line once, in order), stores the
 * receipts of its own deals, and lets local commands act as the agent through a {@link
 * ControlServer} instead of logging in a second time (which would displace it).
 *
 * <p>Only one daemon runs per name and per identity: both are OS file locks, taken before anything
 * connects, so a second daemon refuses to start instead of displacing the first forever (as two
 * reference daemons do).
 *
 * <p><b>Threads.</b> The daemon's state lives on one Vert.x context; every file is written through
 * that context's ordered {@code executeBlocking} queue, never on the event loop. Its log lines are
 * JSON and never carry message content.
 */
public final class AgentDaemon {
  /** How many outbox lines are read per pass. */
  private static final int OUTBOX_BATCH = 100;

  /** How often the outbox file is looked at for new lines. */
  private static final long OUTBOX_POLL_MS = 100;

  /** The outbox rate used unless told otherwise: the relay's default MSG rate, per second. */
  public static final double DEFAULT_OUTBOX_RATE = 1.0;

  /** How many outbox lines may go at once before the rate applies (the relay's default burst). */
  public static final int OUTBOX_BURST = 10;

  /** Fails a pass of the outbox that ran out of its rate: not an error, nothing to log. */
  private static final AgentChatException PACED = AgentChatException.local("paced");

  /** How long the outbox waits after the server said to slow down. */
  private static final long RATE_LIMIT_PAUSE_MS = 1000;

  /** First reconnect delay; doubled per failed attempt up to {@link #MAX_BACKOFF_MS}. */
  private static final long MIN_BACKOFF_MS = 500;

  private static final long MAX_BACKOFF_MS = 30_000;

  /**
   * Displacements in a row after which the daemon stops: another process logs in with the same key
   * and would otherwise fight the daemon for the connection forever (as two reference daemons do).
   * Each displacement is first answered by waiting {@link #MAX_BACKOFF_MS}.
   */
  static final int MAX_DISPLACEMENTS = 3;

  /** A connection that lasted this long resets the displacement count. */
  private static final long STABLE_CONNECTION_MS = 10 * 60_000;

  private static final Logger log = LoggerFactory.getLogger(AgentDaemon.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * How to run a daemon.
   *
   * @param server the relay URL
   * @param agentName the agent name used when the identity has none
   * @param identity the identity to log in with, or null for an ephemeral agent
   * @param identityFile the identity's file (locked while the daemon runs), or null
   * @param files where the daemon keeps its files
   * @param channels channels to join at every login
   * @param inboxMaxBytes the inbox size at which it is rotated
   * @param writeLog true to append the daemon's log lines to {@code daemon.log} (false when stderr
   *     already goes there)
   * @param timeout how long a login and each request may take
   * @param outboxRate how many outbox lines are sent per second at most, after a burst of {@link
   *     #OUTBOX_BURST}: a relay refuses faster senders, and a MSG refused for its rate cannot
   *     always be told from one accepted (when the relay also refuses the PING that follows it)
   */
  public record Options(
      String server,
      String agentName,
      Identity identity,
      Path identityFile,
      DaemonFiles files,
      List<String> channels,
      long inboxMaxBytes,
      boolean writeLog,
      Duration timeout,
      double outboxRate) {
    public Options {
      Objects.requireNonNull(server, "server");
      Objects.requireNonNull(files, "files");
      channels = List.copyOf(channels);
    }
  }

  private final Vertx vertx;
  private final Context context;
  private final Options options;
  private final DaemonFiles files;
  private final HeldLock nameLock;
  private final HeldLock identityLock;
  private final Inbox inbox;
  private final Outbox outbox;
  private final Promise<Void> firstLogin = Promise.promise();
  private final Promise<Void> stopped = Promise.promise();
  private final Set<String> seenReceipts = new HashSet<>();

  // Also touched by control connections, which may run on another event loop.
  private final Set<String> channels = ConcurrentHashMap.newKeySet();
  private final Set<String> joined = ConcurrentHashMap.newKeySet();

  // Confined to the context.
  private volatile AgentChatClient client;
  private DaemonState state;
  private ControlServer control;
  private int failedAttempts;
  private boolean pumping;
  private long outboxResumesAt;
  private double outboxTokens = OUTBOX_BURST;
  private long outboxRefilledAt = System.nanoTime();
  private boolean closing;
  private long outboxTimer = -1;
  private boolean displaced;
  private int displacements;
  private long connectedAt;
  private AgentChatException stopReason;
  private long reconnectTimer = -1;

  private AgentDaemon(Vertx vertx, Options options, HeldLock nameLock, HeldLock identityLock) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.options = options;
    this.files = options.files();
    this.nameLock = nameLock;
    this.identityLock = identityLock;
    this.inbox = new Inbox(files, options.inboxMaxBytes());
    this.outbox = new Outbox(files);
    this.channels.addAll(options.channels());
  }

  /**
   * Takes the daemon's locks, opens its control socket and starts logging in. Blocks briefly (file
   * locks); call it from a thread that may block.
   *
   * @return the running daemon; {@link #firstLogin()} tells when it is connected
   * @throws DaemonRunningException when a daemon already runs under this name or for this identity
   * @throws IOException when the daemon's files cannot be written
   */
  public static AgentDaemon start(Vertx vertx, Options options) throws IOException {
    RelayUrl.parse(options.server());
    DaemonFiles files = options.files();
    Files.createDirectories(files.dir());
    ownerOnly(files.dir());
    ownerOnly(files.home().resolve("daemons"));
    HeldLock nameLock = HeldLock.tryTake(files.lock());
    if (nameLock == null) {
      DaemonState running = DaemonState.read(files);
      throw new DaemonRunningException(
          "A daemon named \""
              + files.name()
              + "\" is already running"
              + (running.pid() > 0 ? " (pid " + running.pid() + ")" : "")
              + "; stop it with `agentchat daemon --stop "
              + files.name()
              + "`");
    }
    HeldLock identityLock = null;
    try {
      if (options.identityFile() != null) {
        identityLock = HeldLock.tryTake(DaemonPointer.lockOf(options.identityFile()));
        if (identityLock == null) {
          DaemonPointer other = DaemonPointer.read(options.identityFile());
          throw new DaemonRunningException(
              "A daemon already runs for the identity "
                  + options.identityFile()
                  + (other == null
                      ? ""
                      : " (daemon \"" + other.name() + "\" in " + other.home() + ")")
                  + "; commands run with this identity go through it");
        }
      }
      AgentDaemon daemon = new AgentDaemon(vertx, options, nameLock, identityLock);
      daemon.begin();
      return daemon;
    } catch (IOException | RuntimeException e) {
      if (identityLock != null) {
        identityLock.close();
      }
      nameLock.close();
      throw e;
    }
  }

  /** The inbox holds other agents' messages: only the owner may read the daemon's files. */
  private static void ownerOnly(Path dir) throws IOException {
    try {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    } catch (UnsupportedOperationException notPosix) {
      // Windows: the user's profile directory is private already.
    }
  }

  private void begin() throws IOException {
    long pid = ProcessHandle.current().pid();
    Files.writeString(files.pid(), pid + "\n", StandardCharsets.UTF_8);
    String token = ControlServer.newToken();
    DaemonFiles.writeAtomically(files.token(), token + "\n", true);
    control = ControlServer.listen(vertx, token, this).await();
    state =
        new DaemonState(
            pid,
            files.name(),
            options.server(),
            null,
            null,
            options.identityFile() == null
                ? null
                : options.identityFile().toAbsolutePath().normalize().toString(),
            control.port(),
            false,
            System.currentTimeMillis());
    state.write(files);
    if (options.identityFile() != null) {
      DaemonPointer.write(options.identityFile(), files, options.server(), pid);
    }
    loadReceiptKeys();
    event("started", "name", files.name(), "server", options.server(), "pid", pid);
    context.runOnContext(v -> connect());
  }

  /** Completes once the daemon first logged in; fails if the server refused that login. */
  public Future<Void> firstLogin() {
    return firstLogin.future();
  }

  /**
   * Completes once the daemon has stopped (after {@link #close()} or a shutdown request); fails
   * when it stopped on its own, having been displaced {@link #MAX_DISPLACEMENTS} times in a row.
   */
  public Future<Void> stopped() {
    return stopped.future();
  }

  /** The daemon's files. */
  public DaemonFiles files() {
    return files;
  }

  // ------------------------------------------------------------------------------ connection

  private void connect() {
    if (closing) {
      return;
    }
    String name = options.agentName() != null ? options.agentName() : "agent-" + state.pid();
    AgentChatClient.connect(
            vertx,
            options.server(),
            name,
            options.identity(),
            options.timeout(),
            c -> c.rawFrameHandler(this::onFrame).closeHandler(how -> onDisconnect(c, how)))
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                onLogin(ar.result());
              } else {
                onLoginFailed(ar.cause());
              }
            });
  }

  private void onLogin(AgentChatClient c) {
    if (closing) {
      c.close();
      return;
    }
    client = c;
    failedAttempts = 0;
    displaced = false;
    connectedAt = System.currentTimeMillis();
    joined.clear();
    event("connected", "agent", c.agentId());
    setState(state.connected(c.agentId(), c.name(), true, System.currentTimeMillis()))
        .onComplete(
            ar -> {
              firstLogin.tryComplete();
              joinAll().onComplete(j -> pumpOutbox());
            });
  }

  private void onLoginFailed(Throwable cause) {
    String code = cause instanceof AgentChatException e ? e.code() : null;
    event("login_failed", "code", code, "reason", cause.getMessage());
    if (!firstLogin.future().isComplete() && code != null) {
      // The server itself refused (a bad key, a ban): trying again would be refused again.
      firstLogin.tryFail(cause);
      close();
      return;
    }
    scheduleReconnect();
  }

  private void onDisconnect(AgentChatClient c, Disconnect how) {
    if (client != c) {
      return;
    }
    client = null;
    joined.clear();
    event("disconnected", "reason", how.describe());
    long now = System.currentTimeMillis();
    setState(state.connected(state.agentId(), state.agentName(), false, now));
    if (closing) {
      return;
    }
    if (!displaced) {
      scheduleReconnect();
      return;
    }
    displacements = now - connectedAt > STABLE_CONNECTION_MS ? 1 : displacements + 1;
    event("displaced", "count", displacements);
    if (displacements >= MAX_DISPLACEMENTS) {
      stopReason =
          AgentChatException.local(
              "Displaced "
                  + displacements
                  + " times by another login with this identity; stopped rather than fight it"
                  + " for the connection");
      close();
      return;
    }
    reconnectAfter(MAX_BACKOFF_MS / 2 + ThreadLocalRandom.current().nextLong(MAX_BACKOFF_MS / 2));
  }

  private void scheduleReconnect() {
    if (closing) {
      return;
    }
    long ceiling = Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS << Math.min(failedAttempts, 16));
    // Equal jitter: never sooner than half the ceiling, so many daemons do not come back at once.
    long delay = ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
    failedAttempts++;
    reconnectAfter(delay);
  }

  private void reconnectAfter(long delay) {
    event("reconnecting", "in_ms", delay, "attempt", failedAttempts);
    reconnectTimer =
        vertx.setTimer(
            delay,
            id -> {
              reconnectTimer = -1;
              connect();
            });
  }

  private Future<Void> joinAll() {
    Future<Void> chain = Future.succeededFuture();
    for (String channel : List.copyOf(channels)) {
      chain = chain.compose(v -> join(channel).otherwiseEmpty().mapEmpty());
    }
    return chain;
  }

  /** Joins a channel now and at every later login. */
  Future<ServerFrame.Joined> join(String channel) {
    AgentChatClient c = client;
    if (c == null) {
      return Future.failedFuture(notConnected());
    }
    channels.add(channel);
    return c.join(channel)
        .onSuccess(j -> joined.add(channel))
        .onFailure(e -> event("join_failed", "channel", channel, "reason", describe(e)));
  }

  /** Rejoins {@code channel}, which the agent is in now, at every later login. */
  void remember(String channel) {
    channels.add(channel);
    joined.add(channel);
  }

  /** Forgets a channel joined through {@link #join}. */
  void forget(String channel) {
    channels.remove(channel);
    joined.remove(channel);
  }

  /** The logged-in client, or null while reconnecting. Called on the daemon's context. */
  AgentChatClient client() {
    return client;
  }

  static AgentChatException notConnected() {
    return AgentChatException.local("The daemon is not connected to the server right now");
  }

  // -------------------------------------------------------------------------------- inbox

  private void onFrame(ServerFrame frame, String text) {
    if (frame instanceof ServerFrame.Pong) {
      return;
    }
    if (frame instanceof ServerFrame.SessionDisplaced) {
      displaced = true;
    }
    String line = text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0 ? compact(text) : text;
    blocking(
        () -> {
          if (inbox.append(line)) {
            event("inbox_rotated");
          }
          return null;
        });
    if (frame instanceof ServerFrame.Complete || frame instanceof ServerFrame.Dispute) {
      String me = client == null ? state.agentId() : client.agentId();
      blocking(
          () -> {
            storeReceipt(me, line);
            return null;
          });
    }
    if (control != null) {
      control.publish(line);
    }
  }

  private static String compact(String text) {
    try {
      return JSON.readTree(text).toString();
    } catch (IOException e) {
      return text.replace('\n', ' ').replace('\r', ' ');
    }
  }

  // ------------------------------------------------------------------------------ receipts

  /** Keeps a COMPLETE or DISPUTE frame about one of this agent's deals, once. */
  private void storeReceipt(String me, String line) throws IOException {
    if (me == null) {
      return;
    }
    JsonNode frame = JSON.readTree(line);
    boolean mine = false;
    for (String field : List.of("from", "to", "completed_by", "disputed_by")) {
      mine |= me.equals(frame.path(field).asText(null));
    }
    mine |= me.equals(frame.path("proposal").path("from").asText(null));
    mine |= me.equals(frame.path("proposal").path("to").asText(null));
    if (!mine || !seenReceipts.add(receiptKey(frame))) {
      return;
    }
    ObjectNode stored = (ObjectNode) frame;
    stored.put("stored_at", System.currentTimeMillis());
    Path file = files.receipts(me);
    if (!Files.isDirectory(file.getParent())) {
      Files.createDirectories(file.getParent());
      ownerOnly(file.getParent());
    }
    Files.writeString(
        file,
        stored.toString() + "\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  private static String receiptKey(JsonNode frame) {
    return frame.path("type").asText()
        + "|"
        + frame.path("proposal_id").asText()
        + "|"
        + frame.path("status").asText()
        + "|"
        + frame.path("settlement").asText();
  }

  private void loadReceiptKeys() throws IOException {
    Path dir = files.home().resolve("receipts");
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (var list = Files.list(dir)) {
      for (Path file : list.toList()) {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          try {
            seenReceipts.add(receiptKey(JSON.readTree(line)));
          } catch (IOException skipped) {
            // A damaged line stays; it just cannot be told apart from a new one.
          }
        }
      }
    }
  }

  // -------------------------------------------------------------------------------- outbox

  private void pumpOutbox() {
    if (outboxTimer < 0 && !closing) {
      outboxTimer = vertx.setPeriodic(OUTBOX_POLL_MS, id -> pumpOutbox());
    }
    if (pumping || client == null || closing || System.currentTimeMillis() < outboxResumesAt) {
      return;
    }
    pumping = true;
    blocking(() -> outbox.next(OUTBOX_BATCH))
        .compose(this::sendInOrder)
        .onComplete(
            ar -> {
              pumping = false;
              if (ar.failed() && ar.cause() != PACED) {
                event("outbox_paused", "reason", describe(ar.cause()));
              } else if (ar.result()) {
                // A full batch: there may be more right away.
                pumpOutbox();
              }
            });
  }

  /** Sends lines one after the other; true when all were sent and the batch was full. */
  private Future<Boolean> sendInOrder(List<Outbox.Line> lines) {
    Future<Void> chain = Future.succeededFuture();
    for (Outbox.Line line : lines) {
      chain = chain.compose(v -> sendLine(line));
    }
    return chain.map(v -> lines.size() == OUTBOX_BATCH);
  }

  /**
   * Sends one outbox line and records it as sent once the server took it, or refused it for good.
   * Fails (leaving it unsent, to try again later) when the connection is gone or the server asks to
   * slow down.
   */
  private Future<Void> sendLine(Outbox.Line line) {
    String to;
    String content;
    try {
      JsonNode node = line.text() == null ? null : JSON.readTree(line.text());
      to = node == null ? null : node.path("to").asText(null);
      content = node == null ? null : node.path("content").asText(null);
    } catch (IOException e) {
      to = null;
      content = null;
    }
    if (line.text() != null && line.text().isEmpty()) {
      return commit(line);
    }
    if (to == null || content == null) {
      event("outbox_line_invalid", "offset", line.end());
      return commit(line);
    }
    AgentChatClient c = client;
    if (c == null) {
      return Future.failedFuture(notConnected());
    }
    if (!takeOutboxToken()) {
      return Future.failedFuture(PACED);
    }
    String target = to;
    String text = content;
    Future<Void> ready =
        target.startsWith("#") && !joined.contains(target)
            ? join(target).mapEmpty()
            : Future.succeededFuture();
    return ready
        .compose(v -> c.send(target, text))
        .compose(
            v -> commit(line),
            e -> {
              String code = e instanceof AgentChatException a ? a.code() : null;
              if (code == null) {
                return Future.failedFuture(e);
              }
              if (code.equals("RATE_LIMITED")) {
                // The line stays unsent; the server's limit is per second.
                outboxResumesAt = System.currentTimeMillis() + RATE_LIMIT_PAUSE_MS;
                return Future.failedFuture(e);
              }
              event("outbox_line_refused", "to", target, "code", code, "reason", e.getMessage());
              return commit(line);
            });
  }

  /** A token bucket: {@link Options#outboxRate()} per second, up to {@link #OUTBOX_BURST}. */
  private boolean takeOutboxToken() {
    long now = System.nanoTime();
    outboxTokens =
        Math.min(
            OUTBOX_BURST, outboxTokens + (now - outboxRefilledAt) / 1e9 * options.outboxRate());
    outboxRefilledAt = now;
    if (outboxTokens < 1) {
      return false;
    }
    outboxTokens -= 1;
    return true;
  }

  private Future<Void> commit(Outbox.Line line) {
    return blocking(
        () -> {
          outbox.commit(line.end());
          return null;
        });
  }

  // ------------------------------------------------------------------------------- closing

  /** Disconnects, closes the control socket, releases the locks. Idempotent. */
  public Future<Void> close() {
    context.runOnContext(
        v -> {
          if (closing) {
            return;
          }
          closing = true;
          vertx.cancelTimer(outboxTimer);
          vertx.cancelTimer(reconnectTimer);
          AgentChatClient c = client;
          client = null;
          Future<Void> disconnected = c == null ? Future.succeededFuture() : c.close();
          Future<Void> controlClosed = control == null ? Future.succeededFuture() : control.close();
          Future.join(disconnected, controlClosed)
              .eventually(
                  () ->
                      setState(
                          state.connected(
                              state.agentId(),
                              state.agentName(),
                              false,
                              System.currentTimeMillis())))
              .eventually(
                  () ->
                      blocking(
                          () -> {
                            event("stopped");
                            inbox.close();
                            Files.deleteIfExists(files.pid());
                            if (identityLock != null) {
                              identityLock.close();
                            }
                            nameLock.close();
                            return null;
                          }))
              .onComplete(
                  ar -> {
                    if (stopReason != null) {
                      stopped.tryFail(stopReason);
                    } else {
                      stopped.tryComplete();
                    }
                  });
        });
    return stopped.future();
  }

  // ------------------------------------------------------------------------------ plumbing

  private Future<Void> setState(DaemonState next) {
    state = next;
    return blocking(
        () -> {
          next.write(files);
          return null;
        });
  }

  /** Runs file I/O on the context's ordered worker queue, so writes keep their order. */
  private <T> Future<T> blocking(Callable<T> work) {
    return context.executeBlocking(work, true);
  }

  /**
   * Logs one event as JSON (stderr) and, unless stderr is the log file already, appends it to
   * {@code daemon.log}. Values are ids, codes and reasons, never message content.
   */
  void event(String name, Object... fields) {
    var builder = log.atInfo();
    ObjectNode line = JSON.createObjectNode();
    line.put("ts", java.time.Instant.now().toString());
    line.put("event", name);
    line.put("daemon", files.name());
    for (int i = 0; i + 1 < fields.length; i += 2) {
      builder = builder.addKeyValue(String.valueOf(fields[i]), fields[i + 1]);
      line.putPOJO(String.valueOf(fields[i]), fields[i + 1]);
    }
    builder.addKeyValue("event", name).addKeyValue("daemon", files.name()).log("daemon " + name);
    if (options.writeLog()) {
      String text = line.toString() + "\n";
      Callable<Void> append =
          () -> {
            Files.writeString(
                files.log(),
                text,
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
            return null;
          };
      if (Context.isOnEventLoopThread()) {
        blocking(append);
      } else {
        try {
          append.call();
        } catch (Exception e) {
          log.warn("Cannot write {}: {}", files.log(), e.toString());
        }
      }
    }
  }

  private static String describe(Throwable e) {
    return e instanceof AgentChatException a ? a.describe() : String.valueOf(e.getMessage());
  }
}
