package io.agentchat.server;

import io.agentchat.marketplace.MarketplaceOptions;
import io.agentchat.marketplace.db.DatabaseConfig;
import io.agentchat.relay.RelayOptions;
import io.agentchat.reputation.Reputation;
import io.agentchat.wallet.Currencies;
import java.time.Duration;
import java.util.Objects;

/**
 * What {@link AgentChatServer} runs: the relay's options, the database, the marketplace's options
 * (with the settlement plug-ins it wires in), and how the parts behind the relay are retried.
 *
 * @param relay the relay's options (its {@code healthSource} is set by the server)
 * @param database where the data lives, embedded or external
 * @param marketplace the marketplace's options and plug-ins
 * @param retry how long to wait before starting the database and marketplace again after a failure
 * @param secret text never to be logged (the database password), or null
 * @param reputation the reputation plug-in, already wired into {@code marketplace}'s settlements
 *     and standings, whose read side the HTTP API serves; or null for a server without reputation
 * @param currencies the currency adapters, their plug-in already wired into {@code marketplace}'s
 *     settlements, which the HTTP API lists; or null for a server that checks no currency
 */
public record ServerConfig(
    RelayOptions relay,
    DatabaseConfig database,
    MarketplaceOptions marketplace,
    Duration retry,
    String secret,
    Reputation reputation,
    Currencies currencies) {

  /** How long to wait before starting the database and marketplace again after a failure. */
  public static final Duration DEFAULT_RETRY = Duration.ofSeconds(5);

  public ServerConfig {
    Objects.requireNonNull(relay, "relay");
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(marketplace, "marketplace");
    Objects.requireNonNull(retry, "retry");
    secret = secret == null || secret.isEmpty() ? null : secret;
  }

  /** A server without reputation or currencies. */
  public ServerConfig(
      RelayOptions relay,
      DatabaseConfig database,
      MarketplaceOptions marketplace,
      Duration retry,
      String secret) {
    this(relay, database, marketplace, retry, secret, null, null);
  }

  /** A server with default retries and no secret to hide. */
  public static ServerConfig of(
      RelayOptions relay, DatabaseConfig database, MarketplaceOptions marketplace) {
    return new ServerConfig(relay, database, marketplace, DEFAULT_RETRY, null);
  }

  /**
   * Checks every part's options.
   *
   * @throws IllegalArgumentException with an operator-facing message
   */
  public void validate() {
    relay.validate();
    marketplace.validate();
    if (retry.toMillis() < 1) {
      throw new IllegalArgumentException("the retry interval must be positive");
    }
  }
}
