package io.agentchat.server;

import io.agentchat.relay.RelayOptions;
import io.agentchat.relay.RelayServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole AgentChat server, as {@code agentchat serve} runs it and as the tests start it: the
 * relay, then, behind it, the shared database and the marketplace with its settlement plug-ins.
 *
 * <p>Start order: the relay first, so chat works at once; the database (every module's schema
 * migrated) and the marketplace follow in the background and are retried until they run. {@code GET
 * /health} says {@code starting} (503), with each part's state, until every part is ready; the
 * server logs one {@code ready} line then. Stop order is the reverse.
 *
 * <pre>{@code
 * AgentChatServer server = AgentChatServer.start(vertx, config).await();
 * server.ready().await();
 * ... server.url() ...
 * server.close().await();
 * }</pre>
 */
public final class AgentChatServer {
  private static final Logger log = LoggerFactory.getLogger("agentchat.serve");

  private final RelayServer relay;
  private final MarketplaceSupervisor parts;
  private final AtomicBoolean closed = new AtomicBoolean();

  private AgentChatServer(RelayServer relay, MarketplaceSupervisor parts) {
    this.relay = relay;
    this.parts = parts;
  }

  /**
   * Starts the relay, then the parts behind it in the background.
   *
   * @param vertx the Vert.x instance to run on; the caller keeps it and closes it after {@link
   *     #close()}
   * @return a future completed once the relay listens (see {@link #ready()} for the rest), or
   *     failed with a message an operator can act on (bad options, port in use, bad TLS files)
   */
  public static Future<AgentChatServer> start(Vertx vertx, ServerConfig config) {
    try {
      config.validate();
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    long startedAt = System.nanoTime();
    MarketplaceSupervisor parts = new MarketplaceSupervisor(vertx, config);
    RelayOptions relayOptions =
        config
            .relay()
            .copy()
            .healthSource(parts::report)
            .httpApi(new V1Api(parts::marketplace, config.reputation(), config.currencies()));
    return RelayServer.start(vertx, relayOptions)
        .map(
            relay -> {
              AgentChatServer server = new AgentChatServer(relay, parts);
              parts.start();
              parts
                  .ready()
                  .onSuccess(
                      v ->
                          log.atInfo()
                              .addKeyValue("event", "ready")
                              .addKeyValue("url", relay.url())
                              .addKeyValue("took_ms", (System.nanoTime() - startedAt) / 1_000_000)
                              .log("server ready: relay, database and marketplace"));
              return server;
            });
  }

  /**
   * Completes the first time every part runs; fails if the server is closed before that. Until then
   * the relay serves chat and refuses marketplace frames with SERVICE_UNAVAILABLE.
   */
  public Future<Void> ready() {
    return parts.ready();
  }

  /**
   * Completes (never fails) once the first start of the parts behind the relay has succeeded or
   * failed; a failure is retried in the background.
   */
  public Future<Void> firstAttempt() {
    return parts.firstAttempt();
  }

  /** The relay. */
  public RelayServer relay() {
    return relay;
  }

  /** {@code ws://host:port} (or {@code wss://}) for clients on this machine. */
  public String url() {
    return relay.url();
  }

  /**
   * Graceful stop: every socket gets a close frame, then the marketplace and its plug-ins stop,
   * then the database (an embedded one is shut down). Idempotent.
   */
  public Future<Void> close() {
    if (!closed.compareAndSet(false, true)) {
      return Future.succeededFuture();
    }
    return relay.close().eventually(parts::close);
  }
}
