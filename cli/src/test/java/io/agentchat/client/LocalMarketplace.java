package io.agentchat.client;

import io.agentchat.identity.Identity;
import io.agentchat.marketplace.Marketplace;
import io.agentchat.marketplace.MarketplaceOptions;
import io.agentchat.marketplace.db.DatabaseConfig;
import io.agentchat.relay.RelayOptions;
import io.agentchat.relay.RelayServer;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real relay on a free port with a real marketplace behind it, on an embedded Postgres kept in a
 * directory of the test's, all on one Vert.x instance. Starting takes a few seconds: share one per
 * test class. Completing proposals has no minimum age here.
 */
public final class LocalMarketplace implements AutoCloseable {
  private final Vertx vertx;
  private final RelayServer relay;
  private final Marketplace marketplace;

  private LocalMarketplace(Vertx vertx, RelayServer relay, Marketplace marketplace) {
    this.vertx = vertx;
    this.relay = relay;
    this.marketplace = marketplace;
  }

  /** Starts the relay, then the marketplace with its database under {@code dataDir}. */
  public static LocalMarketplace start(Path dataDir) throws TimeoutException {
    Vertx vertx = Vertx.vertx();
    try {
      RelayServer relay =
          RelayServer.start(vertx, new RelayOptions().port(0).eventLoops(1))
              .await(30, TimeUnit.SECONDS);
      Marketplace marketplace =
          Marketplace.start(
                  vertx,
                  new MarketplaceOptions()
                      .database(DatabaseConfig.embedded(dataDir))
                      .minProposalAge(Duration.ZERO))
              .await(120, TimeUnit.SECONDS);
      return new LocalMarketplace(vertx, relay, marketplace);
    } catch (RuntimeException | TimeoutException e) {
      vertx.close().await(10, TimeUnit.SECONDS);
      throw e;
    }
  }

  /** The relay's {@code ws://127.0.0.1:port} URL. */
  public String url() {
    return relay.url();
  }

  /** A new identity saved to {@code dir/identity.json}, returned with its file. */
  public static Identity newIdentity(Path dir, String name) throws Exception {
    Identity identity = Identity.generate(name);
    identity.save(dir.resolve("identity.json"));
    return identity;
  }

  /**
   * Logs the identity in once, so the marketplace knows the agent and accepts proposals to it, then
   * logs it out. The marketplace issues the insert that records an agent when the relay announces
   * its login, before it even receives that agent's first marketplace request; a single insert is
   * done long before the round trip here and the next agent's login are.
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
      relay.close().await(10, TimeUnit.SECONDS);
      marketplace.close().await(30, TimeUnit.SECONDS);
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
