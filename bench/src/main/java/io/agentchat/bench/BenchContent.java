package io.agentchat.bench;

import io.vertx.core.json.JsonObject;

/**
 * The wire text the bench writes and the cheap scans it runs on what it reads. A bench message's
 * content is {@code bench:<run>:<sender>:<seq>:<sentNanos>}; the run token keeps replayed history
 * of earlier runs (and other bench processes on the same server) out of the counts. Received frames
 * are scanned with {@code indexOf} instead of a JSON parse because a fan-out run delivers hundreds
 * of thousands of frames per second to one event loop. Stateless and thread-safe.
 */
final class BenchContent {
  /** Every server frame starts with its type (protocol facts §1), so the type is a prefix scan. */
  private static final String TYPE_PREFIX = "{\"type\":\"";

  private final String contentPrefix;
  private final String marker;
  private final String msgHead;

  BenchContent(String runId, String channel) {
    this.contentPrefix = "bench:" + runId + ":";
    this.marker = "\"content\":\"" + contentPrefix;
    // Channel names are [A-Za-z0-9_-] after '#', so nothing here needs JSON escaping.
    this.msgHead = "{\"type\":\"MSG\",\"to\":\"" + channel + "\",\"content\":\"" + contentPrefix;
  }

  /** The MSG frame a sender writes. */
  String msgFrame(int sender, long seq, long sentNanos) {
    return new StringBuilder(msgHead.length() + 40)
        .append(msgHead)
        .append(sender)
        .append(':')
        .append(seq)
        .append(':')
        .append(sentNanos)
        .append("\"}")
        .toString();
  }

  /** The send time carried by a bench delivery of this run, or -1 when {@code frame} is not one. */
  long sentNanos(String frame) {
    int at = frame.indexOf(marker);
    if (at < 0) {
      return -1;
    }
    int end = frame.indexOf('"', at + marker.length());
    if (end < 0) {
      return -1;
    }
    long v = 0;
    int i = end - 1;
    long scale = 1;
    for (; i > at && frame.charAt(i) != ':'; i--) {
      char ch = frame.charAt(i);
      if (ch < '0' || ch > '9' || scale > 1_000_000_000_000_000L) {
        return -1;
      }
      v += (ch - '0') * scale;
      scale *= 10;
    }
    return scale == 1 ? -1 : v;
  }

  /**
   * The frame's type, read from the prefix when the server put {@code type} first, else by a full
   * parse; null when the text is not a JSON object with a string type.
   */
  static String type(String frame) {
    if (frame.startsWith(TYPE_PREFIX)) {
      int end = frame.indexOf('"', TYPE_PREFIX.length());
      if (end > 0) {
        return frame.substring(TYPE_PREFIX.length(), end);
      }
    }
    try {
      Object t = new JsonObject(frame).getValue("type");
      return t instanceof String s ? s : null;
    } catch (RuntimeException e) {
      return null;
    }
  }
}
