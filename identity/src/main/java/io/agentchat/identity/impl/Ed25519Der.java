package io.agentchat.identity.impl;

import io.agentchat.identity.InvalidKeyException;
import java.io.IOException;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.asn1.ASN1BitString;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;

/** The DER structures (RFC 8410) that wrap Ed25519 keys in PEM. */
public final class Ed25519Der {
  /** Bytes in a raw public key or private seed. */
  public static final int KEY_BYTES = 32;

  /** SEQUENCE { SEQUENCE { OID 1.3.101.112 }, BIT STRING (33 bytes, 0 unused bits) }. */
  private static final byte[] SPKI_PREFIX = hex("302a300506032b6570032100");

  /**
   * PKCS#8 v1: SEQUENCE { INTEGER 0, SEQUENCE { OID 1.3.101.112 }, OCTET STRING { OCTET STRING (32)
   * } }. Node 20 refuses the v2 form, so this is the only one written.
   */
  private static final byte[] PKCS8_V1_PREFIX = hex("302e020100300506032b657004220420");

  /** id-Ed25519 (RFC 8410); BouncyCastle's own constant sits in an internal package. */
  private static final ASN1ObjectIdentifier ED25519 = new ASN1ObjectIdentifier("1.3.101.112");

  private Ed25519Der() {}

  /** A private key read from PKCS#8: its seed and, for v2 input, the public key it carried. */
  public record PrivateKeyDer(byte[] seed, byte[] embeddedPublicKey) {}

  /** Wraps a raw public key as SubjectPublicKeyInfo DER (44 bytes). */
  public static byte[] spki(byte[] publicKey) {
    return concat(SPKI_PREFIX, publicKey);
  }

  /**
   * Returns the raw public key inside Ed25519 SubjectPublicKeyInfo DER. RFC 8410 allows exactly one
   * encoding, so anything but the fixed prefix plus 32 bytes is another algorithm or malformed.
   *
   * @throws InvalidKeyException if the DER is not an Ed25519 public key
   */
  public static byte[] publicKeyFromSpki(byte[] der) {
    if (der.length != SPKI_PREFIX.length + KEY_BYTES
        || !Arrays.equals(der, 0, SPKI_PREFIX.length, SPKI_PREFIX, 0, SPKI_PREFIX.length)) {
      throw new InvalidKeyException("not an Ed25519 public key (only Ed25519 SPKI is accepted)");
    }
    return Arrays.copyOfRange(der, SPKI_PREFIX.length, der.length);
  }

  /** Wraps a seed as PKCS#8 v1 DER (48 bytes). */
  public static byte[] pkcs8(byte[] seed) {
    return concat(PKCS8_V1_PREFIX, seed);
  }

  /**
   * Reads an Ed25519 seed from PKCS#8 DER, v1 or v2 (RFC 5958 OneAsymmetricKey, which may also
   * carry the public key).
   *
   * @throws InvalidKeyException if the DER is not an Ed25519 private key
   */
  public static PrivateKeyDer readPkcs8(byte[] der) {
    if (der.length == PKCS8_V1_PREFIX.length + KEY_BYTES
        && Arrays.equals(
            der, 0, PKCS8_V1_PREFIX.length, PKCS8_V1_PREFIX, 0, PKCS8_V1_PREFIX.length)) {
      return new PrivateKeyDer(Arrays.copyOfRange(der, PKCS8_V1_PREFIX.length, der.length), null);
    }
    try {
      PrivateKeyInfo info = PrivateKeyInfo.getInstance(ASN1Primitive.fromByteArray(der));
      AlgorithmIdentifier algorithm = info.getPrivateKeyAlgorithm();
      if (!ED25519.equals(algorithm.getAlgorithm()) || algorithm.getParameters() != null) {
        throw new InvalidKeyException("not an Ed25519 private key");
      }
      byte[] seed = ASN1OctetString.getInstance(info.parsePrivateKey()).getOctets();
      if (seed.length != KEY_BYTES) {
        throw new InvalidKeyException("Ed25519 private key does not hold a 32-byte seed");
      }
      ASN1BitString publicKey = info.getPublicKeyData();
      return new PrivateKeyDer(seed, publicKey == null ? null : publicKey.getOctets());
    } catch (IOException | RuntimeException e) {
      if (e instanceof InvalidKeyException invalid) {
        throw invalid;
      }
      // BouncyCastle reports malformed ASN.1 through several exception types; callers see one.
      throw new InvalidKeyException("not a PKCS#8 private key", e);
    }
  }

  private static byte[] concat(byte[] prefix, byte[] key) {
    byte[] der = Arrays.copyOf(prefix, prefix.length + key.length);
    System.arraycopy(key, 0, der, prefix.length, key.length);
    return der;
  }

  private static byte[] hex(String hex) {
    return HexFormat.of().parseHex(hex);
  }
}
