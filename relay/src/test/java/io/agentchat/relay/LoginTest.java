package io.agentchat.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentchat.identity.AgentKeyPair;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** IDENTIFY, CHALLENGE and VERIFY_IDENTITY over the wire, and session displacement. */
class LoginTest {
  /** The facts' Node-made vector: seed 00 01 … 1f. */
  static final AgentKeyPair NODE_VECTOR_KEY =
      AgentKeyPair.fromSeed(
          HexFormat.of()
              .parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"));

  static final String NODE_VECTOR_PEM =
      "-----BEGIN PUBLIC KEY-----\n"
          + "MCowBQYDK2VwAyEAA6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg=\n"
          + "-----END PUBLIC KEY-----\n";

  static TestRelay relay;

  @BeforeAll
  static void start() {
    relay = TestRelay.start(new RelayOptions().challengeTimeout(Duration.ofSeconds(2)));
  }

  @AfterAll
  static void stop() {
    relay.close();
  }

  @Test
  void anEphemeralAgentIsWelcomedAtOnceWithAnEightCharacterId() {
    try (WireClient c = relay.connect()) {
      c.send("{\"type\":\"IDENTIFY\",\"name\":\"eph\",\"pubkey\":null}");
      JsonObject welcome = c.expect("WELCOME");
      assertTrue(welcome.getString("agent_id").matches("@[a-z0-9]{8}"));
      assertEquals("eph", welcome.getString("name"));
      assertEquals("agentchat", welcome.getString("server"));
      assertFalse(welcome.containsKey("verified"), "ephemeral sessions carry no verified flag");
      assertTrue(welcome.getString("disclaimer").contains("untrusted"));
      assertTrue(welcome.getLong("ts") > 0);
    }
  }

  @Test
  void aKeyedAgentAnswersTheChallengeAndGetsTheIdNodeDerives() {
    try (WireClient c = relay.connect()) {
      c.send(
          new JsonObject()
              .put("type", "IDENTIFY")
              .put("name", "vector")
              .put("pubkey", NODE_VECTOR_PEM));
      JsonObject challenge = c.expect("CHALLENGE");
      assertTrue(challenge.getString("challenge_id").matches("chal_[0-9a-z]+_[0-9a-f]{8}"));
      assertTrue(challenge.getString("nonce").matches("[0-9a-f]{32}"));
      assertTrue(challenge.getLong("expires_at") > System.currentTimeMillis());
      c.answer(challenge, NODE_VECTOR_KEY, System.currentTimeMillis());
      JsonObject welcome = c.expect("WELCOME");
      assertEquals("@f0ff50dacf109dea", welcome.getString("agent_id"));
      assertEquals(Boolean.TRUE, welcome.getBoolean("verified"));
    }
  }

  @Test
  void theIdDoesNotChangeWhenThePemUsesCrlfLineEndings() {
    try (WireClient c = relay.connect()) {
      c.send(
          new JsonObject()
              .put("type", "IDENTIFY")
              .put("name", "crlf")
              .put("pubkey", NODE_VECTOR_PEM.replace("\n", "\r\n")));
      c.answer(c.expect("CHALLENGE"), NODE_VECTOR_KEY, System.currentTimeMillis());
      assertEquals("@f0ff50dacf109dea", c.expect("WELCOME").getString("agent_id"));
    }
  }

  @Test
  void aWrongSignatureIsRefusedAndTheSocketStaysUsableForAnotherTry() {
    AgentKeyPair keys = AgentKeyPair.generate();
    AgentKeyPair other = AgentKeyPair.generate();
    try (WireClient c = relay.connect()) {
      c.send(
          new JsonObject()
              .put("type", "IDENTIFY")
              .put("name", "forger")
              .put("pubkey", keys.publicKey().pem()));
      c.answer(c.expect("CHALLENGE"), other, System.currentTimeMillis());
      c.expectError("VERIFICATION_FAILED");
      c.send("{\"type\":\"JOIN\",\"channel\":\"#general\"}");
      c.expectError("AUTH_REQUIRED");
      c.send(
          new JsonObject()
              .put("type", "IDENTIFY")
              .put("name", "forger")
              .put("pubkey", keys.publicKey().pem()));
      c.answer(c.expect("CHALLENGE"), keys, System.currentTimeMillis());
      c.expect("WELCOME");
    }
  }

  @Test
  void aSignatureOverAStaleTimestampIsRefused() {
    AgentKeyPair keys = AgentKeyPair.generate();
    try (WireClient c = relay.connect()) {
      c.send(
          new JsonObject()
              .put("type", "IDENTIFY")
              .put("name", "stale")
              .put("pubkey", keys.publicKey().pem()));
      c.answer(c.expect("CHALLENGE"), keys, System.currentTimeMillis() - 3_600_000);
      JsonObject error = c.expectError("VERIFICATION_FAILED");
      assertTrue(error.getString("message").contains("timestamp"));
      c.expectNothingMore();
    }
  }

  @Test
  void anUnknownChallengeIsReportedAsExpired() {
    try (WireClient c = relay.connect()) {
      c.send(
          "{\"type\":\"VERIFY_IDENTITY\",\"challenge_id\":\"chal_x_00000000\","
              + "\"signature\":\"AAAA\",\"timestamp\":1}");
      assertEquals(
          "Challenge not found or expired",
          c.expectError("VERIFICATION_EXPIRED").getString("message"));
    }
  }

  @Test
  void aChallengeCannotBeAnsweredFromAnotherConnection() {
    AgentKeyPair keys = AgentKeyPair.generate();
    try (WireClient owner = relay.connect();
        WireClient thief = relay.connect()) {
      owner.send(
          new JsonObject()
              .put("type", "IDENTIFY")
              .put("name", "owner")
              .put("pubkey", keys.publicKey().pem()));
      JsonObject challenge = owner.expect("CHALLENGE");
      thief.answer(challenge, keys, System.currentTimeMillis());
      assertEquals(
          "Challenge belongs to a different connection",
          thief.expectError("INVALID_MSG").getString("message"));
    }
  }

  @Test
  void anUnansweredChallengeExpiresAndTheSocketIsClosed() {
    AgentKeyPair keys = AgentKeyPair.generate();
    try (WireClient c = relay.connect()) {
      c.send(
          new JsonObject()
              .put("type", "IDENTIFY")
              .put("name", "slow")
              .put("pubkey", keys.publicKey().pem()));
      c.expect("CHALLENGE");
      assertEquals("Challenge expired", c.expectError("VERIFICATION_EXPIRED").getString("message"));
      assertEquals(1000, c.awaitClose());
    }
  }

  @Test
  void identifyingTwiceOrWhileAChallengeIsPendingIsRefused() {
    AgentKeyPair keys = AgentKeyPair.generate();
    try (WireClient c = relay.connect();
        WireClient d = relay.ephemeral("twice")) {
      c.send(
          new JsonObject()
              .put("type", "IDENTIFY")
              .put("name", "pending")
              .put("pubkey", keys.publicKey().pem()));
      c.expect("CHALLENGE");
      c.send("{\"type\":\"IDENTIFY\",\"name\":\"again\"}");
      assertEquals("Challenge already pending", c.expectError("INVALID_MSG").getString("message"));
      d.send("{\"type\":\"IDENTIFY\",\"name\":\"again\"}");
      assertEquals("Already identified", d.expectError("INVALID_MSG").getString("message"));
    }
  }

  @Test
  void aPublicKeyThatIsNotEd25519IsRefused() {
    String rsa =
        "-----BEGIN PUBLIC KEY-----\nMFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBAL1n\n"
            + "-----END PUBLIC KEY-----\n";
    try (WireClient c = relay.connect()) {
      c.send(new JsonObject().put("type", "IDENTIFY").put("name", "rsa").put("pubkey", rsa));
      assertEquals(
          "Invalid public key format (must be Ed25519 PEM)",
          c.expectError("INVALID_MSG").getString("message"));
      c.send("{\"type\":\"IDENTIFY\",\"name\":\"n\",\"pubkey\":42}");
      c.expectError("INVALID_MSG");
    }
  }

  @Test
  void reservedAndMalformedNamesAreRefused() {
    try (WireClient c = relay.connect()) {
      c.send("{\"type\":\"IDENTIFY\",\"name\":\"Server\"}");
      c.expectError("INVALID_NAME");
      c.send("{\"type\":\"IDENTIFY\",\"name\":\"has space\"}");
      assertEquals("Invalid agent name", c.expectError("INVALID_MSG").getString("message"));
      c.send("{\"type\":\"IDENTIFY\",\"name\":\"" + "x".repeat(33) + "\"}");
      c.expectError("INVALID_MSG");
    }
  }

  @Test
  void aSecondLoginWithTheSameKeyDisplacesTheFirstSession() {
    AgentKeyPair keys = AgentKeyPair.generate();
    try (WireClient first = WireClient.keyed(relay.vertx, relay.port(), "first", keys);
        WireClient watcher = relay.ephemeral("watcher")) {
      first.join("#love");
      watcher.join("#love");
      first.expect("AGENT_JOINED");
      try (WireClient second = WireClient.keyed(relay.vertx, relay.port(), "second", keys)) {
        assertEquals(first.agentId, second.agentId);
        JsonObject displaced = first.expect("SESSION_DISPLACED");
        assertEquals("Another connection verified this identity", displaced.getString("reason"));
        assertEquals("unknown", displaced.getString("new_ip"), "the new peer's IP is not leaked");
        assertEquals(1000, first.awaitClose());
        JsonObject left = watcher.expect("AGENT_LEFT");
        assertEquals(first.agentId, left.getString("agent"));
        // The new session is a full citizen: it can join the channel the old one was in.
        second.join("#love");
        assertEquals(second.agentId, watcher.expect("AGENT_JOINED").getString("agent"));
      }
    }
  }

  @Test
  void pingIsAnsweredBeforeLogin() {
    try (WireClient c = relay.connect()) {
      c.send("{\"type\":\"PING\"}");
      JsonObject pong = c.expect("PONG");
      assertTrue(pong.getLong("ts") > 0);
      assertNull(pong.getString("code"));
    }
  }
}
