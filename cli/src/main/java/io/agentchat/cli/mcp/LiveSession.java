package io.agentchat.cli.mcp;

import io.agentchat.client.AgentChatClient;
import io.agentchat.client.AgentChatException;
import io.agentchat.client.AgentSession;
import io.agentchat.client.daemon.DaemonLink;
import io.agentchat.client.daemon.DaemonPointer;
import io.agentchat.identity.Identity;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MCP server's session as the agent: through the identity's daemon when one runs (so the daemon
 * is not displaced), else a connection of its own. After the connection drops, the next tool call
 * logs in again. Thread-safe.
 */
final class LiveSession implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LiveSession.class);

  private final Vertx vertx;
  private final String server;
  private final String name;
  private final Identity identity;
  private final Path identityFile;
  private final List<String> channels;
  private final Duration timeout;
  private final MessageBuffer messages;
  private AgentSession current;

  LiveSession(
      Vertx vertx,
      String server,
      String name,
      Identity identity,
      Path identityFile,
      List<String> channels,
      Duration timeout,
      MessageBuffer messages) {
    this.vertx = vertx;
    this.server = server;
    this.name = name;
    this.identity = identity;
    this.identityFile = identityFile;
    this.channels = List.copyOf(channels);
    this.timeout = timeout;
    this.messages = messages;
  }

  /** The logged-in session, logging in first when there is none. */
  synchronized AgentSession get() {
    if (current != null) {
      return current;
    }
    DaemonPointer daemon =
        identity == null ? null : DaemonPointer.running(identityFile, server).orElse(null);
    AgentSession session;
    if (daemon != null) {
      DaemonLink link = await(DaemonLink.connect(vertx, daemon, timeout));
      link.rawFrameHandler((f, text) -> messages.offer(text, link.agentId()));
      await(link.subscribe());
      session = link;
      log.atInfo().addKeyValue("event", "via_daemon").log("mcp session through the daemon");
    } else {
      String[] me = {null};
      AgentChatClient client =
          await(
              AgentChatClient.connect(
                  vertx,
                  server,
                  name,
                  identity,
                  timeout,
                  c -> c.rawFrameHandler((f, text) -> messages.offer(text, me[0]))));
      me[0] = client.agentId();
      session = client;
    }
    AgentSession opened = session;
    opened.closeHandler(
        how -> {
          synchronized (this) {
            if (current == opened) {
              current = null;
            }
          }
          log.atInfo()
              .addKeyValue("event", "disconnected")
              .addKeyValue("reason", how.describe())
              .log("mcp session ended");
        });
    for (String channel : channels) {
      try {
        await(opened.join(channel));
      } catch (AgentChatException e) {
        log.atWarn()
            .addKeyValue("channel", channel)
            .addKeyValue("reason", e.describe())
            .log("cannot join");
      }
    }
    current = opened;
    return opened;
  }

  /** Waits for a future from a thread that may block, at most twice the request timeout. */
  <T> T await(io.vertx.core.Future<T> future) {
    try {
      return future
          .toCompletionStage()
          .toCompletableFuture()
          .get(timeout.toMillis() * 2, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw AgentChatException.local(String.valueOf(e.getCause()));
    } catch (java.util.concurrent.TimeoutException e) {
      throw AgentChatException.local(
          "No answer within " + timeout.multipliedBy(2).toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw AgentChatException.local("Interrupted");
    }
  }

  @Override
  public synchronized void close() {
    if (current != null) {
      try {
        current.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        // Exiting anyway.
      }
      current = null;
    }
  }
}
