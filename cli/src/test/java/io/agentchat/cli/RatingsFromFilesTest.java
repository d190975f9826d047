package io.agentchat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentchat.marketplace.testdb.TestDatabases;
import io.agentchat.server.ReputationServer;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ratings --from}: ratings are a pure function of receipts, so the exported files of every
 * agent of a server, replayed on any machine, give exactly the ratings the server shows — through
 * interleaved completions, a cooldown, unilateral and mutual disputes over stakes, and capability
 * ratings.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class RatingsFromFilesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Long enough to contest a dispute at once, short enough to wait for an uncontested one. */
  private static final Duration DISPUTE_WINDOW = Duration.ofSeconds(3);

  @TempDir static Path dir;
  private static ReputationServer server;
  private static final List<TradingAgent> agents = new ArrayList<>();

  /** Each agent's export: JSONL for some, the JSON document for others. */
  private static final Map<TradingAgent, Path> exports = new HashMap<>();

  @BeforeAll
  static void tradeAndExport() throws Exception {
    server =
        ReputationServer.start(
            TestDatabases.emptyDatabaseUrl(), dir.resolve("data"), DISPUTE_WINDOW, List.of());
    TradingAgent ann = join("ann");
    TradingAgent bob = join("bob");
    TradingAgent cat = join("cat");
    TradingAgent dan = join("dan");

    ann.client
        .complete(ann.agree(bob, new BigDecimal("10"), "Translate", null, null), "ok")
        .await();
    cat.client.complete(bob.agree(cat, null, null, null, null), null).await();
    String uncontested = cat.agree(dan, null, null, 10L, 5L);
    dan.client.dispute(uncontested, "never delivered").await();
    // The same pair within the hour: the cooldown holds the ratings, the stake comes back.
    ann.client.complete(ann.agree(bob, null, null, 5L, null), null).await();
    String contested = ann.agree(cat, null, null, 3L, 4L);
    ann.client.dispute(contested, "wrong").await();
    cat.client.dispute(contested, "it was right").await();
    ann.client
        .complete(dan.agree(ann, new BigDecimal("100"), "translate", null, null), null)
        .await();
    assertEquals("unilateral", dan.awaitSettled(uncontested).settlement());
    dan.client.complete(bob.agree(dan, new BigDecimal("2.5"), "review", null, 7L), null).await();
    ann.client.complete(cat.agree(ann, null, "Review", null, null), "done").await();

    for (int i = 0; i < agents.size(); i++) {
      TradingAgent agent = agents.get(i);
      String format = i % 2 == 0 ? "jsonl" : "json";
      Path file = dir.resolve(agent.identity.name() + "." + format);
      CliRun.Result export =
          CliRun.run(
              "receipts",
              "export",
              "--server",
              server.url(),
              "--agent",
              agent.id(),
              "--format",
              format,
              "--out",
              file.toString());
      assertEquals(0, export.exitCode(), export.err());
      exports.put(agent, file);
    }
  }

  private static TradingAgent join(String name) throws Exception {
    TradingAgent agent = TradingAgent.join(server, dir, name);
    agents.add(agent);
    return agent;
  }

  @AfterAll
  static void stop() throws Exception {
    agents.forEach(TradingAgent::close);
    if (server != null) {
      server.close();
    }
  }

  private static String[] fromAll(String... more) {
    List<String> args = new ArrayList<>(List.of("ratings", "--from"));
    agents.forEach(a -> args.add(exports.get(a).toString()));
    args.addAll(List.of(more));
    return args.toArray(new String[0]);
  }

  @Test
  void everyAgentsExportsGiveExactlyTheRatingsTheServerShows() throws Exception {
    CliRun.Result run = CliRun.run(fromAll("--json"));

    assertEquals(0, run.exitCode(), run.err());
    JsonNode computed = JSON.readTree(run.out());
    assertEquals(8, computed.get("receipts").asInt(), "each deal once, though in two files");
    Map<String, JsonNode> byId = new HashMap<>();
    computed.get("agents").forEach(a -> byId.put(a.get("id").asText(), a));
    assertEquals(agents.size(), byId.size(), run.out());
    for (TradingAgent agent : agents) {
      JsonNode shown = JSON.readTree(server.get("/v1/agents/" + agent.id()).body());
      JsonNode mine = byId.get(agent.id());
      assertEquals(shown.get("rating"), mine.get("rating"), agent.id());
      assertEquals(shown.get("transactions"), mine.get("transactions"), agent.id());
      assertEquals(shown.get("capabilities"), mine.get("capabilities"), agent.id());
    }
    // Not a trivial equality: the deals moved every rating, and capabilities were rated.
    for (JsonNode a : computed.get("agents")) {
      assertTrue(a.get("rating").asLong() != 1200, a.toString());
    }
    assertEquals(
        2, byId.get(agents.get(0).id()).get("capabilities").size(), "ann: translate, review");
  }

  @Test
  void theTextFormIsOneLinePerAgentBestFirst() {
    CliRun.Result run = CliRun.run(fromAll());

    assertEquals(0, run.exitCode(), run.err());
    List<String> lines = run.out().lines().toList();
    assertEquals("AGENT", lines.get(0).split("\\s+")[0]);
    assertEquals(1 + agents.size(), lines.size(), run.out());
    long previous = Long.MAX_VALUE;
    for (String line : lines.subList(1, lines.size())) {
      long rating = Long.parseLong(line.split("\\s+")[1]);
      assertTrue(rating <= previous, run.out());
      previous = rating;
    }
    assertEquals("Replayed 8 receipts from 4 files\n", run.err());
  }

  @Test
  void theServersOwnReplayAgreesWithItsStoredRatings() {
    CliRun.Result run = CliRun.run("ratings", "--recalculate", "--server", server.url());

    assertEquals(0, run.exitCode(), run.err());
    assertEquals("Replayed 8 receipts: stored ratings match the receipts\n", run.out());
  }

  @Test
  void aFileThatDoesNotVerifyStopsTheRunWithItsProblems() throws Exception {
    Path good = exports.get(agents.get(0));
    Path bad = dir.resolve("tampered.jsonl");
    String text = Files.readString(exports.get(agents.get(2)));
    Files.writeString(bad, text.replaceFirst("\"task\":\"task ", "\"task\":\"job "));

    CliRun.Result run = CliRun.run("ratings", "--from", good.toString(), bad.toString());

    assertEquals(1, run.exitCode(), run.out() + run.err());
    assertEquals("", run.out(), "nothing computed");
    List<String> problems = run.err().lines().toList();
    assertTrue(problems.get(0).startsWith(bad + ": line 1 (receipt 1, prop_"), run.err());
    assertTrue(problems.get(0).contains("does not verify"), run.err());
    assertEquals(
        "Error: a file does not verify; no ratings computed", problems.get(problems.size() - 1));
  }

  @Test
  void aMissingFileIsBadInput() {
    Path missing = dir.resolve("none.jsonl");

    CliRun.Result run = CliRun.run("ratings", "--from", missing.toString());

    assertEquals(2, run.exitCode());
    assertEquals("Error: No such file: " + missing + "\n", run.err());
  }
}
