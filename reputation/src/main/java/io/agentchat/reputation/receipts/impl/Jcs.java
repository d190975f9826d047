package io.agentchat.reputation.receipts.impl;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import org.erdtman.jcs.JsonCanonicalizer;

/**
 * RFC 8785 (JSON Canonicalization Scheme) bytes of a JSON tree, through the RFC author's own
 * implementation: members sorted by UTF-16 code units, numbers as ECMAScript renders them, strings
 * with JSON.stringify's escapes, no whitespace. Stateless and thread-safe.
 */
public final class Jcs {
  /**
   * Writes non-finite numbers as bare {@code NaN}/{@code Infinity}, which the canonicalizer
   * refuses: Jackson would otherwise quote them and hash a string where JavaScript sees {@code
   * null}.
   */
  private static final JsonMapper WRITER =
      JsonMapper.builder().disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS).build();

  private Jcs() {}

  /**
   * The canonical UTF-8 bytes of {@code value}.
   *
   * @throws IllegalArgumentException if the value has no canonical form (a non-finite number, a
   *     string with a lone surrogate)
   */
  public static byte[] canonicalUtf8(JsonNode value) {
    try {
      return new JsonCanonicalizer(WRITER.writeValueAsBytes(value)).getEncodedUTF8();
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("has no RFC 8785 canonical form: " + reason(e), e);
    }
  }

  /**
   * The canonical UTF-8 bytes of {@code object} without the members named in {@code leftOut}. The
   * object itself is not changed.
   */
  public static byte[] canonicalUtf8Without(ObjectNode object, Set<String> leftOut) {
    ObjectNode rest = JsonNodeFactory.instance.objectNode();
    for (Map.Entry<String, JsonNode> member : object.properties()) {
      if (!leftOut.contains(member.getKey())) {
        // Children are shared, not copied: the view is only serialized, never changed.
        rest.set(member.getKey(), member.getValue());
      }
    }
    return canonicalUtf8(rest);
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

  private static String reason(Exception e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
