package io.agentchat.marketplace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agentchat.identity.AgentKeyPair;
import io.agentchat.marketplace.db.DatabaseConfig;
import io.agentchat.marketplace.testdb.StoppablePostgres;
import io.agentchat.relay.WireClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What survives a restart, and what happens while the database is away. */
class DurabilityTest {

  @Test
  void skillsAndProposalsSurviveARestartOnTheSameDataDir(@TempDir Path dataDir) {
    AgentKeyPair ka = AgentKeyPair.generate();
    AgentKeyPair kb = AgentKeyPair.generate();
    String proposalId;
    try (MarketplaceHarness first =
        MarketplaceHarness.start(DatabaseConfig.embedded(dataDir), Duration.ZERO)) {
      try (WireClient a = first.login("keeper", ka);
          WireClient b = first.login("other", kb)) {
        a.send(
            SkillsTest.register(
                ka, new JsonArray().add(SkillsTest.skill("ww_persist", 3, "TEST"))));
        a.expect("SKILLS_REGISTERED");
        proposalId = ProposalsTest.propose(a, ka, b, "outlive the restart");
        b.send(ProposalsTest.accept(kb, proposalId));
        b.expect("ACCEPT");
      }
    }
    try (MarketplaceHarness second =
        MarketplaceHarness.start(DatabaseConfig.embedded(dataDir), Duration.ZERO)) {
      try (WireClient a = second.login("keeper", ka)) {
        a.send(new JsonObject().put("type", "LIST_PROPOSALS"));
        JsonObject open = a.expect("PROPOSALS").getJsonArray("list").getJsonObject(0);
        assertEquals(proposalId, open.getString("id"));
        assertEquals("accepted", open.getString("status"));
        a.send(
            new JsonObject()
                .put("type", "SEARCH_SKILLS")
                .put("query", new JsonObject().put("capability", "ww_persist")));
        JsonObject results = a.expect("SEARCH_RESULTS");
        assertEquals(1, results.getInteger("total"));
        assertEquals(
            a.agentId, results.getJsonArray("results").getJsonObject(0).getString("agent_id"));
        a.send(ProposalsTest.complete(ka, proposalId, "done after restart"));
        assertEquals("completed", a.expect("COMPLETE").getString("status"));
      }
    }
  }

  @Test
  void whileTheDatabaseIsDownChatWorksAndTheMarketplaceSaysSoThenRecovers(@TempDir Path dataDir) {
    AgentKeyPair keys = AgentKeyPair.generate();
    try (StoppablePostgres postgres = StoppablePostgres.start(dataDir);
        MarketplaceHarness market = MarketplaceHarness.start(postgres.config(), Duration.ZERO);
        WireClient a = market.login("patient", keys)) {
      a.send(
          SkillsTest.register(keys, new JsonArray().add(SkillsTest.skill("vv_before", 1, "TEST"))));
      a.expect("SKILLS_REGISTERED");
      postgres.pause();
      a.send(
          SkillsTest.register(keys, new JsonArray().add(SkillsTest.skill("vv_wait", 1, "TEST"))));
      JsonObject error = a.expectError("SERVICE_UNAVAILABLE");
      assertEquals(
          "The marketplace database is unavailable; nothing was changed. Try again" + " shortly.",
          error.getString("message"));
      // Search answers from the in-memory index: the stored registration, not the refused one.
      a.send(
          new JsonObject()
              .put("type", "SEARCH_SKILLS")
              .put("query", new JsonObject().put("capability", "vv_")));
      JsonObject during = a.expect("SEARCH_RESULTS");
      assertEquals(1, during.getInteger("total"), during::encode);
      assertEquals(
          "vv_before", during.getJsonArray("results").getJsonObject(0).getString("capability"));
      a.send(new JsonObject().put("type", "MSG").put("to", a.agentId).put("content", "still here"));
      assertEquals("still here", a.expect("MSG").getString("content"));

      postgres.resume();
      a.send(
          SkillsTest.register(keys, new JsonArray().add(SkillsTest.skill("vv_wait", 1, "TEST"))));
      a.expect("SKILLS_REGISTERED");
      a.send(
          new JsonObject()
              .put("type", "SEARCH_SKILLS")
              .put("query", new JsonObject().put("capability", "vv_wait")));
      assertEquals(
          1,
          a.expect("SEARCH_RESULTS").getInteger("total"),
          "exactly one registration: the refused attempt wrote nothing");
    }
  }
}
