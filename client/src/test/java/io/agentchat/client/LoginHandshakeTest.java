package io.agentchat.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentchat.identity.AgentKeyPair;
import io.agentchat.identity.Identity;
import io.agentchat.protocol.FrameCodec;
import io.agentchat.protocol.ServerFrame;
import io.agentchat.protocol.SigningStrings;
import org.junit.jupiter.api.Test;

/** The login frames alone, as wire text: no server, no Vert.x. */
class LoginHandshakeTest {
  private static final String CHALLENGE =
      "{\"type\":\"CHALLENGE\",\"ts\":1700000000000,\"challenge_id\":\"chal_lo3ks1ts_0a1b2c3d\","
          + "\"nonce\":\"00112233445566778899aabbccddeeff\",\"expires_at\":1700000060000}";

  private static final long NOW = 1700000000123L;

  private static JsonNode json(String text) throws Exception {
    return FrameCodec.mapper().readTree(text);
  }

  @Test
  void anEphemeralLoginIdentifiesWithItsNameAlone() {
    LoginHandshake login = new LoginHandshake("bench-1", null);

    assertEquals("{\"type\":\"IDENTIFY\",\"name\":\"bench-1\"}", login.identifyText());
    assertFalse(login.provesKey());
  }

  @Test
  void aKeyedLoginIdentifiesWithItsPublicKey() throws Exception {
    AgentKeyPair keys = AgentKeyPair.generate();
    LoginHandshake login = new LoginHandshake("alice", keys);

    JsonNode identify = json(login.identifyText());

    assertEquals("IDENTIFY", identify.get("type").asText());
    assertEquals("alice", identify.get("name").asText());
    assertEquals(keys.publicKey().pem(), identify.get("pubkey").asText());
    assertTrue(login.provesKey());
  }

  @Test
  void theAnswerSignsTheLoginStringWithTheClocksTime() throws Exception {
    AgentKeyPair keys = AgentKeyPair.generate();
    LoginHandshake login = new LoginHandshake("alice", keys, () -> NOW);

    JsonNode answer = json(login.answerText(CHALLENGE));

    assertEquals("VERIFY_IDENTITY", answer.get("type").asText());
    assertEquals("chal_lo3ks1ts_0a1b2c3d", answer.get("challenge_id").asText());
    assertEquals(NOW, answer.get("timestamp").asLong());
    assertTrue(answer.get("timestamp").isIntegralNumber(), answer.toString());
    String signed =
        SigningStrings.login("00112233445566778899aabbccddeeff", "chal_lo3ks1ts_0a1b2c3d", NOW);
    assertTrue(keys.publicKey().verify(signed, answer.get("signature").asText()));
  }

  @Test
  void aParsedChallengeGetsTheSameAnswerAsItsText() {
    LoginHandshake login = new LoginHandshake("alice", AgentKeyPair.generate(), () -> NOW);
    ServerFrame.Challenge parsed = (ServerFrame.Challenge) FrameCodec.decodeServer(CHALLENGE);

    assertEquals(login.answerText(CHALLENGE), FrameCodec.encode(login.answer(parsed)));
  }

  @Test
  void anEphemeralLoginCannotAnswerAChallenge() {
    LoginHandshake login = new LoginHandshake("bench-1", null);

    assertThrows(IllegalStateException.class, () -> login.answerText(CHALLENGE));
  }

  @Test
  void onlyAChallengeCanBeAnswered() {
    LoginHandshake login = new LoginHandshake("alice", AgentKeyPair.generate());

    assertThrows(
        IllegalArgumentException.class, () -> login.answerText("{\"type\":\"PONG\",\"ts\":1}"));
    assertThrows(IllegalArgumentException.class, () -> login.answerText("not json"));
  }

  @Test
  void aNameStoredInTheIdentityWinsAndBadNamesAreRefused() {
    assertEquals("stored", LoginHandshake.of("given", Identity.generate("stored")).name());
    assertEquals("given", LoginHandshake.of("given", null).name());
    IllegalArgumentException bad =
        assertThrows(IllegalArgumentException.class, () -> new LoginHandshake("no spaces", null));
    assertEquals(
        "Invalid agent name \"no spaces\" (1-32 letters, digits, _ or -)", bad.getMessage());
  }
}
