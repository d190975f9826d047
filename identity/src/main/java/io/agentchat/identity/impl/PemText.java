package io.agentchat.identity.impl;

import io.agentchat.identity.InvalidKeyException;
import java.util.Base64;
import java.util.regex.Pattern;

/** PEM armor (RFC 7468): one labelled block of base64 DER. */
public final class PemText {
  /**
   * Far above any Ed25519 PEM even with generous whitespace; bounds the work done on hostile text
   * arriving in an IDENTIFY frame.
   */
  private static final int MAX_CHARS = 4096;

  private static final Pattern PLAIN_LABEL = Pattern.compile("[A-Z0-9 ]{1,40}");

  private PemText() {}

  /**
   * Returns the DER bytes inside a single PEM block with the given label. Tolerates surrounding
   * whitespace, any line endings and base64 split over lines; anything else is refused.
   *
   * @throws InvalidKeyException if the text is not such a block
   */
  public static byte[] decode(String text, String label) {
    if (text == null) {
      throw new InvalidKeyException("no key text given");
    }
    if (text.length() > MAX_CHARS) {
      throw new InvalidKeyException("key text is too long to be an Ed25519 PEM");
    }
    String s = text.strip();
    String begin = "-----BEGIN ";
    if (!s.startsWith(begin)) {
      throw new InvalidKeyException("not a PEM key (no -----BEGIN line)");
    }
    int labelEnd = s.indexOf("-----", begin.length());
    String found = labelEnd < 0 ? "" : s.substring(begin.length(), labelEnd);
    // Only a plain label is quoted back, so odd input never ends up verbatim in a log line.
    if (!PLAIN_LABEL.matcher(found).matches()) {
      throw new InvalidKeyException("not a PEM key (malformed -----BEGIN line)");
    }
    if (!found.equals(label)) {
      throw new InvalidKeyException("expected a " + label + " PEM but got a " + found + " PEM");
    }
    String header = begin + label + "-----";
    String footer = "-----END " + label + "-----";
    if (!s.endsWith(footer) || s.length() < header.length() + footer.length()) {
      throw new InvalidKeyException("PEM key has no matching " + footer + " line");
    }
    String body = s.substring(header.length(), s.length() - footer.length());
    StringBuilder base64 = new StringBuilder(body.length());
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
        base64.append(c);
      }
    }
    try {
      return Base64.getDecoder().decode(base64.toString());
    } catch (IllegalArgumentException e) {
      throw new InvalidKeyException("PEM key body is not valid base64");
    }
  }

  /**
   * Renders DER as Node's crypto module does: 64-character base64 lines, LF endings and a trailing
   * LF. Agent ids hash this exact text, so it must not vary.
   */
  public static String encode(String label, byte[] der) {
    String base64 = Base64.getEncoder().encodeToString(der);
    StringBuilder pem = new StringBuilder(base64.length() + 64);
    pem.append("-----BEGIN ").append(label).append("-----\n");
    for (int i = 0; i < base64.length(); i += 64) {
      pem.append(base64, i, Math.min(i + 64, base64.length())).append('\n');
    }
    return pem.append("-----END ").append(label).append("-----\n").toString();
  }
}
