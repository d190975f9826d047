package io.agentchat.marketplace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentchat.identity.AgentKeyPair;
import io.agentchat.protocol.CanonicalJson;
import io.agentchat.protocol.FrameCodec;
import io.agentchat.protocol.SigningStrings;
import io.agentchat.relay.WireClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** REGISTER_SKILLS and SEARCH_SKILLS over the wire, with a real Postgres behind them. */
class SkillsTest {
  static MarketplaceHarness market;

  @BeforeAll
  static void start() {
    market = MarketplaceHarness.start(Duration.ZERO);
  }

  @AfterAll
  static void stop() {
    market.close();
  }

  static JsonObject register(AgentKeyPair keys, JsonArray skills) {
    String sig = keys.sign(SigningStrings.registerSkills(tree(skills)));
    return new JsonObject().put("type", "REGISTER_SKILLS").put("skills", skills).put("sig", sig);
  }

  /** The array as the server parses it (Jackson would otherwise see Vert.x objects as beans). */
  static com.fasterxml.jackson.databind.JsonNode tree(JsonArray skills) {
    try {
      return FrameCodec.mapper().readTree(skills.encode());
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static JsonObject skill(String capability, Object rate, String currency) {
    return new JsonObject()
        .put("capability", capability)
        .put("rate", rate)
        .put("currency", currency)
        .put("description", capability + " done well");
  }

  @Test
  void skillsSignedByNodeRegisterAnnounceInDiscoveryAndAreFound() {
    JsonObject fixtures = MarketplaceHarness.nodeFixtures();
    JsonObject reg = fixtures.getJsonObject("register_skills");
    AgentKeyPair nodeKey = MarketplaceHarness.fixtureKey(fixtures.getJsonObject("proposer"));
    try (WireClient listener = market.ephemeral("listener");
        WireClient agent = market.login("reviewer", nodeKey)) {
      listener.join("#discovery");
      agent.send(
          new JsonObject()
              .put("type", "REGISTER_SKILLS")
              .put("skills", reg.getJsonArray("skills"))
              .put("sig", reg.getString("sig")));
      JsonObject registered = agent.expect("SKILLS_REGISTERED");
      assertEquals("@f0ff50dacf109dea", registered.getString("agent_id"));
      assertEquals(1, registered.getInteger("skills_count"));
      JsonObject notice = listener.expect("MSG");
      assertEquals("@server", notice.getString("from"));
      assertEquals(
          "Agent @f0ff50dacf109dea registered 1 skill(s): code_review",
          notice.getString("content"));

      listener.send(
          new JsonObject()
              .put("type", "SEARCH_SKILLS")
              .put("query_id", "q1")
              .put("query", new JsonObject().put("capability", "REVIEW")));
      JsonObject results = listener.expect("SEARCH_RESULTS");
      assertEquals("q1", results.getString("query_id"));
      assertEquals("REVIEW", results.getJsonObject("query").getString("capability"));
      assertEquals(1, results.getInteger("total"));
      JsonObject hit = results.getJsonArray("results").getJsonObject(0);
      assertEquals("@f0ff50dacf109dea", hit.getString("agent_id"));
      assertEquals("code_review", hit.getString("capability"));
      assertEquals(10, hit.getInteger("rate"));
      assertEquals("TEST", hit.getString("currency"));
      assertEquals(1200, hit.getInteger("rating"));
      assertEquals(0, hit.getInteger("transactions"));
      assertEquals(registered.getLong("registered_at"), hit.getLong("registered_at"));
    }
  }

  @Test
  void aRegistrationReplacesThePreviousOneAndCannotSpoofItsAgentId() {
    AgentKeyPair keys = AgentKeyPair.generate();
    try (WireClient agent = market.login("replacer", keys)) {
      agent.send(register(keys, new JsonArray().add(skill("zz_old_skill", 5, "TEST"))));
      agent.expect("SKILLS_REGISTERED");
      JsonObject spoof =
          skill("zz_new_skill", 7, "TEST").put("agent_id", "@f0ff50dacf109dea").put("rating", 9999);
      agent.send(register(keys, new JsonArray().add(spoof)));
      agent.expect("SKILLS_REGISTERED");
      agent.send(
          new JsonObject()
              .put("type", "SEARCH_SKILLS")
              .put("query", new JsonObject().put("capability", "zz_")));
      JsonObject results = agent.expect("SEARCH_RESULTS");
      assertEquals(1, results.getInteger("total"), "the old registration is gone");
      JsonObject hit = results.getJsonArray("results").getJsonObject(0);
      assertEquals("zz_new_skill", hit.getString("capability"));
      assertEquals(agent.agentId, hit.getString("agent_id"));
      assertEquals(1200, hit.getInteger("rating"));
    }
  }

  @Test
  void searchFiltersByRateCurrencyAndLimitAndReportsTheTotal() {
    AgentKeyPair a = AgentKeyPair.generate();
    AgentKeyPair b = AgentKeyPair.generate();
    try (WireClient ca = market.login("cheap", a);
        WireClient cb = market.login("dear", b)) {
      ca.send(
          register(
              a,
              new JsonArray()
                  .add(skill("yy_translate", 5, "USDC"))
                  .add(skill("yy_summarize", 1, "TEST"))));
      ca.expect("SKILLS_REGISTERED");
      cb.send(register(b, new JsonArray().add(skill("yy_translate", 50, "usdc"))));
      cb.expect("SKILLS_REGISTERED");
      ca.send(
          new JsonObject()
              .put("type", "SEARCH_SKILLS")
              .put(
                  "query", new JsonObject().put("capability", "yy_translate").put("max_rate", 10)));
      JsonObject cheap = ca.expect("SEARCH_RESULTS");
      assertEquals(1, cheap.getInteger("total"));
      assertEquals(
          ca.agentId, cheap.getJsonArray("results").getJsonObject(0).getString("agent_id"));
      ca.send(
          new JsonObject()
              .put("type", "SEARCH_SKILLS")
              .put(
                  "query",
                  new JsonObject()
                      .put("capability", "yy_")
                      .put("currency", "USDC")
                      .put("limit", 1)));
      JsonObject page = ca.expect("SEARCH_RESULTS");
      assertEquals(2, page.getInteger("total"), "currency matches case-insensitively");
      assertEquals(1, page.getJsonArray("results").size());
      assertEquals(
          cb.agentId,
          page.getJsonArray("results").getJsonObject(0).getString("agent_id"),
          "newest registration first");
    }
  }

  @Test
  void registrationNeedsAKeyAValidSignatureAndValidSkills() {
    AgentKeyPair keys = AgentKeyPair.generate();
    try (WireClient eph = market.ephemeral("nokey");
        WireClient agent = market.login("k", keys)) {
      eph.send(register(keys, new JsonArray().add(skill("x", 1, "TEST"))));
      assertEquals(
          "Skill registration requires persistent identity",
          eph.expectError("SIGNATURE_REQUIRED").getString("message"));
      agent.send(register(AgentKeyPair.generate(), new JsonArray().add(skill("x", 1, "TEST"))));
      assertEquals(
          "Invalid signature", agent.expectError("VERIFICATION_FAILED").getString("message"));
      agent.send(register(keys, new JsonArray().add(skill("x".repeat(65), 1, "TEST"))));
      agent.expectError("INVALID_MSG");
      agent.send(register(keys, new JsonArray().add(skill("x", -1, "TEST"))));
      assertEquals(
          "rate must be a non-negative number",
          agent.expectError("INVALID_MSG").getString("message"));
      agent.send(register(keys, new JsonArray().add(skill("x", 1, "not a currency code!"))));
      agent.expectError("INVALID_MSG");
      agent.send(register(keys, new JsonArray().add(skill("x", "ten", "TEST"))));
      agent.expectError("INVALID_MSG");
      agent.expectNothingMore();
    }
  }

  @Test
  void theSkillsSignatureCoversTheArrayAsJavaScriptPrintsIt() {
    JsonArray skills =
        new JsonArray("[{\"capability\":\"js\",\"rate\":10.0,\"note\":\"a\\u0001b\"}]");
    String hash = CanonicalJson.sha256Hex(CanonicalJson.stringify(tree(skills)));
    assertTrue(SigningStrings.registerSkills(tree(skills)).endsWith(hash));
    AgentKeyPair keys = AgentKeyPair.generate();
    try (WireClient agent = market.login("jsnum", keys)) {
      // Signed over rate 10 (as JavaScript prints 10.0); the server rebuilds the same string.
      String text =
          "{\"type\":\"REGISTER_SKILLS\",\"skills\":[{\"capability\":\"js\","
              + "\"rate\":10.0,\"note\":\"a\\u0001b\"}],\"sig\":\""
              + keys.sign("REGISTER_SKILLS|" + hash)
              + "\"}";
      agent.send(text);
      agent.expect("SKILLS_REGISTERED");
    }
  }
}
