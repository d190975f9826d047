package io.agentchat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentchat.identity.Identity;
import io.agentchat.marketplace.db.DatabaseAddress;
import io.agentchat.marketplace.testdb.TestDatabases;
import io.agentchat.server.ReputationServer;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code agentchat ratings} against a real server: an agent's standing, the leaderboard, the
 * server's replay of its receipts, and every way the input or the server can be wrong.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RatingsCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NO_SERVER = "ws://127.0.0.1:1";

  @TempDir static Path dir;
  private static String databaseUrl;
  private static ReputationServer server;
  private static TradingAgent alice;
  private static TradingAgent bob;
  private static TradingAgent carol;

  @BeforeAll
  static void trade() throws Exception {
    databaseUrl = TestDatabases.emptyDatabaseUrl();
    server = ReputationServer.start(databaseUrl, dir.resolve("data"), Duration.ZERO, List.of());
    alice = TradingAgent.join(server, dir, "alice");
    bob = TradingAgent.join(server, dir, "bob");
    carol = TradingAgent.join(server, dir, "carol");
    // alice +8 (legal +8), bob +8 then +8 as the disputer, carol -16.
    alice.client.complete(alice.agree(bob, null, "Legal", null, null), null).await();
    bob.client.dispute(carol.agree(bob, null, null, null, null), "no show").await();
    // A deal with an amount, so the leaderboard has a clear order: alice then bob.
    alice
        .client
        .complete(alice.agree(carol, new BigDecimal("100"), null, null, null), null)
        .await();
  }

  @AfterAll
  static void stop() throws Exception {
    for (TradingAgent a : new TradingAgent[] {alice, bob, carol}) {
      if (a != null) {
        a.close();
      }
    }
    if (server != null) {
      server.close();
    }
  }

  private static CliRun.Result ratings(String... args) {
    String[] all = new String[args.length + 3];
    all[0] = "ratings";
    System.arraycopy(args, 0, all, 1, args.length);
    all[args.length + 1] = "--server";
    all[args.length + 2] = server.url();
    return CliRun.run(all);
  }

  private static JsonNode shown(TradingAgent agent) throws Exception {
    return JSON.readTree(server.get("/v1/agents/" + agent.id()).body());
  }

  @Test
  void anAgentsStandingIsAShortBlockWithItsCapabilities() throws Exception {
    CliRun.Result run = ratings(alice.id());

    assertEquals(0, run.exitCode(), run.err());
    JsonNode a = shown(alice);
    assertEquals(
        String.join(
            "\n",
            "Agent         " + alice.id(),
            "Rating        " + a.get("rating").asLong(),
            "Transactions  2",
            "Staked        0",
            "Receipts      2",
            "Online        yes",
            "",
            "CAPABILITY  RATING  TRANSACTIONS",
            "legal       1208    1",
            ""),
        run.out());
    assertEquals("", run.err());
  }

  @Test
  void theAgentMayBeGivenWithoutItsAtOrTakenFromTheIdentity() throws Exception {
    CliRun.Result bare = ratings(bob.identity.agentId(), "--json");
    CliRun.Result mine = ratings("--identity", bob.identityFile.toString(), "--json");

    assertEquals(0, bare.exitCode(), bare.err());
    assertEquals(0, mine.exitCode(), mine.err());
    assertEquals(shown(bob), JSON.readTree(bare.out()));
    assertEquals(shown(bob), JSON.readTree(mine.out()));
  }

  @Test
  void theLeaderboardIsATableBestFirst() throws Exception {
    CliRun.Result run = ratings("--leaderboard", "2");
    CliRun.Result json = ratings("--leaderboard", "5", "--json");

    assertEquals(0, run.exitCode(), run.err());
    List<String> lines = run.out().lines().toList();
    assertEquals(3, lines.size(), run.out());
    assertTrue(lines.get(0).matches("RANK +AGENT +RATING +TRANSACTIONS"), lines.get(0));
    assertTrue(
        lines.get(1).matches("1 +" + alice.id() + " +" + shown(alice).get("rating") + " +2"),
        run.out());
    assertTrue(lines.get(2).matches("2 +" + bob.id() + " +1216 +2"), run.out());
    assertEquals(0, json.exitCode(), json.err());
    JsonNode board = JSON.readTree(json.out()).get("leaderboard");
    assertEquals(3, board.size());
    assertEquals(carol.id(), board.get(2).get("id").asText());
  }

  @Test
  void recalculateSaysWhetherStoredRatingsMatchTheReceiptsAndNamesEachDifference()
      throws Exception {
    CliRun.Result matching = ratings("--recalculate");
    assertEquals(0, matching.exitCode(), matching.err());
    assertEquals("Replayed 3 receipts: stored ratings match the receipts\n", matching.out());

    long stored = shown(carol).get("rating").asLong();
    setStoredRating(carol, stored + 5);
    try {
      CliRun.Result differing = ratings("--recalculate");
      CliRun.Result json = ratings("--recalculate", "--json");

      assertEquals(1, differing.exitCode(), differing.out());
      assertEquals(
          "Replayed 3 receipts: 1 difference between the stored ratings and the receipts\n"
              + carol.id()
              + ": stored "
              + (stored + 5)
              + " (2 deals), receipts give "
              + stored
              + " (2 deals)\n",
          differing.out());
      assertEquals(1, json.exitCode());
      assertEquals(false, JSON.readTree(json.out()).get("matches").asBoolean());
    } finally {
      setStoredRating(carol, stored);
    }
  }

  private static void setStoredRating(TradingAgent agent, long rating) throws Exception {
    DatabaseAddress db = DatabaseAddress.parse(databaseUrl);
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        PreparedStatement update =
            c.prepareStatement("UPDATE standings SET rating = ? WHERE agent_id = ?")) {
      update.setLong(1, rating);
      update.setString(2, agent.identity.agentId());
      assertEquals(1, update.executeUpdate());
    }
  }

  @Test
  void anUnknownAgentFailsWithTheServersWords() {
    CliRun.Result run = ratings("@0123456789abcdef");

    assertEquals(1, run.exitCode());
    assertEquals("Error: No agent @0123456789abcdef on this server\n", run.err());
    assertEquals("", run.out());
  }

  @Test
  void aServerThatIsNotThereFailsWithOneLineNamingIt() {
    CliRun.Result run = CliRun.run("ratings", alice.id(), "--server", NO_SERVER);

    assertEquals(1, run.exitCode());
    assertEquals("Error: Cannot connect to http://127.0.0.1:1 (connection refused)\n", run.err());
  }

  @Test
  void badInputExitsWithTwoAndOneLine() {
    Path noIdentity = dir.resolve("nobody.json");
    assertBadInput("Error: No identity file at " + noIdentity, "--identity", noIdentity.toString());
    assertBadInput("Error: Invalid agent id \"bob\" (16 lowercase hex digits, @ optional)", "bob");
    assertBadInput("Error: --leaderboard must be at least 1", "--leaderboard", "0");
    assertBadInput(
        "Error: Choose one of --leaderboard, --recalculate and --from",
        "--leaderboard",
        "3",
        "--recalculate");
    assertBadInput(
        "Error: AGENT cannot be combined with --leaderboard, --recalculate or --from",
        alice.id(),
        "--recalculate");
    assertBadInput("Error: --timeout must be at least 1 second", alice.id(), "--timeout", "0");

    CliRun.Result badUrl = CliRun.run("ratings", alice.id(), "--server", "ftp://example.org");
    assertEquals(2, badUrl.exitCode());
    assertEquals(
        "Error: Invalid server URL ftp://example.org (must start with ws://, wss://, http:// or"
            + " https://)\n",
        badUrl.err());
    CliRun.Result tooMany = ratings("--leaderboard", "100000");
    assertEquals(2, tooMany.exitCode(), "the server's 400 is bad input");
    assertEquals("Error: limit must be 1-1000\n", tooMany.err());
  }

  @Test
  void withoutAnAgentOrAnIdentityTheCommandAsksForOne() {
    Path defaultIdentity = Identity.defaultPath();
    assumeFalse(Files.exists(defaultIdentity), "an identity in the working directory");

    assertBadInput(
        "Error: Name the agent (AGENT) or give --identity: no identity at " + defaultIdentity);
  }

  private static void assertBadInput(String error, String... args) {
    CliRun.Result run = ratings(args);
    assertEquals(2, run.exitCode(), String.join(" ", args) + ": " + run.err());
    assertEquals(error + "\n", run.err());
    assertEquals("", run.out());
  }
}
