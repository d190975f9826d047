package io.agentchat.marketbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentchat.client.LocalMarketplace;
import io.agentchat.marketplace.MarketplaceOptions;
import io.agentchat.relay.RelayOptions;
import io.agentchat.reputation.Reputation;
import io.agentchat.reputation.ReputationOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The completions scenario of the marketplace bench against a real server with the reputation
 * plug-in, as {@code serve} wires it, on an embedded Postgres. Runs are small and short; no timing
 * assertions. The window starts at once (no warm-up), so that the few deals opened are completed in
 * it.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CompletionsBenchTest {
  @TempDir static Path dataDir;

  private static LocalMarketplace server;

  @BeforeAll
  static void startServer() throws Exception {
    Reputation reputation =
        Reputation.create(new ReputationOptions(dataDir.resolve("server"), "bench", List.of()));
    server =
        LocalMarketplace.start(
            dataDir.resolve("db"),
            new RelayOptions().frameWindowLimit(100000).msgRate(1000).msgBurst(1000),
            new MarketplaceOptions()
                .settlements(List.of(reputation.settlement()))
                .standings(reputation.standings()));
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  private static MarketBenchOptions completions(int pairs, int rounds) {
    return new MarketBenchOptions()
        .server(server.url())
        .scenario(MarketBenchOptions.Scenario.COMPLETIONS)
        .pairs(pairs)
        .rounds(rounds)
        .warmup(Duration.ZERO)
        .duration(Duration.ofSeconds(2));
  }

  @Test
  void everyDealIsOpenedThenCompletedByBothPartiesAndDistinctPairsAreNeverHeldByTheCooldown()
      throws Exception {
    MarketBenchReport report = MarketBenchRun.run(completions(4, 7), null);

    assertEquals("accepted deals", report.setup().what());
    assertEquals(28, report.setup().requested(), "4 pairs at a time x 7 rounds");
    assertEquals(28, report.setup().done());
    MarketBenchReport.Completions c = report.completions();
    assertTrue(c.completions() > 0, "completions in the window");
    assertTrue(c.completions() <= 28, "each deal completes once");
    assertEquals(7, c.distinctRounds(), "8 agents meet 7 others");
    assertEquals(0, c.cooldowns(), "no pair completed a deal before");
    assertEquals(0, c.socketsClosed());
    assertTrue(report.errors().isEmpty(), () -> "errors: " + report.errorSamples());
    assertNull(report.proposals());
    assertNull(report.search());

    JsonObject json = new JsonObject(report.toJson().encode());
    assertEquals("completions", json.getString("scenario"));
    assertEquals(c.completions(), json.getJsonObject("completions").getLong("completions"));
    assertTrue(report.toText().contains("completions/s"));
  }

  @Test
  void aPairThatDealsAgainWithinTheHourIsCountedAsHeldByTheCooldown() throws Exception {
    // 4 agents meet each other in 3 rounds; the 27 rounds after those repeat the pairs.
    MarketBenchReport report = MarketBenchRun.run(completions(2, 30), null);

    assertEquals(60, report.setup().done());
    MarketBenchReport.Completions c = report.completions();
    assertEquals(3, c.distinctRounds());
    assertTrue(c.cooldowns() > 0, "later rounds repeat pairs");
    assertTrue(c.cooldowns() <= c.completions());
    assertTrue(report.errors().isEmpty(), () -> "errors: " + report.errorSamples());
  }
}
