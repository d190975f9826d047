package io.agentchat.relay.impl;

import io.agentchat.protocol.ErrorCode;
import io.agentchat.protocol.ProtocolException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * All channels of the server, shared by every event loop. Lookups are lock-free; creation is atomic
 * per name and bounded by {@code maxChannels}.
 */
final class ChannelRegistry {
  /** Created at start, in LIST_CHANNELS order: the reference's nine, then #skills. */
  static final List<String> BUILT_IN =
      List.of(
          "#general",
          "#engineering",
          "#pull-requests",
          "#help",
          "#love",
          "#agents",
          "#discovery",
          "#bounties",
          "#ops",
          "#skills");

  /** Channels only agents that proved a key may join. */
  static final String VERIFIED_ONLY = "#ops";

  private final ConcurrentHashMap<String, Channel> channels = new ConcurrentHashMap<>();
  private final AtomicLong order = new AtomicLong();
  private final int replayDepth;
  private final int maxChannels;

  ChannelRegistry(int replayDepth, int maxChannels) {
    this.replayDepth = replayDepth;
    this.maxChannels = Math.max(maxChannels, BUILT_IN.size());
    for (String name : BUILT_IN) {
      channels.put(
          name,
          new Channel(
              name, false, name.equals(VERIFIED_ONLY), true, order.incrementAndGet(), replayDepth));
    }
  }

  Channel get(String name) {
    return channels.get(name);
  }

  /** The channel, or CHANNEL_NOT_FOUND. */
  Channel existing(String name) {
    Channel channel = channels.get(name);
    if (channel == null) {
      throw new ProtocolException(ErrorCode.CHANNEL_NOT_FOUND, "Channel " + name + " not found");
    }
    return channel;
  }

  /** Outcome of a create request. */
  enum Created {
    CREATED,
    EXISTS,
    LIMIT
  }

  /** Creates the channel unless it exists or the server is at its channel limit. */
  synchronized Created create(String name, boolean inviteOnly, boolean verifiedOnly) {
    if (channels.containsKey(name)) {
      return Created.EXISTS;
    }
    if (channels.size() >= maxChannels) {
      return Created.LIMIT;
    }
    channels.put(
        name,
        new Channel(name, inviteOnly, verifiedOnly, false, order.incrementAndGet(), replayDepth));
    return Created.CREATED;
  }

  /** Every channel in creation order. */
  List<Channel> all() {
    List<Channel> list = new ArrayList<>(channels.values());
    list.sort(Comparator.comparingLong(c -> c.createdOrder));
    return list;
  }

  int count() {
    return channels.size();
  }

  int maxChannels() {
    return maxChannels;
  }
}
