package io.agentchat.marketplace.impl;

import io.agentchat.marketplace.store.Notice;
import io.agentchat.marketplace.store.NoticeRepository;
import io.agentchat.protocol.BusAddresses;
import io.agentchat.protocol.BusMessages;
import io.agentchat.protocol.BusMessages.Presence;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets marketplace frames to agents through the relay: delivered live when the agent is online,
 * otherwise kept as a notice and handed over, once, at its next login.
 *
 * <p>A verb decides inside its transaction ({@link #prepare}): an agent that is offline then gets a
 * notice written on the transaction's connection, so the notice commits or rolls back with the
 * change it reports. Nothing reaches a socket before the commit: {@link #send} runs after it.
 */
final class Notifier {
  private static final Logger LOG = LoggerFactory.getLogger("agentchat.marketplace");

  /** A relay that does not answer a look-up in time counts as having the agent offline. */
  private static final DeliveryOptions LOOKUP = new DeliveryOptions().setSendTimeout(2_000);

  /**
   * A delivery the relay does not confirm in time counts as failed, and the frame is kept: at worst
   * the agent sees it twice, never not at all.
   */
  private static final DeliveryOptions DELIVER = new DeliveryOptions().setSendTimeout(2_000);

  private final EventBus bus;
  private final Pool pool;
  private final NoticeRepository notices;
  private final OnlineAgents online;
  private final DeliveryOrder order;

  Notifier(
      EventBus bus, Pool pool, NoticeRepository notices, OnlineAgents online, DeliveryOrder order) {
    this.bus = bus;
    this.pool = pool;
    this.notices = notices;
    this.online = online;
    this.order = order;
  }

  /**
   * How a frame will reach its agent, decided inside a verb's transaction.
   *
   * @param agentId bare id
   * @param frame the frame's JSON text
   * @param queued whether it was kept as a notice in the transaction (the agent was offline)
   */
  record Delivery(String agentId, String frame, boolean queued) {}

  /**
   * Inside a verb's transaction: keeps the frame as a notice when the agent is offline now, as far
   * as {@link OnlineAgents} knows ({@link #send} mends a wrong guess after the commit).
   *
   * @param announces the proposal a PROPOSAL frame announces (its notice goes if it expires
   *     unseen), or null
   */
  Future<Delivery> prepare(
      SqlConnection tx, String agentId, String frame, long now, String announces) {
    if (online.isOnline(agentId)) {
      return Future.succeededFuture(live(agentId, frame));
    }
    return notices
        .queue(tx, agentId, frame, now, announces)
        .map(v -> new Delivery(agentId, frame, true));
  }

  /** The plan for a frame to an agent that is online: delivered live after the commit. */
  Delivery live(String agentId, String frame) {
    return new Delivery(agentId, frame, false);
  }

  /**
   * After the verb committed: delivers a live frame (keeping it as a notice if the agent left in
   * the meantime), or, for a queued one, hands the queue over at once if the agent is online: it
   * may have logged in after the decision, when its login hand-over had already read the queue. In
   * the agent's {@link DeliveryOrder}. Never fails.
   */
  Future<Void> send(Delivery delivery, long now) {
    String agentId = delivery.agentId();
    if (delivery.queued()) {
      return lookup(agentId)
          .compose(
              presence ->
                  presence.online()
                      ? order.after(agentId, () -> handOver(agentId, now))
                      : Future.<Void>succeededFuture())
          .otherwiseEmpty();
    }
    return order
        .after(
            agentId,
            () ->
                deliverNow(agentId, delivery.frame())
                    .compose(
                        delivered -> {
                          if (delivered) {
                            return Future.succeededFuture();
                          }
                          online.gone(agentId);
                          return keep(agentId, delivery.frame(), now)
                              .compose(v -> handOverIfOnline(agentId, now));
                        }))
        .otherwiseEmpty();
  }

  /**
   * After a failed live delivery, the agent may already be back: its login hand-over, queued in the
   * agent's order, then takes the kept frame; one that logged in before the frame was kept needs
   * this hand-over.
   */
  private Future<Void> handOverIfOnline(String agentId, long now) {
    return lookup(agentId)
        .compose(
            presence ->
                presence.online()
                    // Not queued behind this step (it runs inside it): taken now, in order.
                    ? handOver(agentId, now)
                    : Future.<Void>succeededFuture());
  }

  /** Keeps a frame the agent could not take for its next login. Never fails. */
  private Future<Void> keep(String agentId, String frame, long now) {
    return notices
        .queue(pool, agentId, frame, now)
        .recover(
            e -> {
              LOG.atWarn()
                  .addKeyValue("event", "notice_lost")
                  .addKeyValue("agent", "@" + agentId)
                  .addKeyValue("error", String.valueOf(e))
                  .log("could not keep a notice for an agent that went offline");
              return Future.succeededFuture();
            });
  }

  /**
   * At login: delivers and deletes the agent's queued notices, oldest first, in the agent's {@link
   * DeliveryOrder}. Fails only if the queue could not be read, in which case nothing was taken.
   */
  Future<Void> handOverNotices(String agentId, long now) {
    return order.after(agentId, () -> handOver(agentId, now));
  }

  /**
   * Takes every queued notice (one statement: a notice is taken by exactly one hand-over) and
   * delivers them in order; one the agent cannot take now (it left again) is kept again, with every
   * notice after it, for its next login.
   */
  private Future<Void> handOver(String agentId, long now) {
    return notices
        .takeAll(pool, agentId)
        .compose(
            missed -> {
              Future<Boolean> chain = Future.succeededFuture(true);
              for (Notice n : missed) {
                chain =
                    chain.compose(
                        stillOnline ->
                            stillOnline
                                ? deliverNow(agentId, n.frame())
                                    .compose(
                                        delivered ->
                                            delivered
                                                ? Future.succeededFuture(true)
                                                : keep(agentId, n.frame(), now).map(false))
                                : keep(agentId, n.frame(), now).map(false));
              }
              return chain.<Void>mapEmpty();
            })
        .onFailure(
            e ->
                LOG.atWarn()
                    .addKeyValue("event", "handover_failed")
                    .addKeyValue("agent", "@" + agentId)
                    .addKeyValue("error", String.valueOf(e))
                    .log("could not hand over queued notices; they wait for the next login"));
  }

  /** True when the relay had the agent online and took the frame. */
  Future<Boolean> deliverNow(String agentId, String frame) {
    return bus.<String>request(
            BusAddresses.DELIVER,
            BusMessages.encode(new BusMessages.Deliver(agentId, frame)),
            DELIVER)
        .map(reply -> BusMessages.decode(reply.body(), BusMessages.Delivered.class).delivered())
        .otherwise(false);
  }

  /** The relay's view of an agent; offline if no relay answers in time. */
  Future<Presence> lookup(String agentId) {
    return bus.<String>request(
            BusAddresses.LOOKUP, BusMessages.encode(new BusMessages.Lookup(agentId)), LOOKUP)
        .map(reply -> BusMessages.decode(reply.body(), Presence.class))
        .onSuccess(presence -> online.learn(agentId, presence))
        .otherwise(Presence.OFFLINE);
  }

  /** Posts a server message to a channel ({@code store}: keep it in the replay history). */
  void toChannel(String channel, String content, boolean store) {
    bus.send(
        BusAddresses.CHANNEL_POST,
        BusMessages.encode(new BusMessages.ChannelPost(channel, content, store)));
  }
}
