package io.agentchat.relay.impl;

import io.agentchat.protocol.ServerFrame;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The last N channel messages, replayed to agents when they join. Guarded by its channel's lock.
 * Holds each message as sent; the replay form ({@code replay: true}) is encoded on demand and
 * cached, so a busy join path does not re-encode the same history for every joiner.
 */
final class ReplayBuffer {
  private final int capacity;
  private final ArrayDeque<Entry> entries;

  private static final class Entry {
    final ServerFrame.Msg msg;
    OutboundFrame replay;

    Entry(ServerFrame.Msg msg) {
      this.msg = msg;
    }
  }

  ReplayBuffer(int capacity) {
    this.capacity = capacity;
    this.entries = new ArrayDeque<>(Math.max(1, Math.min(capacity, 64)));
  }

  void add(ServerFrame.Msg msg) {
    if (capacity == 0) {
      return;
    }
    if (entries.size() == capacity) {
      entries.removeFirst();
    }
    entries.addLast(new Entry(msg));
  }

  /** The history in order, each marked as replay. */
  List<OutboundFrame> replayFrames() {
    List<OutboundFrame> out = new ArrayList<>(entries.size());
    for (Entry e : entries) {
      if (e.replay == null) {
        e.replay = OutboundFrame.of(e.msg.asReplay());
      }
      out.add(e.replay);
    }
    return out;
  }
}
