package io.agentchat.marketplace.impl;

import io.agentchat.marketplace.MarketplaceOptions;
import io.agentchat.marketplace.db.Database;
import io.agentchat.marketplace.store.AgentRepository;
import io.agentchat.marketplace.store.DuplicateProposalException;
import io.agentchat.marketplace.store.NoticeRepository;
import io.agentchat.marketplace.store.ProposalRepository;
import io.agentchat.marketplace.store.SearchBusyException;
import io.agentchat.marketplace.store.SkillRegistryFullException;
import io.agentchat.marketplace.store.SkillRepository;
import io.agentchat.protocol.BusAddresses;
import io.agentchat.protocol.ClientFrame;
import io.agentchat.protocol.ErrorCode;
import io.agentchat.protocol.FrameCodec;
import io.agentchat.protocol.ProtocolException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
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

  private final Database database;
  private final SkillRepository skillRepository;
  private final MarketplaceOptions options;
  private final boolean leader;
  private SkillHandlers skills;
  private ProposalHandlers proposals;
  private AgentRepository agents;
  private MessageConsumer<JsonObject> requests;
  private MessageConsumer<JsonObject> logins;
  private long sweepTimer = -1;

  /**
   * @param skillRepository the skills registry every instance shares
   * @param leader whether this instance also hands over missed frames at login and sweeps expiries
   *     (exactly one instance does)
   */
  MarketplaceVerticle(
      Database database,
      SkillRepository skillRepository,
      MarketplaceOptions options,
      boolean leader) {
    this.database = database;
    this.skillRepository = skillRepository;
    this.options = options;
    this.leader = leader;
  }

  @Override
  public Future<?> start() {
    agents = new AgentRepository(database.pool());
    Notifier notifier = new Notifier(vertx.eventBus(), new NoticeRepository(database.pool()));
    ProposalRepository proposalRepository = new ProposalRepository(database.pool());
    skills = new SkillHandlers(skillRepository, notifier);
    proposals = new ProposalHandlers(proposalRepository, agents, notifier, options);
    requests = vertx.eventBus().consumer(BusAddresses.MARKETPLACE, this::onRequest);
    if (!leader) {
      return requests.completion();
    }
    logins = vertx.eventBus().consumer(BusAddresses.AGENT_ONLINE, this::onLogin);
    sweepTimer =
        vertx.setPeriodic(
            options.sweepInterval().toMillis(),
            t ->
                proposalRepository
                    .expireDue(System.currentTimeMillis())
                    .onFailure(
                        e ->
                            LOG.atWarn()
                                .addKeyValue("event", "sweep_failed")
                                .addKeyValue("error", e.getMessage())
                                .log("expiry sweep failed")));
    return requests.completion().compose(v -> logins.completion());
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(sweepTimer);
    return requests
        .unregister()
        .compose(v -> logins == null ? Future.succeededFuture() : logins.unregister());
  }

  private void onRequest(Message<JsonObject> message) {
    JsonObject body = message.body();
    String type =
        body == null || body.getJsonObject("frame") == null
            ? "?"
            : body.getJsonObject("frame").getString("type", "?");
    Future<JsonObject> answer;
    try {
      Caller caller = Caller.from(body == null ? null : body.getJsonObject("agent"));
      ClientFrame frame = FrameCodec.decodeClient(body.getJsonObject("frame").encode());
      answer = handle(caller, frame, System.currentTimeMillis());
    } catch (RuntimeException e) {
      answer = Future.failedFuture(e);
    }
    answer.onComplete(
        ar -> message.reply(ar.succeeded() ? ar.result() : refusal(type, ar.cause())));
  }

  private Future<JsonObject> handle(Caller caller, ClientFrame frame, long now) {
    if (frame instanceof ClientFrame.RegisterSkills f) {
      return skills.register(caller, f, now);
    } else if (frame instanceof ClientFrame.SearchSkills f) {
      return skills.search(f, now);
    } else if (frame instanceof ClientFrame.Proposal f) {
      return proposals.propose(caller, f, now);
    } else if (frame instanceof ClientFrame.Accept f) {
      return proposals.accept(caller, f, now);
    } else if (frame instanceof ClientFrame.Reject f) {
      return proposals.reject(caller, f, now);
    } else if (frame instanceof ClientFrame.Complete f) {
      return proposals.complete(caller, f, now);
    } else if (frame instanceof ClientFrame.Dispute f) {
      return proposals.dispute(caller, f, now);
    } else if (frame instanceof ClientFrame.ListProposals f) {
      return proposals.list(caller, f, now);
    }
    throw ProtocolException.invalid("Unknown message type: " + frame.type());
  }

  /** A reply for a failed request: refusals as they are, anything else as unavailability. */
  private static JsonObject refusal(String type, Throwable cause) {
    if (cause instanceof ProtocolException p) {
      return MarketplaceFrames.error(p.code().name(), p.getMessage());
    }
    if (cause instanceof SkillRegistryFullException full) {
      return MarketplaceFrames.error(ErrorCode.RATE_LIMITED.name(), full.getMessage());
    }
    if (cause instanceof SearchBusyException busy) {
      return MarketplaceFrames.error(ErrorCode.SERVICE_UNAVAILABLE.name(), busy.getMessage());
    }
    if (cause instanceof DuplicateProposalException d) {
      return MarketplaceFrames.error(
          ErrorCode.INVALID_PROPOSAL.name(), "Duplicate of open proposal " + d.openProposalId());
    }
    LOG.atWarn()
        .addKeyValue("event", "marketplace_unavailable")
        .addKeyValue("frame", type)
        .addKeyValue("error", String.valueOf(cause))
        .log("marketplace request failed");
    return MarketplaceFrames.error(ErrorCode.SERVICE_UNAVAILABLE.name(), UNAVAILABLE);
  }

  /** After WELCOME: remember keyed agents, then hand over missed notices and open proposals. */
  private void onLogin(Message<JsonObject> message) {
    JsonObject agent = message.body();
    String pubkey = agent == null ? null : agent.getString("pubkey");
    if (pubkey == null) {
      return;
    }
    String id = agent.getString("id");
    long now = System.currentTimeMillis();
    long onlineSince = agent.getLong("ts", now);
    agents
        .seen(id, pubkey, agent.getString("name"), now)
        .compose(v -> proposals.handOver(id, onlineSince, now))
        .onFailure(
            e ->
                LOG.atWarn()
                    .addKeyValue("event", "handover_failed")
                    .addKeyValue("agent", "@" + id)
                    .addKeyValue("error", String.valueOf(e))
                    .log("could not hand over missed marketplace frames"));
  }
}
