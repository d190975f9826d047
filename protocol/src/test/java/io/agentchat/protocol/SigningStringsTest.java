package io.agentchat.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The exact signing strings of protocol facts §2.3, rebuilt from parsed frames. */
class SigningStringsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String SKILLS =
      "[{\"capability\":\"code_review\",\"description\":\"Reviews\",\"rate\":10,"
          + "\"currency\":\"TEST\"}]";

  private static final String SKILLS_HASH =
      "12642cb082e9c04a60b9aeb1f670c75cdb9d089edceaeef6899ae8a0060d45ed";

  @Test
  void theLoginStringJoinsNonceChallengeAndTimestamp() {
    assertEquals(
        "AGENTCHAT_AUTH|00112233445566778899aabbccddeeff|chal_m0abc123_deadbeef|1700000000000",
        SigningStrings.login(
            "00112233445566778899aabbccddeeff", "chal_m0abc123_deadbeef", 1700000000000d));
    assertEquals("AGENTCHAT_AUTH|n|c|1.5", SigningStrings.login("n", "c", 1.5));
    assertEquals("AGENTCHAT_AUTH|n|c|1e+21", SigningStrings.login("n", "c", 1e21));
  }

  @Test
  void aProposalLeavesAbsentSlotsEmpty() throws IOException {
    JsonNode frame =
        JSON.readTree(
            "{\"type\":\"PROPOSAL\",\"to\":\"@0123456789abcdef\",\"task\":\"Review PR #42\","
                + "\"amount\":1.5,\"currency\":\"SOL\",\"expires\":300}");
    assertEquals("@0123456789abcdef|Review PR #42|1.5|SOL||300|", proposalOf(frame));
  }

  @Test
  void aProposalRendersNumbersAsTheServerParsedThem() throws IOException {
    JsonNode frame =
        JSON.readTree(
            "{\"to\":\"@a\",\"task\":\"t\",\"amount\":10.0,\"currency\":null,"
                + "\"payment_code\":\"\",\"expires\":1e2,\"elo_stake\":0}");
    assertEquals("@a|t|10|||100|", proposalOf(frame));
    frame =
        JSON.readTree(
            "{\"to\":\"@a\",\"task\":\"x|y\",\"amount\":0,\"payment_code\":\"pc\","
                + "\"elo_stake\":25,\"terms\":\"not signed\"}");
    assertEquals("@a|x|y|||pc||25", proposalOf(frame));
  }

  @Test
  void javaValuesSignWhatTheServerRebuildsFromTheirJson() throws IOException {
    assertEquals(
        "@0123456789abcdef|Review PR #42|1.5|SOL||300|",
        SigningStrings.proposal(
            "@0123456789abcdef",
            "Review PR #42",
            new BigDecimal("1.50"),
            "SOL",
            (String) null,
            300L,
            (Long) null));
    assertEquals(
        "@a|t|10||||",
        SigningStrings.proposal("@a", "t", new BigDecimal("10.0"), "", null, (Long) null, 0L));

    // Round trip: serialize the Java values as a client would, parse them as the server does.
    ObjectNode sent = JSON.createObjectNode();
    sent.put("to", "@b").put("task", "t").put("amount", new BigDecimal("0.1000000000000000055"));
    sent.put("currency", "USD").put("expires", 3600L).put("elo_stake", 9007199254740993L);
    JsonNode received = JSON.readTree(JSON.writeValueAsString(sent));
    assertEquals(
        proposalOf(received),
        SigningStrings.proposal(
            "@b",
            "t",
            new BigDecimal("0.1000000000000000055"),
            "USD",
            null,
            3600L,
            9007199254740993L));
    assertEquals("@b|t|0.1|USD||3600|9007199254740992", proposalOf(received));
  }

  @Test
  void acceptRejectCompleteAndDisputeCarryTheirPrefixes() throws IOException {
    JsonNode f = JSON.readTree("{\"payment_code\":\"PC-1\",\"elo_stake\":50,\"proof\":\"done\"}");
    assertEquals(
        "ACCEPT|prop_1|PC-1|50",
        SigningStrings.accept("prop_1", f.get("payment_code"), f.get("elo_stake")));
    assertEquals("ACCEPT|prop_1|PC-1|50", SigningStrings.accept("prop_1", "PC-1", 50L));
    assertEquals(
        "ACCEPT|prop_1||", SigningStrings.accept("prop_1", f.get("nope"), JSON.readTree("0")));
    assertEquals("ACCEPT|prop_1||", SigningStrings.accept("prop_1", (String) null, 0L));
    assertEquals("REJECT|prop_1|", SigningStrings.reject("prop_1", MissingNode.getInstance()));
    assertEquals("REJECT|prop_1|", SigningStrings.reject("prop_1", JSON.readTree("null")));
    assertEquals("REJECT|prop_1|too busy", SigningStrings.reject("prop_1", "too busy"));
    assertEquals("COMPLETE|prop_1|done", SigningStrings.complete("prop_1", f.get("proof")));
    assertEquals("COMPLETE|prop_1|", SigningStrings.complete("prop_1", (String) null));
    assertEquals("DISPUTE|prop_1|no delivery", SigningStrings.dispute("prop_1", "no delivery"));
  }

  @Test
  void registeringSkillsSignsTheCanonicalHash() throws IOException {
    assertEquals(
        "REGISTER_SKILLS|" + SKILLS_HASH, SigningStrings.registerSkills(JSON.readTree(SKILLS)));
    // Spacing and 10.0 vs 10 in the sent text do not change what is signed.
    JsonNode spaced =
        JSON.readTree(
            "[ {\"capability\": \"code_review\", \"description\": \"Reviews\","
                + " \"rate\": 10.0, \"currency\": \"TEST\"} ]");
    assertEquals("REGISTER_SKILLS|" + SKILLS_HASH, SigningStrings.registerSkills(spaced));
  }

  @Test
  void theStringsSignToTheReferenceSignatures() throws GeneralSecurityException, IOException {
    byte[] seed = new byte[32];
    for (int i = 0; i < seed.length; i++) {
      seed[i] = (byte) i;
    }
    PrivateKey key =
        KeyFactory.getInstance("Ed25519")
            .generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed));
    assertEquals(
        "g/QzQoKk9z5zP+LtnbfkyopMJvDXIXVrspnjOoyh602pFOlqGRRSS/qzmzrexUbGdfclXJOVbVS75WeyVeToAg==",
        sign(
            key,
            SigningStrings.login(
                "00112233445566778899aabbccddeeff", "chal_m0abc123_deadbeef", 1700000000000d)));
    JsonNode proposal =
        JSON.readTree(
            "{\"to\":\"@0123456789abcdef\",\"task\":\"Review PR #42\",\"amount\":1.5,"
                + "\"currency\":\"SOL\",\"expires\":300}");
    assertEquals(
        "DPMNkvZcdPu3TAr5gRqaQz0ix9VRdX15vdtXMA7rYP7SyDMvlObzR/4hcB8t71MsZyoYtLv3xdBqWMNWV4HoCg==",
        sign(key, proposalOf(proposal)));
    assertEquals(
        "IDZD1pDT33jvuWeouB43beqT+/U5itHR4hRxsQViyA5xigm4f4PaVhIXuEel+Q3DqvaZNKlvbXnLePWLj24ICw==",
        sign(key, SigningStrings.registerSkills(JSON.readTree(SKILLS))));
  }

  private static String proposalOf(JsonNode frame) {
    return SigningStrings.proposal(
        frame.get("to").textValue(),
        frame.get("task").textValue(),
        frame.get("amount"),
        frame.get("currency"),
        frame.get("payment_code"),
        frame.get("expires"),
        frame.get("elo_stake"));
  }

  private static String sign(PrivateKey key, String text) throws GeneralSecurityException {
    Signature signer = Signature.getInstance("Ed25519");
    signer.initSign(key);
    signer.update(text.getBytes(StandardCharsets.UTF_8));
    return Base64.getEncoder().encodeToString(signer.sign());
  }
}
