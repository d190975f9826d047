package io.agentchat.bench.core;

import io.vertx.core.json.JsonObject;

/**
 * Reads the few members a load generator needs from a server frame without parsing it all. A
 * fan-out run delivers hundreds of thousands of frames a second to one event loop, and a
 * SEARCH_RESULTS frame carries up to 50 skills: parsing every frame would make the bench measure
 * its own JSON parser. The scans rely on the wire order of server frames ({@code type} first, then
 * {@code ts}, then the frame's fields, SPEC §1), in which ids precede any text an agent wrote and
 * {@code total} comes last; they fall back to a full parse when the text does not look like that.
 * Stateless and thread-safe.
 */
public final class FrameScan {
  private static final String TYPE_PREFIX = "{\"type\":\"";

  private FrameScan() {}

  /** The frame's {@code type}, or null when it is not a JSON object with a string type. */
  public static String type(String text) {
    if (text.startsWith(TYPE_PREFIX)) {
      int end = text.indexOf('"', TYPE_PREFIX.length());
      if (end > 0) {
        return text.substring(TYPE_PREFIX.length(), end);
      }
    }
    JsonObject frame = parse(text);
    return frame != null && frame.getValue("type") instanceof String t ? t : null;
  }

  /**
   * The first string member called {@code field}, read as plain text; null when it is missing or
   * holds an escape (then parse the frame, or use {@link #string}).
   */
  public static String firstString(String text, String field) {
    String key = "\"" + field + "\":\"";
    int at = text.indexOf(key);
    if (at < 0) {
      return null;
    }
    int start = at + key.length();
    int end = text.indexOf('"', start);
    if (end < 0 || text.indexOf('\\', start) >= 0 && text.indexOf('\\', start) < end) {
      return null;
    }
    return text.substring(start, end);
  }

  /**
   * The top-level string member {@code field} of a frame whose ids come before any agent's text:
   * scanned when it is plain, parsed otherwise; null when the frame has none.
   */
  public static String string(String text, String field) {
    String scanned = firstString(text, field);
    if (scanned != null) {
      return scanned;
    }
    JsonObject frame = parse(text);
    return frame == null || !(frame.getValue(field) instanceof String s) ? null : s;
  }

  /** The last numeric member called {@code field} (integral), or -1 when there is none. */
  public static long lastLong(String text, String field) {
    String key = "\"" + field + "\":";
    int at = text.lastIndexOf(key);
    if (at < 0) {
      return -1;
    }
    int i = at + key.length();
    long value = 0;
    boolean digits = false;
    for (; i < text.length() && Character.isDigit(text.charAt(i)); i++) {
      value = value * 10 + (text.charAt(i) - '0');
      digits = true;
    }
    return digits ? value : -1;
  }

  /** The whole frame as JSON, or null when it is not a JSON object. */
  public static JsonObject parse(String text) {
    try {
      return new JsonObject(text);
    } catch (RuntimeException e) { // DecodeException, or not an object
      return null;
    }
  }
}
