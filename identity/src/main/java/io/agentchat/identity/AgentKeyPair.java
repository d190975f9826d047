package io.agentchat.identity;

import io.agentchat.identity.impl.Ed25519Der;
import io.agentchat.identity.impl.PemText;
import io.agentchat.identity.impl.SignatureText;
import io.agentchat.identity.impl.SignedText;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An Ed25519 key pair able to sign. Immutable and thread-safe. {@link #toString()} never reveals
 * the private key.
 */
public final class AgentKeyPair {
  private static final String LABEL = "PRIVATE KEY";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] seed;
  private final byte[] publicRaw;
  private final AgentKey publicKey;

  private AgentKeyPair(byte[] seed) {
    this.seed = seed;
    this.publicRaw = new byte[Ed25519.PUBLIC_KEY_SIZE];
    Ed25519.generatePublicKey(seed, 0, publicRaw, 0);
    this.publicKey = AgentKey.fromRaw(publicRaw);
  }

  /**
   * Generates a new key pair from {@link SecureRandom}. Reading entropy may block briefly, so a
   * server calls this off the event loop.
   */
  public static AgentKeyPair generate() {
    byte[] seed = new byte[Ed25519.SECRET_KEY_SIZE];
    RANDOM.nextBytes(seed);
    return new AgentKeyPair(seed);
  }

  /**
   * Derives the key pair from a 32-byte RFC 8032 private key (the seed).
   *
   * @throws InvalidKeyException if the seed is not 32 bytes
   */
  public static AgentKeyPair fromSeed(byte[] seed32) {
    if (seed32 == null || seed32.length != Ed25519.SECRET_KEY_SIZE) {
      throw new InvalidKeyException("an Ed25519 private key seed is exactly 32 bytes");
    }
    return new AgentKeyPair(seed32.clone());
  }

  /**
   * Parses a PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}) holding an Ed25519 key: v1 as Node
   * writes it, or v2 carrying the public key too, which must then match the seed.
   *
   * @throws InvalidKeyException for anything else; no other exception escapes
   */
  public static AgentKeyPair fromPrivatePem(String pkcs8Pem) {
    Ed25519Der.PrivateKeyDer der = Ed25519Der.readPkcs8(PemText.decode(pkcs8Pem, LABEL));
    AgentKeyPair keys = new AgentKeyPair(der.seed());
    if (der.embeddedPublicKey() != null
        && !Arrays.equals(der.embeddedPublicKey(), keys.publicRaw)) {
      throw new InvalidKeyException("private key carries a public key that does not belong to it");
    }
    return keys;
  }

  /** The public half. */
  public AgentKey publicKey() {
    return publicKey;
  }

  /**
   * The private key as PKCS#8 <b>v1</b> PEM: one 64-character base64 line, LF endings, trailing LF.
   * Node 20 refuses the v2 form, so v1 is the only one written.
   */
  public String privatePem() {
    return PemText.encode(LABEL, Ed25519Der.pkcs8(seed));
  }

  /** Signs the UTF-8 bytes of {@code signingString}; returns standard padded base64 (88 chars). */
  public String sign(String signingString) {
    return SignatureText.encode(sign(SignedText.utf8(signingString)));
  }

  /** Signs {@code message} with Ed25519 (RFC 8032, pure); returns the 64-byte signature. */
  public byte[] sign(byte[] message) {
    byte[] signature = new byte[Ed25519.SIGNATURE_SIZE];
    // Passing the cached public key spares a scalar multiplication on every signature.
    Ed25519.sign(seed, 0, publicRaw, 0, message, 0, message.length, signature, 0);
    return signature;
  }

  /** Shows the agent id only, never key material. */
  @Override
  public String toString() {
    return "AgentKeyPair[" + publicKey.agentId() + "]";
  }
}
