package io.agentchat.marketplace;

import io.agentchat.identity.AgentKeyPair;
import io.agentchat.marketplace.db.Database;
import io.agentchat.marketplace.db.DatabaseConfig;
import io.agentchat.marketplace.spi.Schema;
import io.agentchat.marketplace.spi.Settlement;
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
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** A real relay with a real marketplace behind it, on a database of the test class's own. */
final class MarketplaceHarness implements AutoCloseable {
  final TestRelay relay;
  final Database database;
  final Marketplace marketplace;

  private MarketplaceHarness(TestRelay relay, Database database, Marketplace marketplace) {
    this.relay = relay;
    this.database = database;
    this.marketplace = marketplace;
  }

  static MarketplaceHarness start(DatabaseConfig database, Duration minProposalAge) {
    return start(database, new MarketplaceOptions().minProposalAge(minProposalAge));
  }

  /** A marketplace with these options, their plug-ins' schemas migrated after its own. */
  static MarketplaceHarness start(DatabaseConfig config, MarketplaceOptions options) {
    TestRelay relay = TestRelay.start(new RelayOptions().msgRate(100).msgBurst(100));
    List<Schema> schemas = new ArrayList<>(List.of(Marketplace.SCHEMA));
    for (Settlement s : options.settlements()) {
      s.schema().ifPresent(schemas::add);
    }
    Database database = null;
    try {
      database = Await.result(Database.start(relay.vertx, config, schemas), "database start");
      Marketplace marketplace =
          Await.result(Marketplace.start(relay.vertx, database, options), "marketplace start");
      return new MarketplaceHarness(relay, database, marketplace);
    } catch (RuntimeException | Error e) {
      if (database != null) {
        Await.result(database.close(), "database close");
      }
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
      Await.result(database.close(), "database close");
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
