package io.agentchat.relay.impl;

import io.agentchat.identity.AgentKey;
import io.agentchat.relay.RelayOptions;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What every event loop of one relay shares: options, the channel registry, the directory of online
 * agents, pending login challenges and peer verifications. Thread-safe by construction of its
 * parts.
 */
final class RelayState {
  final Vertx vertx;
  final EventBus bus;
  final RelayOptions options;
  final ChannelRegistry channels;
  final AgentDirectory directory = new AgentDirectory();
  final ConcurrentHashMap<String, PendingChallenge> challenges = new ConcurrentHashMap<>();
  final ConcurrentHashMap<String, PeerVerification.Pending> verifications =
      new ConcurrentHashMap<>();
  final AtomicLong connectionIds = new AtomicLong();
  final AtomicLong sessionNumbers = new AtomicLong();
  final AtomicLong openConnections = new AtomicLong();
  final ConnectionsPerIp connectionsPerIp;
  final Instant startedAt = Instant.now();
  final RelayLog log;
  final DeliveryOptions frameDelivery =
      new DeliveryOptions().setCodecName(OutboundFrame.Codec.NAME);

  RelayState(Vertx vertx, RelayOptions options) {
    this.vertx = vertx;
    this.bus = vertx.eventBus();
    this.options = options;
    this.channels = new ChannelRegistry(options.bufferSize(), options.maxChannels());
    this.log = new RelayLog(options.logMessages());
    this.connectionsPerIp = new ConnectionsPerIp(options.maxConnectionsPerIp());
  }

  /** A login challenge waiting for its VERIFY_IDENTITY. */
  record PendingChallenge(
      String id,
      String nonce,
      long expiresAt,
      AgentKey key,
      String name,
      AgentConnection owner,
      long timerId) {}

  /** Server clock in epoch ms, the {@code ts} of every frame. */
  long now() {
    return System.currentTimeMillis();
  }

  /** Publishes a channel frame to every event loop that has members of that channel. */
  void publishToChannel(String channel, OutboundFrame frame) {
    bus.publish(io.agentchat.protocol.BusAddresses.channel(channel), frame, frameDelivery);
  }

  /** Sends a frame to one session's address. */
  void sendToSession(AgentSession session, OutboundFrame frame) {
    bus.send(session.address, frame, frameDelivery);
  }
}
