package io.agentchat.identity.impl;

import java.util.Base64;

/** The base64 text form of a 64-byte Ed25519 signature. */
public final class SignatureText {
  private static final int SIGNATURE_BYTES = 64;

  /** 64 bytes take 86 base64 characters before padding. */
  private static final int UNPADDED_CHARS = 86;

  private SignatureText() {}

  /** Standard base64 with padding (88 characters), as the reference sends. */
  public static String encode(byte[] signature) {
    return Base64.getEncoder().encodeToString(signature);
  }

  /**
   * Decodes signature text the way the reference verifier accepts it: standard or URL-safe
   * alphabet, padding optional. Returns null for anything that is not exactly 64 bytes of base64,
   * so callers can treat it as a failed verification.
   */
  public static byte[] decode(String text) {
    if (text == null) {
      return null;
    }
    int end = text.length();
    for (int pads = 0; pads < 2 && end > 0 && text.charAt(end - 1) == '='; pads++) {
      end--;
    }
    if (end != UNPADDED_CHARS) {
      return null;
    }
    char[] chars = new char[end];
    for (int i = 0; i < end; i++) {
      char c = text.charAt(i);
      chars[i] = c == '-' ? '+' : c == '_' ? '/' : c;
    }
    try {
      byte[] signature = Base64.getDecoder().decode(new String(chars));
      return signature.length == SIGNATURE_BYTES ? signature : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
