package io.agentchat.marketbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentchat.client.LocalMarketplace;
import io.agentchat.marketplace.MarketplaceOptions;
import io.agentchat.relay.RelayOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The marketplace bench against a real relay on port 0 with a real marketplace on an embedded
 * Postgres, both in-process. Runs are small and short; no timing assertions. It stays in the
 * command line's tests, which have the server assembly: the bench module has no marketplace or
 * database, not even for its tests.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MarketBenchRunTest {
  @TempDir static Path dataDir;

  private static LocalMarketplace server;

  @BeforeAll
  static void startServer() throws Exception {
    server =
        LocalMarketplace.start(
            dataDir,
            new RelayOptions().frameWindowLimit(100000).msgRate(1000).msgBurst(1000),
            new MarketplaceOptions());
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  private static MarketBenchOptions options() {
    return new MarketBenchOptions()
        .server(server.url())
        .warmup(Duration.ofMillis(500))
        .duration(Duration.ofSeconds(2));
  }

  @Test
  void searchRegistersTheSkillsThenMeasuresSearchesWithoutErrors() throws Exception {
    MarketBenchReport report =
        MarketBenchRun.run(
            options()
                .scenario(MarketBenchOptions.Scenario.SEARCH)
                .skills(200)
                .agents(4)
                .searchers(2)
                .concurrency(2),
            null);

    assertNotNull(report.setup());
    assertEquals(4, report.setup().done());
    assertEquals(200, report.setup().skills());
    assertTrue(report.search().searches() > 0, "searches completed in the window");
    assertTrue(report.search().meanMatches() > 0, "fragments of the vocabulary match skills");
    assertTrue(report.errors().isEmpty(), () -> "errors: " + report.errorSamples());
    assertNull(report.proposals());
  }

  @Test
  void proposalRoundTripsCompleteWithoutErrors() throws Exception {
    MarketBenchReport report =
        MarketBenchRun.run(
            options().scenario(MarketBenchOptions.Scenario.PROPOSALS).pairs(3), null);

    assertEquals(3, report.setup().done());
    assertTrue(report.proposals().roundTrips() > 0, "round trips completed in the window");
    assertEquals(0, report.proposals().pairsStopped());
    assertTrue(report.errors().isEmpty(), () -> "errors: " + report.errorSamples());
    assertNull(report.search());
  }

  @Test
  void theJsonReportIsOneObjectCarryingTheCounts() throws Exception {
    MarketBenchReport report =
        MarketBenchRun.run(
            options()
                .scenario(MarketBenchOptions.Scenario.SEARCH)
                .skipSetup(true)
                .searchers(1)
                .duration(Duration.ofSeconds(1)),
            null);

    JsonObject json = new JsonObject(report.toJson().encode());
    assertEquals("search", json.getString("scenario"));
    assertNull(json.getValue("setup"), "set-up was skipped");
    assertEquals(report.search().searches(), json.getJsonObject("search").getLong("searches"));
    assertTrue(report.toText().contains("searches/s"));
  }
}
