package io.agentchat.client;

import io.agentchat.identity.Identity;
import io.agentchat.marketplace.MarketplaceOptions;
import io.agentchat.marketplace.db.DatabaseConfig;
import io.agentchat.relay.RelayOptions;
import io.agentchat.server.AgentChatServer;
import io.agentchat.server.ServerConfig;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real server on a free port, as {@code agentchat serve} assembles it: the relay with the
 * marketplace behind it, on an embedded Postgres kept in a directory of the test's. Starting takes
 * a few seconds: share one per test class. Completing proposals has no minimum age here.
 */
public final class LocalMarketplace implements AutoCloseable {
  private final Vertx vertx;
  private final AgentChatServer server;

  private LocalMarketplace(Vertx vertx, AgentChatServer server) {
    this.vertx = vertx;
    this.server = server;
  }

  /** Starts the server with its database under {@code dataDir} and waits until it is ready. */
  public static LocalMarketplace start(Path dataDir) throws TimeoutException {
    return start(dataDir, new RelayOptions().port(0).eventLoops(1), new MarketplaceOptions());
  }

  /**
   * Starts the server with these options (the port is set to 0, the minimum proposal age to 0) and
   * waits until every part is ready.
   */
  public static LocalMarketplace start(
      Path dataDir, RelayOptions relay, MarketplaceOptions marketplace) throws TimeoutException {
    Vertx vertx = Vertx.vertx();
    try {
      AgentChatServer server =
          AgentChatServer.start(
                  vertx,
                  ServerConfig.of(
                      relay.copy().port(0),
                      DatabaseConfig.embedded(dataDir),
                      marketplace.minProposalAge(Duration.ZERO)))
              .await(30, TimeUnit.SECONDS);
      server.ready().await(120, TimeUnit.SECONDS);
      return new LocalMarketplace(vertx, server);
    } catch (RuntimeException | TimeoutException e) {
      vertx.close().await(10, TimeUnit.SECONDS);
      throw e;
    }
  }

  /** The relay's {@code ws://127.0.0.1:port} URL. */
  public String url() {
    return server.url();
  }

  /** A new identity saved to {@code dir/identity.json}, returned with its file. */
  public static Identity newIdentity(Path dir, String name) throws Exception {
    Identity identity = Identity.generate(name);
    identity.save(dir.resolve("identity.json"));
    return identity;
  }

  /**
   * Logs the identity in once, so the marketplace knows the agent, then logs it out. The
   * marketplace issues the insert that records an agent when the relay announces its login, before
   * it even receives that agent's first marketplace request; a single insert is done long before
   * the round trip here and the next agent's login are.
   */
  public void introduce(Identity identity) {
    AgentChatClient client = AgentChatClient.connect(vertx, url(), "x", identity).await();
    try {
      client.listProposals(null, 1).await();
    } finally {
      client.close().await();
    }
  }

  @Override
  public void close() throws TimeoutException {
    try {
      server.close().await(30, TimeUnit.SECONDS);
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
