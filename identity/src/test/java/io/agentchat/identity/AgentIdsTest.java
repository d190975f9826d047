package io.agentchat.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AgentIdsTest {
  @Test
  void aPublicKeyPemGivesTheNodeAgentId() {
    assertEquals(NodeVectors.AGENT_ID, AgentIds.fromPublicKeyPem(NodeVectors.PUBLIC_PEM));
  }

  @Test
  void aCrlfOrUnterminatedRenderingGivesTheSameId() {
    assertEquals(
        NodeVectors.AGENT_ID,
        AgentIds.fromPublicKeyPem(NodeVectors.PUBLIC_PEM.replace("\n", "\r\n")));
    assertEquals(NodeVectors.AGENT_ID, AgentIds.fromPublicKeyPem(NodeVectors.PUBLIC_PEM.strip()));
  }

  @Test
  void garbageIsAnInvalidKey() {
    assertThrows(InvalidKeyException.class, () -> AgentIds.fromPublicKeyPem("nope"));
  }

  @Test
  void ephemeralIdsAreEightLowercaseLettersOrDigits() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      String id = AgentIds.ephemeral();
      assertTrue(id.matches("[a-z0-9]{8}"), id);
      seen.add(id);
    }
    assertTrue(seen.size() > 990, "ids repeat far too often");
  }

  @Test
  void theWireFormIsTheBareIdAfterAnAt() {
    assertEquals("@f0ff50dacf109dea", AgentIds.wire("f0ff50dacf109dea"));
    assertEquals("f0ff50dacf109dea", AgentIds.bare("@f0ff50dacf109dea"));
    assertEquals("f0ff50dacf109dea", AgentIds.bare("f0ff50dacf109dea"));
    assertEquals("@x", AgentIds.bare("@@x"), "only one @ is stripped");
  }

  @Test
  void persistentIdsAreSixteenLowercaseHexChars() {
    assertTrue(AgentIds.isValidPersistentId("f0ff50dacf109dea"));
    assertFalse(AgentIds.isValidPersistentId("F0FF50DACF109DEA"));
    assertFalse(AgentIds.isValidPersistentId("@f0ff50dacf109dea"));
    assertFalse(AgentIds.isValidPersistentId("f0ff50dacf109de"));
    assertFalse(AgentIds.isValidPersistentId("f0ff50dacf109deaa"));
    assertFalse(AgentIds.isValidPersistentId("abcdefgh"));
    assertFalse(AgentIds.isValidPersistentId(null));
  }
}
