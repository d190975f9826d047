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
 * it is online; an agent thought online that is not gets its frame kept after the failed delivery,
 * and is then thought offline. Sessions are numbered in login order ({@link BusAddresses#session}),
 * so news of an older session never overrides a newer one's: a late logout of a displaced session
 * does not mark its successor offline, and a late look-up answer does not resurrect a session that
 * has logged out. Thread-safe.
 */
final class OnlineAgents {
  private final ConcurrentHashMap<String, Long> sessionByAgent = new ConcurrentHashMap<>();
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
              seen(online.id(), online.session());
            });
    logouts =
        bus.consumer(
            BusAddresses.AGENT_OFFLINE,
            m -> {
              BusMessages.AgentOffline offline =
                  BusMessages.decode(m.body(), BusMessages.AgentOffline.class);
              long number = BusAddresses.sessionNumber(offline.session());
              sessionByAgent.remove(offline.id(), number);
            });
    return logins.completion().compose(v -> logouts.completion());
  }

  /** Stops listening. */
  Future<Void> stop() {
    Future<Void> a = logins == null ? Future.succeededFuture() : logins.unregister();
    Future<Void> b = logouts == null ? Future.succeededFuture() : logouts.unregister();
    return Future.join(a, b).mapEmpty();
  }

  /** Whether the agent was online at the last news of it. */
  boolean isOnline(String agentId) {
    return sessionByAgent.containsKey(agentId);
  }

  /** Records that the agent is online in this session, unless a newer one is already known. */
  void seen(String agentId, String session) {
    long number = BusAddresses.sessionNumber(session);
    if (number >= 0) {
      sessionByAgent.merge(agentId, number, Math::max);
    }
  }

  /** Learns from a look-up the relay answered (the events may still be on their way). */
  void learn(String agentId, BusMessages.Presence presence) {
    if (presence.online()) {
      seen(agentId, presence.session());
    } else {
      sessionByAgent.remove(agentId);
    }
  }

  /** A frame could not be delivered: the agent is offline, whatever the events said. */
  void gone(String agentId) {
    sessionByAgent.remove(agentId);
  }
}
