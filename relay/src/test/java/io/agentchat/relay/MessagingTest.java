package io.agentchat.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentchat.identity.AgentKeyPair;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** MSG routing, direct messages, presence, nicks, typing, files and peer verification. */
class MessagingTest {
  static TestRelay relay;

  @BeforeAll
  static void start() {
    relay =
        TestRelay.start(
            new RelayOptions()
                .msgBurst(100)
                .msgRate(100)
                .nickInterval(Duration.ofSeconds(30))
                .verifyRequestTimeout(Duration.ofSeconds(1)));
  }

  @AfterAll
  static void stop() {
    relay.close();
  }

  @Test
  void aChannelMessageReachesEveryMemberIncludingTheSender() {
    try (WireClient a = relay.ephemeral("a1");
        WireClient b = relay.ephemeral("b1");
        WireClient outsider = relay.ephemeral("out")) {
      a.join("#general");
      b.join("#general");
      a.expect("AGENT_JOINED");
      a.send("{\"type\":\"MSG\",\"to\":\"#general\",\"content\":\"hello\",\"in_reply_to\":\"x1\"}");
      JsonObject echo = a.expect("MSG");
      JsonObject got = b.expect("MSG");
      assertEquals(echo, got, "one frame, encoded once, for every member");
      assertEquals(a.agentId, got.getString("from"));
      assertEquals("a1", got.getString("from_name"));
      assertEquals("#general", got.getString("to"));
      assertEquals("hello", got.getString("content"));
      assertTrue(got.getString("msg_id").matches("\\d+-[0-9a-z]{6}"));
      assertEquals(Boolean.FALSE, got.getBoolean("verified"));
      assertEquals("x1", got.getString("in_reply_to"));
      assertFalse(got.containsKey("sig"));
      outsider.send("{\"type\":\"MSG\",\"to\":\"#general\",\"content\":\"hi\"}");
      assertEquals(
          "Not a member of #general", outsider.expectError("NOT_INVITED").getString("message"));
    }
  }

  @Test
  void everyMemberSeesTheSameOrderWhenSendersRace() {
    try (WireClient a = relay.ephemeral("ra");
        WireClient b = relay.ephemeral("rb");
        WireClient c = relay.ephemeral("rc")) {
      a.join("#love");
      b.join("#love");
      c.join("#love");
      a.expect("AGENT_JOINED");
      a.expect("AGENT_JOINED");
      b.expect("AGENT_JOINED");
      for (int i = 0; i < 40; i++) {
        a.send("{\"type\":\"MSG\",\"to\":\"#love\",\"content\":\"a" + i + "\"}");
        b.send("{\"type\":\"MSG\",\"to\":\"#love\",\"content\":\"b" + i + "\"}");
      }
      List<String> seenByA = new ArrayList<>();
      List<String> seenByB = new ArrayList<>();
      List<String> seenByC = new ArrayList<>();
      for (int i = 0; i < 80; i++) {
        seenByA.add(a.expect("MSG").getString("msg_id"));
        seenByB.add(b.expect("MSG").getString("msg_id"));
        seenByC.add(c.expect("MSG").getString("msg_id"));
      }
      assertEquals(seenByA, seenByB);
      assertEquals(seenByA, seenByC);
    }
  }

  @Test
  void aDirectMessageReachesOnlyItsTargetAndEchoesToTheSender() {
    try (WireClient a = relay.ephemeral("dm1");
        WireClient b = relay.ephemeral("dm2");
        WireClient c = relay.ephemeral("dm3")) {
      a.send(new JsonObject().put("type", "MSG").put("to", b.agentId).put("content", "psst"));
      JsonObject echo = a.expect("MSG");
      JsonObject got = b.expect("MSG");
      assertEquals(echo, got);
      assertEquals(b.agentId, got.getString("to"));
      c.expectNothingMore();
      a.send("{\"type\":\"MSG\",\"to\":\"@zzzzzzzz\",\"content\":\"anyone?\"}");
      assertEquals(
          "Agent @zzzzzzzz not found", a.expectError("AGENT_NOT_FOUND").getString("message"));
    }
  }

  @Test
  void aKeyedSenderIsMarkedVerifiedAndItsSignatureIsRelayed() {
    try (WireClient k =
        WireClient.keyed(relay.vertx, relay.port(), "signer", AgentKeyPair.generate())) {
      k.send(
          new JsonObject()
              .put("type", "MSG")
              .put("to", k.agentId)
              .put("content", "note")
              .put("sig", "c2ln"));
      JsonObject got = k.expect("MSG");
      assertEquals(Boolean.TRUE, got.getBoolean("verified"));
      assertEquals("c2ln", got.getString("sig"));
      k.expectNothingMore();
    }
  }

  @Test
  void presenceChangesGoOnceToEachPeerButNotToTheSender() {
    try (WireClient a = relay.ephemeral("pa");
        WireClient b = relay.ephemeral("pb")) {
      a.join("#agents");
      a.join("#help");
      b.join("#agents");
      b.join("#help");
      a.expect("AGENT_JOINED");
      a.expect("AGENT_JOINED");
      a.send("{\"type\":\"SET_PRESENCE\",\"status\":\"busy\",\"status_text\":\"reviewing\"}");
      JsonObject changed = b.expect("PRESENCE_CHANGED");
      assertEquals(a.agentId, changed.getString("agent_id"));
      assertEquals("busy", changed.getString("presence"));
      assertEquals("reviewing", changed.getString("status_text"));
      b.expectNothingMore();
      a.expectNothingMore();
      a.send("{\"type\":\"SET_PRESENCE\",\"status\":\"sleeping\"}");
      a.expectError("INVALID_MSG");
    }
  }

  @Test
  void aNickChangeIsAnnouncedOnceAndRateLimited() {
    try (WireClient a = relay.ephemeral("na");
        WireClient b = relay.ephemeral("nb")) {
      a.join("#bounties");
      a.join("#discovery");
      b.join("#bounties");
      b.join("#discovery");
      a.expect("AGENT_JOINED");
      a.expect("AGENT_JOINED");
      a.send("{\"type\":\"SET_NICK\",\"nick\":\" renamed \"}");
      JsonObject mine = a.expect("NICK_CHANGED");
      assertEquals("na", mine.getString("old_nick"));
      assertEquals("renamed", mine.getString("new_nick"));
      assertEquals(mine, b.expect("NICK_CHANGED"));
      a.expectNothingMore();
      b.expectNothingMore();
      a.send("{\"type\":\"SET_NICK\",\"nick\":\"again\"}");
      assertTrue(
          a.expectError("RATE_LIMITED")
              .getString("message")
              .startsWith("Nick change rate limited. Try again in"));
      a.send("{\"type\":\"SET_NICK\",\"nick\":\"Admin\"}");
      assertEquals(
          "Nick \"Admin\" is reserved", a.expectError("INVALID_NAME").getString("message"));
    }
  }

  @Test
  void typingReachesTheOtherMembersOnly() {
    try (WireClient a = relay.ephemeral("ta");
        WireClient b = relay.ephemeral("tb");
        WireClient outsider = relay.ephemeral("tc")) {
      a.join("#skills");
      b.join("#skills");
      a.expect("AGENT_JOINED");
      a.send("{\"type\":\"TYPING\",\"channel\":\"#skills\"}");
      JsonObject typing = b.expect("TYPING");
      assertEquals(a.agentId, typing.getString("from"));
      assertEquals("#skills", typing.getString("channel"));
      a.expectNothingMore();
      outsider.send("{\"type\":\"TYPING\",\"channel\":\"#skills\"}");
      outsider.expectError("NOT_INVITED");
    }
  }

  @Test
  void aFileChunkGoesToItsTargetWithoutEcho() {
    try (WireClient a = relay.ephemeral("fa");
        WireClient b = relay.ephemeral("fb")) {
      a.send(
          new JsonObject()
              .put("type", "FILE_CHUNK")
              .put("to", b.agentId)
              .put("content", "Y2h1bms="));
      JsonObject chunk = b.expect("FILE_CHUNK");
      assertEquals(a.agentId, chunk.getString("from"));
      assertEquals("Y2h1bms=", chunk.getString("content"));
      a.expectNothingMore();
      a.send("{\"type\":\"FILE_CHUNK\",\"to\":\"#general\",\"content\":\"x\"}");
      assertEquals(
          "FILE_CHUNK only supports DM targets (@agent)",
          a.expectError("INVALID_MSG").getString("message"));
    }
  }

  @Test
  void anAgentProvesItsKeyToAPeerBySigningTheNonce() {
    AgentKeyPair keys = AgentKeyPair.generate();
    try (WireClient asker = relay.ephemeral("asker");
        WireClient target = WireClient.keyed(relay.vertx, relay.port(), "target", keys)) {
      String nonce = "0123456789abcdef0123";
      asker.send(
          new JsonObject()
              .put("type", "VERIFY_REQUEST")
              .put("target", target.agentId)
              .put("nonce", nonce));
      JsonObject ack = asker.expect("VERIFY_REQUEST");
      assertEquals("pending", ack.getString("status"));
      assertEquals(target.agentId, ack.getString("target"));
      JsonObject request = target.expect("VERIFY_REQUEST");
      assertEquals(asker.agentId, request.getString("from"));
      assertEquals(nonce, request.getString("nonce"));
      assertEquals(ack.getString("request_id"), request.getString("request_id"));
      target.send(
          new JsonObject()
              .put("type", "VERIFY_RESPONSE")
              .put("request_id", request.getString("request_id"))
              .put("nonce", nonce)
              .put("sig", keys.sign(nonce)));
      JsonObject success = asker.expect("VERIFY_SUCCESS");
      assertEquals(target.agentId, success.getString("agent"));
      assertEquals(keys.publicKey().pem(), success.getString("pubkey"));
      assertEquals(Boolean.TRUE, target.expect("VERIFY_SUCCESS").getBoolean("verified"));
    }
  }

  @Test
  void aWrongProofOrSilenceFailsTheVerification() {
    AgentKeyPair keys = AgentKeyPair.generate();
    try (WireClient asker = relay.ephemeral("asker2");
        WireClient target = WireClient.keyed(relay.vertx, relay.port(), "target2", keys)) {
      String nonce = "abcdefabcdefabcdef";
      asker.send(
          new JsonObject()
              .put("type", "VERIFY_REQUEST")
              .put("target", target.agentId)
              .put("nonce", nonce));
      asker.expect("VERIFY_REQUEST");
      String id = target.expect("VERIFY_REQUEST").getString("request_id");
      target.send(
          new JsonObject()
              .put("type", "VERIFY_RESPONSE")
              .put("request_id", id)
              .put("nonce", nonce)
              .put("sig", AgentKeyPair.generate().sign(nonce)));
      assertEquals(
          "Signature verification failed", asker.expect("VERIFY_FAILED").getString("reason"));
      assertEquals(Boolean.FALSE, target.expect("VERIFY_FAILED").getBoolean("verified"));

      asker.send(
          new JsonObject()
              .put("type", "VERIFY_REQUEST")
              .put("target", target.agentId)
              .put("nonce", nonce));
      asker.expect("VERIFY_REQUEST");
      target.expect("VERIFY_REQUEST");
      assertEquals("Verification timed out", asker.expect("VERIFY_FAILED").getString("reason"));
    }
  }

  @Test
  void verificationRequestsCannotTargetEphemeralAgentsOrCarrySigningStrings() {
    try (WireClient a = relay.ephemeral("va");
        WireClient b = relay.ephemeral("vb")) {
      a.send(
          new JsonObject()
              .put("type", "VERIFY_REQUEST")
              .put("target", b.agentId)
              .put("nonce", "0123456789abcdef"));
      a.expectError("NO_PUBKEY");
      a.send(
          new JsonObject()
              .put("type", "VERIFY_REQUEST")
              .put("target", b.agentId)
              .put("nonce", "AGENTCHAT_AUTH|00112233|chal_x|1"));
      a.expectError("INVALID_MSG");
      b.send("{\"type\":\"VERIFY_RESPONSE\",\"request_id\":\"x\",\"nonce\":\"y\",\"sig\":\"z\"}");
      b.expectError("SIGNATURE_REQUIRED");
    }
  }

  @Test
  void marketplaceFramesAreRefusedClearlyWhenNoMarketplaceRuns() {
    try (WireClient a = relay.ephemeral("shopper")) {
      a.send("{\"type\":\"SEARCH_SKILLS\",\"query\":{\"capability\":\"code\"}}");
      JsonObject error = a.expectError("SERVICE_UNAVAILABLE");
      assertEquals("The marketplace is not available on this server", error.getString("message"));
      a.expectNothingMore();
    }
  }

  @Test
  void adminFramesAreNotServed() {
    try (WireClient a = relay.connect()) {
      a.send("{\"type\":\"ADMIN_KICK\",\"admin_key\":\"k\",\"agent_id\":\"x\"}");
      assertEquals(
          "ADMIN_KICK is not supported by this server",
          a.expectError("INVALID_MSG").getString("message"));
      a.send(
          "{\"type\":\"RESPONDING_TO\",\"msg_id\":\"1\",\"channel\":\"#general\","
              + "\"started_at\":1}");
      a.expectNothingMore();
    }
  }
}
