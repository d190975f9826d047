package io.agentchat.identity;

import static io.agentchat.identity.NodeVectors.AGENT_ID;
import static io.agentchat.identity.NodeVectors.LOGIN;
import static io.agentchat.identity.NodeVectors.LOGIN_SIGNATURE;
import static io.agentchat.identity.NodeVectors.PRIVATE_PEM;
import static io.agentchat.identity.NodeVectors.PROPOSAL;
import static io.agentchat.identity.NodeVectors.PROPOSAL_SIGNATURE;
import static io.agentchat.identity.NodeVectors.PUBLIC_BASE64;
import static io.agentchat.identity.NodeVectors.PUBLIC_PEM;
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
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class AgentKeyTest {
  private static final AgentKey NODE_KEY = AgentKey.fromPem(PUBLIC_PEM);

  @Test
  void aNodePemRendersBackToTheSameTextAndId() {
    assertEquals(PUBLIC_PEM, NODE_KEY.pem());
    assertEquals(AGENT_ID, NODE_KEY.agentId());
  }

  @Test
  void theRawKeyIsTheLast32BytesOfTheSpki() {
    byte[] der = Base64.getDecoder().decode(PUBLIC_BASE64);
    byte[] raw = Arrays.copyOfRange(der, 12, 44);
    assertArrayEquals(raw, NODE_KEY.raw());
    assertEquals(NODE_KEY, AgentKey.fromRaw(raw));
  }

  static Stream<String> otherRenderings() {
    String pem = PUBLIC_PEM;
    return Stream.of(
        pem.replace("\n", "\r\n"),
        pem.strip(),
        pem.replace("\n", "\r\n").strip(),
        "  \n" + pem + "\n\n  ",
        "-----BEGIN PUBLIC KEY-----\n"
            + PUBLIC_BASE64.substring(0, 20)
            + "\n"
            + PUBLIC_BASE64.substring(20, 40)
            + "\r\n  "
            + PUBLIC_BASE64.substring(40)
            + "\n-----END PUBLIC KEY-----",
        "-----BEGIN PUBLIC KEY-----" + PUBLIC_BASE64 + "-----END PUBLIC KEY-----");
  }

  @ParameterizedTest
  @MethodSource("otherRenderings")
  void anyLayoutOfTheSameKeyGivesTheCanonicalPemAndId(String rendering) {
    AgentKey key = AgentKey.fromPem(rendering);
    assertEquals(PUBLIC_PEM, key.pem());
    assertEquals(AGENT_ID, key.agentId());
    assertEquals(NODE_KEY, key);
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(
      strings = {
        "abc",
        "   ",
        "-----BEGIN PUBLIC KEY-----\n",
        "-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n",
        "-----BEGIN PUBLIC KEY-----\nnot*base64!\n-----END PUBLIC KEY-----\n",
        "-----BEGIN PUBLIC KEY-----\n" + PUBLIC_BASE64 + "\n-----END PRIVATE KEY-----\n",
        "-----BEGIN RSA PUBLIC KEY-----\n" + PUBLIC_BASE64 + "\n-----END RSA PUBLIC KEY-----\n",
        // The same key bytes with the X25519 OID (1.3.101.110) instead of Ed25519.
        "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VuAyEAA6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg=\n"
            + "-----END PUBLIC KEY-----\n",
        // One byte short.
        "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAA6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMQ==\n"
            + "-----END PUBLIC KEY-----\n",
        "-----BEGIN PUBLIC KEY-----\n" + PUBLIC_BASE64 + "\n-----END PUBLIC KEY-----\ntrailing"
      })
  void textThatIsNotAnEd25519PublicKeyPemIsRefused(String text) {
    assertThrows(InvalidKeyException.class, () -> AgentKey.fromPem(text));
  }

  @Test
  void aPrivateKeyPemIsNotAcceptedAsAPublicKey() {
    InvalidKeyException e =
        assertThrows(InvalidKeyException.class, () -> AgentKey.fromPem(PRIVATE_PEM));
    assertFalse(e.getMessage().contains(NodeVectors.PRIVATE_BASE64), "message leaks the key");
  }

  @ParameterizedTest
  @ValueSource(strings = {"RSA", "EC"})
  void publicKeysOfOtherAlgorithmsAreRefused(String algorithm) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
    generator.initialize(algorithm.equals("RSA") ? 1024 : 256);
    String pem =
        "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder(64, new byte[] {'\n'})
                .encodeToString(generator.generateKeyPair().getPublic().getEncoded())
            + "\n-----END PUBLIC KEY-----\n";
    assertThrows(InvalidKeyException.class, () -> AgentKey.fromPem(pem));
  }

  @Test
  void mangledPemTextOnlyEverFailsWithInvalidKeyException() {
    assertOnlyInvalidKeyException(PUBLIC_PEM, AgentKey::fromPem);
    assertOnlyInvalidKeyException(PRIVATE_PEM, AgentKey::fromPem);
  }

  /** Fixed-seed random edits of valid PEM text; each must parse or fail the documented way. */
  static void assertOnlyInvalidKeyException(String pem, Consumer<String> parse) {
    Random random = new Random(42);
    String alphabet = "AB+/=-_\r\n \u0000é-----BEGIN END KEY";
    for (int i = 0; i < 5000; i++) {
      StringBuilder text = new StringBuilder(pem);
      for (int edits = 1 + random.nextInt(3); edits > 0; edits--) {
        int at = random.nextInt(text.length());
        switch (random.nextInt(3)) {
          case 0 -> text.deleteCharAt(at);
          case 1 -> text.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
          default -> text.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
        }
      }
      try {
        parse.accept(text.toString());
      } catch (InvalidKeyException expected) {
        // the documented failure
      }
    }
  }

  @Test
  void hugeInputIsRefusedWithoutParsing() {
    String huge =
        "-----BEGIN PUBLIC KEY-----\n" + "A".repeat(1_000_000) + "\n-----END PUBLIC KEY-----";
    assertThrows(InvalidKeyException.class, () -> AgentKey.fromPem(huge));
  }

  @Test
  void rawKeysOfTheWrongLengthAreRefused() {
    assertThrows(InvalidKeyException.class, () -> AgentKey.fromRaw(null));
    assertThrows(InvalidKeyException.class, () -> AgentKey.fromRaw(new byte[31]));
    assertThrows(InvalidKeyException.class, () -> AgentKey.fromRaw(new byte[33]));
  }

  @Test
  void aSmallOrderPointIsRefusedBecauseItWouldAcceptForgeries() {
    // The neutral element (y = 1): with it as the key, S·B = R verifies for every message.
    byte[] neutral = new byte[32];
    neutral[0] = 1;
    assertThrows(InvalidKeyException.class, () -> AgentKey.fromRaw(neutral));
  }

  @Test
  void signaturesMadeByNodeVerify() {
    assertTrue(NODE_KEY.verify(LOGIN, LOGIN_SIGNATURE));
    assertTrue(NODE_KEY.verify(PROPOSAL, PROPOSAL_SIGNATURE));
    assertTrue(NODE_KEY.verify(SKILLS, SKILLS_SIGNATURE));
  }

  @Test
  void aSignatureDoesNotVerifyAnotherMessage() {
    assertFalse(NODE_KEY.verify(PROPOSAL, LOGIN_SIGNATURE));
    assertFalse(NODE_KEY.verify(LOGIN + " ", LOGIN_SIGNATURE));
  }

  @Test
  void aSignatureWithOneFlippedBitFails() {
    byte[] message = LOGIN.getBytes(StandardCharsets.UTF_8);
    byte[] signature = Base64.getDecoder().decode(LOGIN_SIGNATURE);
    for (int bit = 0; bit < 512; bit += 37) {
      byte[] flipped = signature.clone();
      flipped[bit / 8] ^= (byte) (1 << (bit % 8));
      assertFalse(NODE_KEY.verify(message, flipped), "bit " + bit);
      assertFalse(NODE_KEY.verify(LOGIN, Base64.getEncoder().encodeToString(flipped)));
    }
  }

  @Test
  void urlSafeAndUnpaddedSignatureTextVerifies() {
    String urlSafe = LOGIN_SIGNATURE.replace('+', '-').replace('/', '_');
    assertNotEquals(LOGIN_SIGNATURE, urlSafe);
    assertTrue(NODE_KEY.verify(LOGIN, urlSafe));
    assertTrue(NODE_KEY.verify(LOGIN, urlSafe.replace("=", "")));
    assertTrue(NODE_KEY.verify(LOGIN, LOGIN_SIGNATURE.replace("=", "")));
    assertTrue(NODE_KEY.verify(LOGIN, LOGIN_SIGNATURE.substring(0, 87)));
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(
      strings = {
        "abc",
        "not base64 at all, but long enough to be mistaken for a signature by a sloppy check!!!",
        "g/QzQoKk9z5zP+LtnbfkyopMJvDXIXVrspnjOoyh602pFOlqGRRSS/qzmzrexUbGdfclXJOVbVS75WeyVeToAg===",
        "g/QzQoKk9z5zP+LtnbfkyopMJvDXIXVrspnjOoyh602pFOlqGRRSS/qzmzrexUbGdfclXJOVbVS75WeyVeTo",
        "g/QzQoKk9z5zP+LtnbfkyopMJvDXIXVrspnjOoyh602pFOlqGRRSS/qzmzrexUbGdfclXJOVbVS75WeyVeToAgAA",
        "g/QzQoKk9z5zP+LtnbfkyopMJvDXIXVrspnjOoyh602pFOlqGRRSS/qzmzrexUbGdfclXJOVbVS75WeyV!ToAg=="
      })
  void garbageSignatureTextIsFalseNotAnException(String signature) {
    assertFalse(NODE_KEY.verify(LOGIN, signature));
  }

  @Test
  void nullOrWrongLengthInputsToByteVerifyAreFalse() {
    byte[] message = LOGIN.getBytes(StandardCharsets.UTF_8);
    byte[] signature = Base64.getDecoder().decode(LOGIN_SIGNATURE);
    assertFalse(NODE_KEY.verify(null, signature));
    assertFalse(NODE_KEY.verify(message, null));
    assertFalse(NODE_KEY.verify(message, new byte[63]));
    assertFalse(NODE_KEY.verify(message, Arrays.copyOf(signature, 65)));
    assertFalse(NODE_KEY.verify((String) null, LOGIN_SIGNATURE));
  }

  @Test
  void rawReturnsACopy() {
    byte[] raw = NODE_KEY.raw();
    raw[0] ^= 1;
    assertNotEquals(HexFormat.of().formatHex(raw), HexFormat.of().formatHex(NODE_KEY.raw()));
  }

  @Test
  void keysAreEqualByBytesAndPrintOnlyTheirId() {
    AgentKey other = AgentKeyPair.generate().publicKey();
    assertEquals(NODE_KEY, AgentKey.fromPem(PUBLIC_PEM.replace("\n", "\r\n")));
    assertEquals(NODE_KEY.hashCode(), AgentKey.fromPem(PUBLIC_PEM).hashCode());
    assertNotEquals(NODE_KEY, other);
    assertEquals("AgentKey[" + AGENT_ID + "]", NODE_KEY.toString());
  }
}
