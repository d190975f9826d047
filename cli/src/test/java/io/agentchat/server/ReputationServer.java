package io.agentchat.server;

import io.agentchat.client.AgentChatClient;
import io.agentchat.identity.Identity;
import io.agentchat.marketplace.MarketplaceOptions;
import io.agentchat.marketplace.db.DatabaseConfig;
import io.agentchat.marketplace.spi.Settlement;
import io.agentchat.marketplace.testdb.TestDatabases;
import io.agentchat.relay.RelayOptions;
import io.agentchat.reputation.Reputation;
import io.agentchat.reputation.ReputationOptions;
import io.agentchat.wallet.Currencies;
import io.agentchat.wallet.CurrencySettings;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A whole server with reputation, assembled as {@code agentchat serve} assembles it, on a port of
 * its own and the database given; its server key in {@code dataDir}. Blocking helpers for tests.
 * Public so that the command line's tests ({@code io.agentchat.cli}) can run their commands against
 * it.
 */
public final class ReputationServer implements AutoCloseable {
  public final Vertx vertx;
  public final AgentChatServer server;
  public final Reputation reputation;
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
  public static ReputationServer start(
      String databaseUrl, Path dataDir, Duration disputeWindow, List<String> trusted)
      throws Exception {
    return start(
        databaseUrl, dataDir, disputeWindow, trusted, RelayOptions.DEFAULT_MAX_API_BODY_BYTES);
  }

  /**
   * Like {@link #start(String, Path, Duration, List)}, with the largest request body the HTTP API
   * takes.
   */
  public static ReputationServer start(
      String databaseUrl,
      Path dataDir,
      Duration disputeWindow,
      List<String> trusted,
      int maxApiBodyBytes)
      throws Exception {
    return start(databaseUrl, dataDir, disputeWindow, trusted, maxApiBodyBytes, null);
  }

  /**
   * A server on a fresh database with the currencies the settings ask for, disputes settled at once
   * (as {@code --dispute-window 0}).
   */
  public static ReputationServer withCurrencies(Path dataDir, Map<String, String> currencySettings)
      throws Exception {
    return start(
        TestDatabases.emptyDatabaseUrl(),
        dataDir,
        Duration.ZERO,
        List.of(),
        RelayOptions.DEFAULT_MAX_API_BODY_BYTES,
        currencySettings);
  }

  /**
   * Like {@link #start(String, Path, Duration, List, int)}, with currencies as {@code serve} wires
   * them (the currencies plug-in before reputation's).
   *
   * @param currencySettings the currency settings ({@code test.faucet}, {@code evm.rpc}, …), or
   *     null for a server that checks no currency
   */
  public static ReputationServer start(
      String databaseUrl,
      Path dataDir,
      Duration disputeWindow,
      List<String> trusted,
      int maxApiBodyBytes,
      Map<String, String> currencySettings)
      throws Exception {
    Vertx vertx = Vertx.vertx();
    Reputation reputation =
        Reputation.create(new ReputationOptions(dataDir, "test-server", trusted));
    Currencies currencies =
        currencySettings == null
            ? null
            : Currencies.load(new CurrencySettings(vertx, currencySettings));
    List<Settlement> plugins = new ArrayList<>();
    if (currencies != null) {
      plugins.add(currencies.settlement());
    }
    plugins.add(reputation.settlement());
    MarketplaceOptions market =
        new MarketplaceOptions()
            .minProposalAge(Duration.ZERO)
            .disputeWindow(disputeWindow)
            .sweepInterval(Duration.ofMillis(100))
            .settlements(plugins)
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
                          .msgBurst(1000)
                          .maxApiBodyBytes(maxApiBodyBytes),
                      DatabaseConfig.external(databaseUrl),
                      market,
                      ServerConfig.DEFAULT_RETRY,
                      null,
                      reputation,
                      currencies))
              .await(30, TimeUnit.SECONDS);
      server.ready().await(120, TimeUnit.SECONDS);
      return new ReputationServer(vertx, server, reputation);
    } catch (Exception e) {
      vertx.close().await(10, TimeUnit.SECONDS);
      throw e;
    }
  }

  /** The relay's URL, {@code ws://127.0.0.1:port}; the HTTP API is on the same port. */
  public String url() {
    return server.url();
  }

  /** A logged-in client for the identity. */
  public AgentChatClient connect(Identity identity) {
    // The client's own login timeout bounds this.
    return AgentChatClient.connect(vertx, url(), identity.name(), identity).await();
  }

  /** {@code GET path} on the server's HTTP port: status and body. */
  public HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url().replace("ws://", "http://") + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** {@code POST path} with a body. */
  public HttpResponse<String> post(String path, String body) throws Exception {
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
