package io.agentchat.marketplace.impl;

import io.agentchat.marketplace.MarketplaceOptions;
import io.agentchat.marketplace.store.AgentRepository;
import io.agentchat.marketplace.store.DuplicateProposalException;
import io.agentchat.marketplace.store.NoticeRepository;
import io.agentchat.marketplace.store.ProposalRepository;
import io.agentchat.marketplace.store.SearchBusyException;
import io.agentchat.marketplace.store.SkillRegistryFullException;
import io.agentchat.marketplace.store.SkillRepository;
import io.agentchat.protocol.BusAddresses;
import io.agentchat.protocol.BusMessages;
import io.agentchat.protocol.BusMessages.MarketplaceReply;
import io.agentchat.protocol.ClientFrame;
import io.agentchat.protocol.ErrorCode;
import io.agentchat.protocol.FrameCodec;
import io.agentchat.protocol.ProtocolException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers marketplace frames the relay forwards on {@link BusAddresses#MARKETPLACE}, hands agents
 * what they missed when they log in, and sweeps expired proposals once a minute (one timer, never
 * one per proposal).
 */
final class MarketplaceVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger("agentchat.marketplace");
  static final String UNAVAILABLE =
      "The marketplace database is unavailable; nothing was changed. Try again shortly.";

  private final Pool pool;
  private final SkillRepository skillRepository;
  private final Settlements settlements;
  private final OnlineAgents online;
  private final ProposalParties parties;
  private final DeliveryOrder order;
  private final MarketplaceOptions options;
  private final boolean leader;
  private SkillHandlers skills;
  private ProposalHandlers proposals;
  private Notifier notifier;
  private final AgentRepository agents = new AgentRepository();
  private MessageConsumer<String> requests;
  private MessageConsumer<String> logins;
  private long sweepTimer = -1;

  /**
   * @param skillRepository the skills registry every instance shares
   * @param leader whether this instance also hands over missed frames at login and sweeps expiries
   *     (exactly one instance does)
   */
  MarketplaceVerticle(
      Pool pool,
      SkillRepository skillRepository,
      Settlements settlements,
      OnlineAgents online,
      ProposalParties parties,
      DeliveryOrder order,
      MarketplaceOptions options,
      boolean leader) {
    this.pool = pool;
    this.skillRepository = skillRepository;
    this.settlements = settlements;
    this.online = online;
    this.parties = parties;
    this.order = order;
    this.options = options;
    this.leader = leader;
  }

  @Override
  public Future<?> start() {
    notifier = new Notifier(vertx.eventBus(), pool, new NoticeRepository(), online, order);
    skills = new SkillHandlers(skillRepository, notifier);
    proposals =
        new ProposalHandlers(
            pool,
            new ProposalRepository(),
            agents,
            notifier,
            settlements,
            online,
            parties,
            skillRepository::applyStandings,
            options);
    requests = vertx.eventBus().consumer(BusAddresses.MARKETPLACE, this::onRequest);
    if (!leader) {
      return requests.completion();
    }
    logins = vertx.eventBus().consumer(BusAddresses.AGENT_ONLINE, this::onLogin);
    sweepTimer =
        vertx.setPeriodic(
            options.sweepInterval().toMillis(),
            t ->
                proposals
                    .sweep(System.currentTimeMillis())
                    .onFailure(
                        e ->
                            LOG.atWarn()
                                .addKeyValue("event", "sweep_failed")
                                .addKeyValue("error", e.getMessage())
                                .log("expiry sweep failed")));
    return requests
        .completion()
        .compose(v -> logins.completion())
        .onSuccess(v -> greetAgentsAlreadyOnline());
  }

  /**
   * Agents that logged in before the marketplace ran (it starts after the relay, and restarts after
   * a database outage) were announced to nobody: ask the relay who is online and treat each as just
   * logged in. One that logs in meanwhile may be greeted twice; its second hand-over finds nothing
   * left to take.
   */
  private void greetAgentsAlreadyOnline() {
    vertx
        .eventBus()
        .<String>request(BusAddresses.ONLINE_AGENTS, "")
        .map(reply -> BusMessages.decode(reply.body(), BusMessages.OnlineAgents.class))
        .onSuccess(
            present -> {
              for (BusMessages.AgentOnline agent : present.agents()) {
                online.seen(agent.id(), agent.session());
                loggedIn(agent);
              }
            })
        .onFailure(
            e ->
                LOG.atWarn()
                    .addKeyValue("event", "online_agents_unknown")
                    .addKeyValue("error", String.valueOf(e))
                    .log(
                        "could not learn which agents are online; they get notices at next login"));
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(sweepTimer);
    return requests
        .unregister()
        .compose(v -> logins == null ? Future.succeededFuture() : logins.unregister());
  }

  private void onRequest(Message<String> message) {
    String type = "?";
    Future<MarketplaceReply> answer;
    try {
      BusMessages.MarketplaceRequest request =
          BusMessages.decode(message.body(), BusMessages.MarketplaceRequest.class);
      Caller caller = Caller.from(request.agent());
      ClientFrame frame = FrameCodec.decodeClient(request.frame());
      type = frame.type();
      answer = handle(caller, frame, System.currentTimeMillis());
    } catch (RuntimeException e) {
      answer = Future.failedFuture(e);
    }
    String frameType = type;
    answer.onComplete(
        ar ->
            message.reply(
                BusMessages.encode(ar.succeeded() ? ar.result() : refusal(frameType, ar.cause()))));
  }

  private Future<MarketplaceReply> handle(Caller caller, ClientFrame frame, long now) {
    if (frame instanceof ClientFrame.RegisterSkills f) {
      return skills.register(caller, f, now);
    } else if (frame instanceof ClientFrame.SearchSkills f) {
      return skills.search(f, now);
    } else if (frame instanceof ClientFrame.Proposal f) {
      return proposals.recordCaller(caller, now).compose(v -> proposals.propose(caller, f, now));
    } else if (frame instanceof ClientFrame.Accept f) {
      return proposals.recordCaller(caller, now).compose(v -> proposals.accept(caller, f, now));
    } else if (frame instanceof ClientFrame.Reject f) {
      return proposals.reject(caller, f, now);
    } else if (frame instanceof ClientFrame.Complete f) {
      return proposals.recordCaller(caller, now).compose(v -> proposals.complete(caller, f, now));
    } else if (frame instanceof ClientFrame.Dispute f) {
      return proposals.recordCaller(caller, now).compose(v -> proposals.dispute(caller, f, now));
    } else if (frame instanceof ClientFrame.ListProposals f) {
      return proposals.list(caller, f, now);
    }
    throw ProtocolException.invalid("Unknown message type: " + frame.type());
  }

  /** A reply for a failed request: refusals as they are, anything else as unavailability. */
  private static MarketplaceReply refusal(String type, Throwable cause) {
    if (cause instanceof ProtocolException p) {
      return MarketplaceReply.refusal(p.code(), p.getMessage());
    }
    if (cause instanceof SkillRegistryFullException full) {
      return MarketplaceReply.refusal(ErrorCode.RATE_LIMITED, full.getMessage());
    }
    if (cause instanceof SearchBusyException busy) {
      return MarketplaceReply.refusal(ErrorCode.SERVICE_UNAVAILABLE, busy.getMessage());
    }
    if (cause instanceof DuplicateProposalException d) {
      return MarketplaceReply.refusal(
          ErrorCode.INVALID_PROPOSAL, "Duplicate of open proposal " + d.openProposalId());
    }
    LOG.atWarn()
        .addKeyValue("event", "marketplace_unavailable")
        .addKeyValue("frame", type)
        .addKeyValue("error", String.valueOf(cause))
        .log("marketplace request failed");
    return MarketplaceReply.refusal(ErrorCode.SERVICE_UNAVAILABLE, UNAVAILABLE);
  }

  /**
   * After WELCOME: remember keyed agents, then hand over the notices they missed, in the order they
   * were queued, each once.
   */
  private void onLogin(Message<String> message) {
    BusMessages.AgentOnline agent;
    try {
      agent = BusMessages.decode(message.body(), BusMessages.AgentOnline.class);
    } catch (IllegalArgumentException e) {
      return;
    }
    loggedIn(agent);
  }

  private void loggedIn(BusMessages.AgentOnline agent) {
    if (agent.pubkey() == null) {
      return;
    }
    long now = System.currentTimeMillis();
    agents
        .seen(pool, agent.id(), agent.pubkey(), agent.name(), now)
        .onFailure(
            e ->
                LOG.atWarn()
                    .addKeyValue("event", "agent_not_recorded")
                    .addKeyValue("agent", "@" + agent.id())
                    .addKeyValue("error", String.valueOf(e))
                    .log("could not record a keyed agent's login"))
        // The hand-over logs its own failures; the notices wait for the next login then.
        .eventually(() -> notifier.handOverNotices(agent.id(), now));
  }
}
