package io.agentchat.identity;

import static io.agentchat.identity.NodeVectors.AGENT_ID;
import static io.agentchat.identity.NodeVectors.LOGIN;
import static io.agentchat.identity.NodeVectors.LOGIN_SIGNATURE;
import static io.agentchat.identity.NodeVectors.PRIVATE_BASE64;
import static io.agentchat.identity.NodeVectors.PRIVATE_PEM;
import static io.agentchat.identity.NodeVectors.PROPOSAL;
import static io.agentchat.identity.NodeVectors.PROPOSAL_SIGNATURE;
import static io.agentchat.identity.NodeVectors.PUBLIC_PEM;
import static io.agentchat.identity.NodeVectors.SEED;
import static io.agentchat.identity.NodeVectors.SKILLS;
import static io.agentchat.identity.NodeVectors.SKILLS_SIGNATURE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class AgentKeyPairTest {
  private static final AgentKeyPair NODE_KEYS = AgentKeyPair.fromSeed(SEED);

  @Test
  void theTestSeedGivesNodesPublicKeyPrivatePemAndId() {
    assertEquals(PUBLIC_PEM, NODE_KEYS.publicKey().pem());
    assertEquals(PRIVATE_PEM, NODE_KEYS.privatePem());
    assertEquals(AGENT_ID, NODE_KEYS.publicKey().agentId());
  }

  @Test
  void signaturesAreIdenticalToNodes() {
    assertEquals(LOGIN_SIGNATURE, NODE_KEYS.sign(LOGIN));
    assertEquals(PROPOSAL_SIGNATURE, NODE_KEYS.sign(PROPOSAL));
    assertEquals(SKILLS_SIGNATURE, NODE_KEYS.sign(SKILLS));
  }

  @Test
  void signingBytesGivesTheSameSignatureAsSigningText() {
    byte[] signature = NODE_KEYS.sign(LOGIN.getBytes(StandardCharsets.UTF_8));
    assertArrayEquals(Base64.getDecoder().decode(LOGIN_SIGNATURE), signature);
  }

  @Test
  void signatureTextIsPaddedStandardBase64Of88Chars() {
    AgentKeyPair keys = AgentKeyPair.generate();
    for (int i = 0; i < 20; i++) {
      String signature = keys.sign("message " + i + " ✓");
      assertEquals(88, signature.length());
      assertTrue(signature.matches("[A-Za-z0-9+/]{86}=="), signature);
      assertTrue(keys.publicKey().verify("message " + i + " ✓", signature));
    }
  }

  @Test
  void aNodePrivatePemLoadsToTheSameKeys() {
    AgentKeyPair keys = AgentKeyPair.fromPrivatePem(PRIVATE_PEM);
    assertEquals(NODE_KEYS.publicKey(), keys.publicKey());
    assertEquals(LOGIN_SIGNATURE, keys.sign(LOGIN));
    assertEquals(
        keys.publicKey(),
        AgentKeyPair.fromPrivatePem(PRIVATE_PEM.replace("\n", "\r\n").strip()).publicKey());
  }

  @Test
  void privatePemIsPkcs8V1OnOne64CharLine() {
    String pem = AgentKeyPair.generate().privatePem();
    String[] lines = pem.split("\n", -1);
    assertEquals(4, lines.length);
    assertEquals("-----BEGIN PRIVATE KEY-----", lines[0]);
    assertEquals(64, lines[1].length());
    assertTrue(lines[1].startsWith("MC4CAQAwBQYDK2VwBCIEI"), lines[1]);
    assertEquals("-----END PRIVATE KEY-----", lines[2]);
    assertEquals("", lines[3]);
    assertFalse(pem.contains("\r"));
  }

  @Test
  void aPkcs8V2KeyIsReadBySeed() {
    String v2 = pkcs8V2(NODE_KEYS.publicKey().raw());
    AgentKeyPair keys = AgentKeyPair.fromPrivatePem(v2);
    assertEquals(NODE_KEYS.publicKey(), keys.publicKey());
    assertEquals(PRIVATE_PEM, keys.privatePem(), "written back as v1");
  }

  @Test
  void aPkcs8V2KeyWhoseEmbeddedPublicKeyIsForeignIsRefused() {
    String v2 = pkcs8V2(AgentKeyPair.generate().publicKey().raw());
    assertThrows(InvalidKeyException.class, () -> AgentKeyPair.fromPrivatePem(v2));
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(
      strings = {
        "abc",
        PUBLIC_PEM,
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
        "-----BEGIN PRIVATE KEY-----\n"
            + "MC4CAQAwBQYDK2VwBCIEIAABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4=\n"
            + "-----END PRIVATE KEY-----\n",
        // X25519 (1.3.101.110) key with the same seed.
        "-----BEGIN PRIVATE KEY-----\n"
            + "MC4CAQAwBQYDK2VuBCIEIAABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4f\n"
            + "-----END PRIVATE KEY-----\n"
      })
  void textThatIsNotAnEd25519PrivateKeyIsRefused(String text) {
    assertThrows(InvalidKeyException.class, () -> AgentKeyPair.fromPrivatePem(text));
  }

  @Test
  void anRsaPrivateKeyIsRefused() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(1024);
    String pem =
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, new byte[] {'\n'})
                .encodeToString(generator.generateKeyPair().getPrivate().getEncoded())
            + "\n-----END PRIVATE KEY-----\n";
    assertThrows(InvalidKeyException.class, () -> AgentKeyPair.fromPrivatePem(pem));
  }

  @Test
  void mangledPemTextOnlyEverFailsWithInvalidKeyException() {
    AgentKeyTest.assertOnlyInvalidKeyException(PRIVATE_PEM, AgentKeyPair::fromPrivatePem);
    AgentKeyTest.assertOnlyInvalidKeyException(
        pkcs8V2(NODE_KEYS.publicKey().raw()), AgentKeyPair::fromPrivatePem);
    AgentKeyTest.assertOnlyInvalidKeyException(PUBLIC_PEM, AgentKeyPair::fromPrivatePem);
  }

  @Test
  void seedsOfTheWrongLengthAreRefused() {
    assertThrows(InvalidKeyException.class, () -> AgentKeyPair.fromSeed(null));
    assertThrows(InvalidKeyException.class, () -> AgentKeyPair.fromSeed(new byte[31]));
  }

  @Test
  void generatedKeyPairsDiffer() {
    assertNotEquals(AgentKeyPair.generate().publicKey(), AgentKeyPair.generate().publicKey());
  }

  @Test
  void toStringRevealsNoPrivateKey() {
    String text = NODE_KEYS.toString();
    assertEquals("AgentKeyPair[" + AGENT_ID + "]", text);
    assertFalse(text.contains(PRIVATE_BASE64));
    assertFalse(text.contains(HexFormat.of().formatHex(SEED)));
  }

  /** RFC 5958 OneAsymmetricKey: version 1, the seed, then [1] the public key as a BIT STRING. */
  private static String pkcs8V2(byte[] publicKey) {
    byte[] der =
        HexFormat.of()
            .parseHex(
                "3051020101300506032b657004220420"
                    + HexFormat.of().formatHex(SEED)
                    + "812100"
                    + HexFormat.of().formatHex(publicKey));
    return "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END PRIVATE KEY-----\n";
  }
}
