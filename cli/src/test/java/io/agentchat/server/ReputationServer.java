package io.agentchat.server;

import io.agentchat.client.AgentChatClient;
import io.agentchat.identity.Identity;
import io.agentchat.marketplace.MarketplaceOptions;
import io.agentchat.marketplace.db.DatabaseConfig;
import io.agentchat.relay.RelayOptions;
import io.agentchat.reputation.Reputation;
import io.agentchat.reputation.ReputationOptions;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A whole server with reputation, assembled as {@code agentchat serve} assembles it, on a port of
 * its own and the database given; its server key in {@code dataDir}. Blocking helpers for tests.
 */
final class ReputationServer implements AutoCloseable {
  final Vertx vertx;
  final AgentChatServer server;
  final Reputation reputation;
  private final HttpClient http = HttpClient.newHttpClient();

  private ReputationServer(Vertx vertx, AgentChatServer server, Reputation reputation) {
    this.vertx = vertx;
    this.server = server;
    this.reputation = reputation;
  }

  /**
   * Starts a server and waits until every part is ready.
   *
   * @param databaseUrl an external database (each server its own)
   * @param dataDir where the server key lives
   * @param disputeWindow the contest window of disputes
   * @param trusted public keys of servers whose receipts imports count
   */
  static ReputationServer start(
      String databaseUrl, Path dataDir, Duration disputeWindow, List<String> trusted)
      throws Exception {
    Vertx vertx = Vertx.vertx();
    Reputation reputation =
        Reputation.create(new ReputationOptions(dataDir, "test-server", trusted));
    MarketplaceOptions market =
        new MarketplaceOptions()
            .minProposalAge(Duration.ZERO)
            .disputeWindow(disputeWindow)
            .sweepInterval(Duration.ofMillis(100))
            .settlements(List.of(reputation.settlement()))
            .standings(reputation.standings());
    try {
      AgentChatServer server =
          AgentChatServer.start(
                  vertx,
                  new ServerConfig(
                      new RelayOptions()
                          .port(0)
                          .eventLoops(1)
                          .frameWindowLimit(100_000)
                          .msgRate(1000)
                          .msgBurst(1000),
                      DatabaseConfig.external(databaseUrl),
                      market,
                      ServerConfig.DEFAULT_RETRY,
                      null,
                      reputation))
              .await(30, TimeUnit.SECONDS);
      server.ready().await(120, TimeUnit.SECONDS);
      return new ReputationServer(vertx, server, reputation);
    } catch (Exception e) {
      vertx.close().await(10, TimeUnit.SECONDS);
      throw e;
    }
  }

  String url() {
    return server.url();
  }

  /** A logged-in client for the identity. */
  AgentChatClient connect(Identity identity) {
    // The client's own login timeout bounds this.
    return AgentChatClient.connect(vertx, url(), identity.name(), identity).await();
  }

  /** {@code GET path} on the server's HTTP port: status and body. */
  HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url().replace("ws://", "http://") + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** {@code POST path} with a body. */
  HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url().replace("ws://", "http://") + path))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() throws Exception {
    try {
      server.close().await(30, TimeUnit.SECONDS);
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
