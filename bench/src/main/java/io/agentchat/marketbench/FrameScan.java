package io.agentchat.marketbench;

import io.vertx.core.json.JsonObject;

/**
 * Reads the few members the bench needs from a server frame without parsing it all: a
 * SEARCH_RESULTS frame carries up to 50 skills, and parsing every one would make the bench measure
 * its own JSON parser. It relies on the wire order of server frames ({@code type} first, then
 * {@code ts}, then the frame's fields, SPEC §1), in which {@code query_id} precedes any text an
 * agent wrote and {@code total} comes last; it falls back to a full parse when the text does not
 * look like that. Stateless.
 */
final class FrameScan {
  private static final String TYPE_PREFIX = "{\"type\":\"";

  private FrameScan() {}

  /** The frame's {@code type}, or null when it has none. */
  static String type(String text) {
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
   * holds an escape (then parse the frame).
   */
  static String firstString(String text, String field) {
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

  /** The last numeric member called {@code field} (integral), or -1 when there is none. */
  static long lastLong(String text, String field) {
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
  static JsonObject parse(String text) {
    try {
      return new JsonObject(text);
    } catch (RuntimeException e) { // DecodeException, or not an object
      return null;
    }
  }
}
