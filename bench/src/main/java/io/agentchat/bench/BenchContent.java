package io.agentchat.bench;

/**
 * The wire text the bench writes and the cheap scans it runs on what it reads. A bench message's
 * content is {@code bench:<run>:<sender>:<seq>:<sentNanos>}; the run token keeps replayed history
 * of earlier runs (and other bench processes on the same server) out of the counts. Received frames
 * are scanned with {@code indexOf} instead of a JSON parse because a fan-out run delivers hundreds
 * of thousands of frames per second to one event loop. Stateless and thread-safe.
 */
final class BenchContent {
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
}
