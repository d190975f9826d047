package io.agentchat.identity;

import io.agentchat.identity.impl.Ed25519Der;
import io.agentchat.identity.impl.PemText;
import io.agentchat.identity.impl.SignatureText;
import io.agentchat.identity.impl.SignedText;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An agent's Ed25519 public key. Immutable and thread-safe; the decoded curve point, the canonical
 * PEM and the agent id are computed once, so verifying many signatures with one key is cheap.
 */
public final class AgentKey {
  private static final String LABEL = "PUBLIC KEY";
  private static final int ID_HEX_CHARS = 16;

  private final byte[] raw;
  private final Ed25519.PublicPoint point;
  private final String pem;
  private final String agentId;

  private AgentKey(byte[] raw, Ed25519.PublicPoint point) {
    this.raw = raw;
    this.point = point;
    this.pem = PemText.encode(LABEL, Ed25519Der.spki(raw));
    this.agentId = idOf(pem);
  }

  /**
   * Parses an Ed25519 SubjectPublicKeyInfo PEM ({@code -----BEGIN PUBLIC KEY-----}). Any line
   * endings, a missing trailing newline, surrounding whitespace and base64 split over lines are
   * accepted.
   *
   * @throws InvalidKeyException for anything else (other algorithms, private keys, garbage, null);
   *     no other exception escapes
   */
  public static AgentKey fromPem(String pem) {
    return fromRaw(Ed25519Der.publicKeyFromSpki(PemText.decode(pem, LABEL)));
  }

  /**
   * Wraps a raw 32-byte public key. Keys that are not a point of the prime-order subgroup are
   * refused: a small-order key would accept forged signatures for anyone who claims it.
   *
   * @throws InvalidKeyException if the bytes are not a valid Ed25519 public key
   */
  public static AgentKey fromRaw(byte[] raw32) {
    if (raw32 == null || raw32.length != Ed25519Der.KEY_BYTES) {
      throw new InvalidKeyException("an Ed25519 public key is exactly 32 bytes");
    }
    byte[] raw = raw32.clone();
    Ed25519.PublicPoint point = Ed25519.validatePublicKeyFullExport(raw, 0);
    if (point == null) {
      throw new InvalidKeyException("not a valid Ed25519 public key (bad or small-order point)");
    }
    return new AgentKey(raw, point);
  }

  /** A copy of the 32 raw key bytes. */
  public byte[] raw() {
    return raw.clone();
  }

  /**
   * The canonical PEM, rendered from the key bytes exactly as Node's crypto exports it: BEGIN line,
   * one base64 line of the 44-byte SPKI DER, END line, LF endings and a trailing LF.
   */
  public String pem() {
    return pem;
  }

  /**
   * The bare agent id: the first 16 lowercase hex characters of SHA-256 over the UTF-8 bytes of
   * {@link #pem()}. Because the canonical PEM is hashed, the id does not change with how the key
   * text was laid out (the reference hashes the text as sent, so a client that re-wraps its PEM
   * gets a different id there).
   */
  public String agentId() {
    return agentId;
  }

  /**
   * Verifies an Ed25519 (RFC 8032, pure) signature over the UTF-8 bytes of {@code signingString}.
   * The signature text is decoded leniently, like the reference: standard or URL-safe base64,
   * padding optional.
   *
   * @return false for a wrong signature and for null, malformed or wrong-length input; never throws
   */
  public boolean verify(String signingString, String signatureBase64) {
    if (signingString == null) {
      return false;
    }
    byte[] signature = SignatureText.decode(signatureBase64);
    return signature != null && verify(SignedText.utf8(signingString), signature);
  }

  /**
   * Verifies an Ed25519 (RFC 8032, pure) signature over {@code message}.
   *
   * @return false for a wrong signature and for null or wrong-length input; never throws
   */
  public boolean verify(byte[] message, byte[] signature) {
    if (message == null || signature == null || signature.length != Ed25519.SIGNATURE_SIZE) {
      return false;
    }
    return Ed25519.verify(signature, 0, point, message, 0, message.length);
  }

  /** Keys are equal when their raw bytes are. */
  @Override
  public boolean equals(Object other) {
    return other instanceof AgentKey key && Arrays.equals(raw, key.raw);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(raw);
  }

  /** Shows the agent id only. */
  @Override
  public String toString() {
    return "AgentKey[" + agentId + "]";
  }

  private static String idOf(String pem) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(pem.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, ID_HEX_CHARS);
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform is required to provide SHA-256.
      throw new IllegalStateException(e);
    }
  }
}
