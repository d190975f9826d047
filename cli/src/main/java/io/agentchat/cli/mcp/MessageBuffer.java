package io.agentchat.cli.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentchat.protocol.FrameCodec;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What arrived for the agent since its last {@code read_messages}: messages and proposal-family
 * frames, without its own messages, replayed history or the server's per-join welcome (the same
 * rules as the {@code wait} primitive). Bounded: past {@link #CAPACITY} the oldest are dropped and
 * counted. Thread-safe.
 */
final class MessageBuffer {
  /** How many unread frames are kept. */
  static final int CAPACITY = 1000;

  private static final Set<String> TYPES =
      Set.of("MSG", "PROPOSAL", "ACCEPT", "REJECT", "COMPLETE", "DISPUTE");

  private final ArrayDeque<JsonNode> unread = new ArrayDeque<>();
  private long dropped;

  /** Offers a received frame; keeps it when an agent should see it. */
  synchronized void offer(String frameText, String me) {
    JsonNode frame;
    try {
      frame = FrameCodec.mapper().readTree(frameText);
    } catch (IOException e) {
      return;
    }
    String from = frame.path("from").asText(null);
    if (!TYPES.contains(frame.path("type").asText())
        || frame.path("replay").asBoolean(false)
        || "@server".equals(from)
        || (me != null && me.equals(from))) {
      return;
    }
    if (unread.size() >= CAPACITY) {
      unread.poll();
      dropped++;
    }
    unread.add(frame);
    notifyAll();
  }

  /** What was taken, and how many older frames were dropped unread since the last take. */
  record Taken(List<JsonNode> frames, long dropped) {}

  /**
   * Takes up to {@code limit} unread frames, oldest first, waiting up to {@code waitMs} for one
   * when there is none.
   */
  synchronized Taken take(int limit, long waitMs) throws InterruptedException {
    long deadline = System.nanoTime() + waitMs * 1_000_000;
    while (unread.isEmpty()) {
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        break;
      }
      wait(left);
    }
    List<JsonNode> frames = new ArrayList<>();
    while (!unread.isEmpty() && frames.size() < limit) {
      frames.add(unread.poll());
    }
    long lost = dropped;
    dropped = 0;
    return new Taken(frames, lost);
  }
}
