package io.agentchat.marketplace.impl;

import io.agentchat.protocol.BusAddresses;
import io.agentchat.protocol.BusMessages;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which agents are online, as far as the relay's login and logout events have told the marketplace.
 * A verb asks it, inside its transaction, whether to keep a frame for the other party: asking costs
 * nothing, where a look-up over the bus would hold the transaction's connection for a hop to
 * another event loop.
 *
 * <p>It is a hint, and both ways of being wrong are safe: an agent thought offline gets a notice,
 * and right after the commit the notifier looks the agent up for real and hands the notice over if
 * it is online; an agent thought online that is not gets its frame kept after the failed delivery.
 * Each login's session name is remembered, so a late logout of a displaced session never marks its
 * successor offline. Thread-safe.
 */
final class OnlineAgents {
  private final ConcurrentHashMap<String, String> sessionByAgent = new ConcurrentHashMap<>();
  private MessageConsumer<String> logins;
  private MessageConsumer<String> logouts;

  /** Starts listening to the relay's login and logout events. */
  Future<Void> start(EventBus bus) {
    logins =
        bus.consumer(
            BusAddresses.AGENT_ONLINE,
            m -> {
              BusMessages.AgentOnline online =
                  BusMessages.decode(m.body(), BusMessages.AgentOnline.class);
              if (online.session() != null) {
                sessionByAgent.put(online.id(), online.session());
              }
            });
    logouts =
        bus.consumer(
            BusAddresses.AGENT_OFFLINE,
            m -> {
              BusMessages.AgentOffline offline =
                  BusMessages.decode(m.body(), BusMessages.AgentOffline.class);
              sessionByAgent.remove(offline.id(), offline.session());
            });
    return logins.completion().compose(v -> logouts.completion());
  }

  /** Stops listening. */
  Future<Void> stop() {
    Future<Void> a = logins == null ? Future.succeededFuture() : logins.unregister();
    Future<Void> b = logouts == null ? Future.succeededFuture() : logouts.unregister();
    return Future.join(a, b).mapEmpty();
  }

  /** Whether the agent was online at the last event about it. */
  boolean isOnline(String agentId) {
    return sessionByAgent.containsKey(agentId);
  }

  /** Learns from a look-up the relay answered (it knows, the events may still be on their way). */
  void learn(String agentId, BusMessages.Presence presence) {
    if (presence.online() && presence.session() != null) {
      sessionByAgent.put(agentId, presence.session());
    }
  }
}
