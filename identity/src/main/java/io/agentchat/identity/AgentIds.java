package io.agentchat.identity;

import java.security.SecureRandom;
import java.util.Objects;
import java.util.regex.Pattern;

/** Agent ids: derivation from keys, ephemeral ids and the {@code @}-prefixed wire form. */
public final class AgentIds {
  private static final String EPHEMERAL_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
  private static final int EPHEMERAL_LENGTH = 8;
  private static final Pattern PERSISTENT = Pattern.compile("[0-9a-f]{16}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private AgentIds() {}

  /**
   * The bare persistent id of a public key PEM; same as {@code AgentKey.fromPem(pem).agentId()}.
   *
   * @throws InvalidKeyException if the text is not an Ed25519 public key PEM
   */
  public static String fromPublicKeyPem(String pem) {
    return AgentKey.fromPem(pem).agentId();
  }

  /**
   * A fresh bare ephemeral id: 8 characters from {@code [a-z0-9]}. Drawn from {@link SecureRandom}
   * (the reference uses a weak RNG); the caller still checks it is not in use.
   */
  public static String ephemeral() {
    char[] id = new char[EPHEMERAL_LENGTH];
    for (int i = 0; i < id.length; i++) {
      id[i] = EPHEMERAL_ALPHABET.charAt(RANDOM.nextInt(EPHEMERAL_ALPHABET.length()));
    }
    return new String(id);
  }

  /** The wire form of a bare id: {@code "@" + bareId}. */
  public static String wire(String bareId) {
    return "@" + Objects.requireNonNull(bareId, "bareId");
  }

  /** The bare form of an id: strips one leading {@code @} if present. */
  public static String bare(String wireOrBareId) {
    Objects.requireNonNull(wireOrBareId, "wireOrBareId");
    return wireOrBareId.startsWith("@") ? wireOrBareId.substring(1) : wireOrBareId;
  }

  /** Whether a bare id has the persistent form: 16 lowercase hex characters. Null gives false. */
  public static boolean isValidPersistentId(String bare) {
    return bare != null && PERSISTENT.matcher(bare).matches();
  }
}
