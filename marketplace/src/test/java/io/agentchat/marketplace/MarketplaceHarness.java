package io.agentchat.marketplace;

import io.agentchat.identity.AgentKeyPair;
import io.agentchat.marketplace.db.DatabaseConfig;
import io.agentchat.marketplace.testdb.TestDatabases;
import io.agentchat.relay.Await;
import io.agentchat.relay.RelayOptions;
import io.agentchat.relay.TestRelay;
import io.agentchat.relay.WireClient;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;

/** A real relay with a real marketplace behind it, on a database of the test class's own. */
final class MarketplaceHarness implements AutoCloseable {
  final TestRelay relay;
  final Marketplace marketplace;

  private MarketplaceHarness(TestRelay relay, Marketplace marketplace) {
    this.relay = relay;
    this.marketplace = marketplace;
  }

  static MarketplaceHarness start(DatabaseConfig database, Duration minProposalAge) {
    TestRelay relay = TestRelay.start(new RelayOptions().msgRate(100).msgBurst(100));
    try {
      Marketplace marketplace =
          Await.result(
              Marketplace.start(
                  relay.vertx,
                  new MarketplaceOptions().database(database).minProposalAge(minProposalAge)),
              "marketplace start");
      return new MarketplaceHarness(relay, marketplace);
    } catch (RuntimeException | Error e) {
      relay.close();
      throw e;
    }
  }

  static MarketplaceHarness start(Duration minProposalAge) {
    return start(DatabaseConfig.external(TestDatabases.freshDatabaseUrl()), minProposalAge);
  }

  WireClient login(String name, AgentKeyPair keys) {
    return WireClient.keyed(relay.vertx, relay.port(), name, keys);
  }

  WireClient ephemeral(String name) {
    return relay.ephemeral(name);
  }

  @Override
  public void close() {
    try {
      Await.result(marketplace.close(), "marketplace close");
    } finally {
      relay.close();
    }
  }

  /** The Node-made fixtures (see fixtures/make-node-fixtures.js). */
  static JsonObject nodeFixtures() {
    try (InputStream in =
        MarketplaceHarness.class.getResourceAsStream("/fixtures/node-signatures.json")) {
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static AgentKeyPair fixtureKey(JsonObject party) {
    return AgentKeyPair.fromSeed(HexFormat.of().parseHex(party.getString("seed")));
  }
}
