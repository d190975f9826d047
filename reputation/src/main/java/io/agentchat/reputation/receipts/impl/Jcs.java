package io.agentchat.reputation.receipts.impl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Set;
import org.erdtman.jcs.NumberToJSON;

/**
 * RFC 8785 (JSON Canonicalization Scheme) bytes of a JSON tree: members sorted by UTF-16 code
 * units, numbers as ECMAScript renders them (the RFC author's own number serializer), strings with
 * JSON.stringify's escapes, no whitespace. Stateless and thread-safe.
 *
 * <p>It writes the tree directly. It used to serialize the tree with Jackson and hand the text to
 * the RFC author's canonicalizer, which parsed it again into maps; sealing a receipt does this
 * twice, and that took about as long as signing it. The rules are the canonicalizer's: a number is
 * the double its JSON text denotes, and a value without a canonical form (a non-finite number, a
 * string with a lone surrogate) is refused.
 */
public final class Jcs {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Jcs() {}

  /**
   * The canonical UTF-8 bytes of {@code value}.
   *
   * @throws IllegalArgumentException if the value has no canonical form (a non-finite number, a
   *     string with a lone surrogate)
   */
  public static byte[] canonicalUtf8(JsonNode value) {
    return canonicalUtf8Without(value, Set.of());
  }

  /**
   * The canonical UTF-8 bytes of {@code object} without the members named in {@code leftOut}. The
   * object itself is not changed.
   */
  public static byte[] canonicalUtf8Without(ObjectNode object, Set<String> leftOut) {
    return canonicalUtf8Without((JsonNode) object, leftOut);
  }

  private static byte[] canonicalUtf8Without(JsonNode value, Set<String> leftOut) {
    StringBuilder out = new StringBuilder(2048);
    try {
      if (value.isObject()) {
        object(value, leftOut, out);
      } else {
        value(value, out);
      }
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("has no RFC 8785 canonical form: " + reason(e), e);
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Lowercase hex SHA-256 of {@code bytes}. */
  public static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform is required to provide SHA-256.
      throw new IllegalStateException(e);
    }
  }

  private static void value(JsonNode v, StringBuilder out) throws IOException {
    switch (v.getNodeType()) {
      case OBJECT -> object(v, Set.of(), out);
      case ARRAY -> {
        out.append('[');
        for (int i = 0; i < v.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          value(v.get(i), out);
        }
        out.append(']');
      }
      case STRING -> string(v.textValue(), out);
      case NUMBER -> out.append(NumberToJSON.serializeNumber(number(v)));
      case BOOLEAN -> out.append(v.booleanValue());
      case NULL -> out.append("null");
      default -> throw new IllegalArgumentException("not JSON: a " + v.getNodeType() + " node");
    }
  }

  private static void object(JsonNode o, Set<String> leftOut, StringBuilder out)
      throws IOException {
    String[] names = new String[o.size()];
    int n = 0;
    for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!leftOut.contains(name)) {
        names[n++] = name;
      }
    }
    // String order is UTF-16 code unit order, which is RFC 8785's.
    Arrays.sort(names, 0, n);
    out.append('{');
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        out.append(',');
      }
      string(names[i], out);
      out.append(':');
      value(o.get(names[i]), out);
    }
    out.append('}');
  }

  /**
   * The double the node's JSON text denotes, as a parser of that text reads it: exact for integers
   * and doubles; a float, a big integer or a decimal is read back from its text.
   */
  private static double number(JsonNode v) {
    if (v.isIntegralNumber() && v.canConvertToLong()) {
      return v.longValue();
    }
    if (v.isDouble()) {
      return v.doubleValue();
    }
    return Double.parseDouble(v.asText());
  }

  private static void string(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '"', '\\' -> out.append('\\').append(c);
        default -> {
          if (c < 0x20) {
            out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
          } else if (Character.isHighSurrogate(c)
              && i + 1 < s.length()
              && Character.isLowSurrogate(s.charAt(i + 1))) {
            out.append(c).append(s.charAt(++i));
          } else if (Character.isSurrogate(c)) {
            throw new IllegalArgumentException("a string holds a lone surrogate");
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private static String reason(Exception e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
