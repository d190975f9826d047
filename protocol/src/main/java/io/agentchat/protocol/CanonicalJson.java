package io.agentchat.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The canonical JSON text of a parsed value: byte for byte what JavaScript's {@code JSON.stringify}
 * prints for the value {@code JSON.parse} produced (protocol facts §2.2). It is hashed or signed
 * for skills registration, Agentcourt evidence, optional MSG signatures and key rotation/revocation
 * records.
 *
 * <p>Parse input with a plain Jackson {@code ObjectMapper} ({@code new ObjectMapper().readTree}):
 * its default duplicate-key handling keeps the last value at the first key's position, which is
 * what {@code JSON.parse} does, so {@code {"a":1,"b":2,"a":3}} canonicalizes to {@code
 * {"a":3,"b":2}}. Do not enable {@code USE_BIG_DECIMAL_FOR_FLOATS}-style precision: every number is
 * rendered through its double value, as JavaScript holds it.
 *
 * <p>Stateless and thread-safe.
 */
public final class CanonicalJson {

  /** Largest array index JavaScript orders numerically among an object's keys (2^32 − 2). */
  private static final long MAX_ARRAY_INDEX = 4_294_967_294L;

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private CanonicalJson() {}

  /**
   * Renders a parsed JSON value as {@code JSON.stringify} would: no whitespace; object members in
   * insertion order except that keys which are canonical array indexes ({@code "0"} … {@code
   * "4294967294"}) come first in ascending numeric order; numbers as {@link
   * JavaScriptText#number(double)} (non-finite ones as {@code null}); strings with JavaScript's
   * escapes, lone surrogates included.
   *
   * <p>A {@code MissingNode} plays JavaScript's {@code undefined}: dropped from objects and written
   * as {@code null} in arrays.
   *
   * @param v the parsed value; Java {@code null} renders as {@code null}
   * @return the canonical text
   * @throws IllegalArgumentException if {@code v} itself is a {@code MissingNode} (JavaScript
   *     returns {@code undefined}, not text) or a node no JSON parser produces
   */
  public static String stringify(JsonNode v) {
    if (v != null && v.isMissingNode()) {
      throw new IllegalArgumentException("undefined has no JSON text");
    }
    StringBuilder out = new StringBuilder();
    write(v, out);
    return out.toString();
  }

  /**
   * Lowercase hex SHA-256 of the UTF-8 bytes of {@code text}, the digest form used inside signing
   * strings such as {@code REGISTER_SKILLS|{hex}}.
   *
   * @param text any text; lone surrogates are encoded as U+FFFD, as Node's UTF-8 encoder does
   * @return 64 lowercase hex characters
   */
  public static String sha256Hex(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(utf8(text));
      StringBuilder hex = new StringBuilder(64);
      for (byte b : digest) {
        hex.append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
      }
      return hex.toString();
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform is required to provide SHA-256.
      throw new IllegalStateException(e);
    }
  }

  /**
   * UTF-8 bytes with each lone surrogate replaced by U+FFFD, matching Node's {@code
   * Buffer.from(text)}; Java's own encoder would write {@code ?} instead and change the digest.
   */
  private static byte[] utf8(String text) {
    StringBuilder wellFormed = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); ) {
      // codePointAt returns an unpaired surrogate as itself.
      int cp = text.codePointAt(i);
      boolean lone = cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE;
      wellFormed.appendCodePoint(lone ? 0xFFFD : cp);
      i += Character.charCount(cp);
    }
    return wellFormed.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void write(JsonNode v, StringBuilder out) {
    if (v == null || v.isNull() || v.isMissingNode()) {
      out.append("null");
    } else if (v.isBoolean()) {
      out.append(v.booleanValue() ? "true" : "false");
    } else if (v.isNumber()) {
      double d = v.doubleValue();
      out.append(Double.isFinite(d) ? JavaScriptText.number(d) : "null");
    } else if (v.isTextual()) {
      writeString(v.textValue(), out);
    } else if (v.isArray()) {
      out.append('[');
      for (int i = 0; i < v.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        write(v.get(i), out);
      }
      out.append(']');
    } else if (v.isObject()) {
      writeObject(v, out);
    } else {
      throw new IllegalArgumentException("not a JSON value: " + v.getNodeType());
    }
  }

  private static void writeObject(JsonNode object, StringBuilder out) {
    List<Map.Entry<String, JsonNode>> indexed = new ArrayList<>();
    List<Map.Entry<String, JsonNode>> named = new ArrayList<>();
    for (Map.Entry<String, JsonNode> member : object.properties()) {
      (arrayIndex(member.getKey()) >= 0 ? indexed : named).add(member);
    }
    // JavaScript enumerates own keys that are array indexes first, ascending, then the rest in
    // creation order (ECMAScript OrdinaryOwnPropertyKeys).
    indexed.sort((a, b) -> Long.compare(arrayIndex(a.getKey()), arrayIndex(b.getKey())));
    out.append('{');
    boolean first = true;
    for (List<Map.Entry<String, JsonNode>> group : List.of(indexed, named)) {
      for (Map.Entry<String, JsonNode> member : group) {
        if (member.getValue() != null && member.getValue().isMissingNode()) {
          continue;
        }
        if (!first) {
          out.append(',');
        }
        first = false;
        writeString(member.getKey(), out);
        out.append(':');
        write(member.getValue(), out);
      }
    }
    out.append('}');
  }

  /** The numeric value of a canonical array-index key, or −1 when the key is any other text. */
  private static long arrayIndex(String key) {
    int length = key.length();
    if (length == 0 || length > 10 || (length > 1 && key.charAt(0) == '0')) {
      return -1;
    }
    long value = 0;
    for (int i = 0; i < length; i++) {
      char c = key.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value <= MAX_ARRAY_INDEX ? value : -1;
  }

  /** JSON.stringify's QuoteJSONString, including the ES2019 escaping of lone surrogates. */
  private static void writeString(String s, StringBuilder out) {
    out.append('"');
    int length = s.length();
    for (int i = 0; i < length; i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            appendUnicodeEscape(c, out);
          } else if (Character.isHighSurrogate(c)
              && i + 1 < length
              && Character.isLowSurrogate(s.charAt(i + 1))) {
            out.append(c).append(s.charAt(++i));
          } else if (Character.isSurrogate(c)) {
            appendUnicodeEscape(c, out);
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private static void appendUnicodeEscape(char c, StringBuilder out) {
    out.append("\\u")
        .append(HEX[(c >> 12) & 0xf])
        .append(HEX[(c >> 8) & 0xf])
        .append(HEX[(c >> 4) & 0xf])
        .append(HEX[c & 0xf]);
  }
}
