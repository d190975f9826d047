package io.agentchat.relay.impl;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Server-issued identifiers in the reference's formats, from a cryptographic RNG. */
final class Ids {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();

  private Ids() {}

  static String hex(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** {@code chal_{ms base36}_{8 hex}}. */
  static String challengeId(long now) {
    return "chal_" + Long.toString(now, 36) + "_" + hex(4);
  }

  /** {@code verify_{ms base36}_{8 hex}}. */
  static String verifyRequestId(long now) {
    return "verify_" + Long.toString(now, 36) + "_" + hex(4);
  }

  /** {@code {ms}-{6 base36}}. */
  static String msgId(long now) {
    char[] s = new char[6];
    for (int i = 0; i < s.length; i++) {
      s[i] = BASE36[RANDOM.nextInt(36)];
    }
    return now + "-" + new String(s);
  }
}
