package io.agentchat.marketplace.impl;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentchat.marketplace.Marketplace;
import io.agentchat.marketplace.MarketplaceOptions;
import io.agentchat.marketplace.ProposalCensus;
import io.agentchat.marketplace.db.Database;
import io.agentchat.marketplace.spi.SettlementContext;
import io.agentchat.marketplace.store.AgentRepository;
import io.agentchat.marketplace.store.ProposalRepository;
import io.agentchat.marketplace.store.ProposalStatus;
import io.agentchat.marketplace.store.SearchBusyException;
import io.agentchat.marketplace.store.SkillQuery;
import io.agentchat.marketplace.store.SkillRepository;
import io.agentchat.protocol.ErrorCode;
import io.agentchat.protocol.ProtocolException;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Starts the settlement plug-ins, loads the skill index with every standing, then the verticles
 * that answer marketplace frames; stops them in the reverse order.
 */
public final class MarketplaceRuntime implements Marketplace {
  /** How long a census serves {@code /health} before it is counted again. */
  private static final long CENSUS_MAX_AGE_MS = 5_000;

  private final Vertx vertx;
  private final Database database;
  private final SkillRepository skills;
  private final Settlements settlements;
  private final OnlineAgents online;
  private String deployment;
  private Future<ProposalCensus> census;
  private long censusAt;

  private MarketplaceRuntime(
      Vertx vertx,
      Database database,
      SkillRepository skills,
      Settlements settlements,
      OnlineAgents online) {
    this.vertx = vertx;
    this.database = database;
    this.skills = skills;
    this.settlements = settlements;
    this.online = online;
  }

  /** See {@link Marketplace#start}. */
  public static Future<Marketplace> start(
      Vertx vertx, Database database, MarketplaceOptions options) {
    try {
      options.validate();
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    Settlements settlements = new Settlements(options.settlements());
    AtomicReference<SkillRepository> indexOnceLoaded = new AtomicReference<>();
    OnlineAgents online = new OnlineAgents();
    return online
        .start(vertx.eventBus())
        .compose(
            v ->
                settlements.start(
                    new SettlementContext(
                        vertx,
                        database.pool(),
                        // Before the index is loaded there is nothing to tell: it loads them all.
                        changes -> {
                          SkillRepository index = indexOnceLoaded.get();
                          return index == null
                              ? Future.succeededFuture()
                              : index.applyStandings(changes);
                        })))
        .compose(v -> options.standings().all())
        .compose(
            standings ->
                SkillRepository.open(vertx, database.pool(), options.maxSkills())
                    .compose(skills -> skills.applyStandings(standings).map(skills))
                    .onSuccess(indexOnceLoaded::set))
        .compose(
            skills -> {
              MarketplaceRuntime runtime =
                  new MarketplaceRuntime(vertx, database, skills, settlements, online);
              // One instance per core answers requests, all sharing the one skill index; only the
              // first hands over missed frames at login and sweeps expiries, so neither happens
              // twice.
              AtomicInteger next = new AtomicInteger();
              ProposalParties parties = new ProposalParties();
              DeliveryOrder order = new DeliveryOrder();
              return vertx
                  .deployVerticle(
                      () ->
                          new MarketplaceVerticle(
                              database.pool(),
                              skills,
                              settlements,
                              online,
                              parties,
                              order,
                              options,
                              next.getAndIncrement() == 0),
                      new DeploymentOptions().setInstances(options.instances()))
                  .map(
                      id -> {
                        runtime.deployment = id;
                        return (Marketplace) runtime;
                      })
                  .recover(e -> skills.close().transform(ignored -> Future.failedFuture(e)));
            })
        .recover(
            e ->
                settlements
                    .stop()
                    .eventually(online::stop)
                    .transform(ignored -> Future.failedFuture(e)));
  }

  @Override
  public synchronized Future<ProposalCensus> census() {
    long now = System.currentTimeMillis();
    if (census == null || now - censusAt > CENSUS_MAX_AGE_MS || census.failed()) {
      censusAt = now;
      census =
          new ProposalRepository()
              .census(database.pool(), now)
              .map(
                  c -> {
                    Map<String, Long> byStatus = new LinkedHashMap<>();
                    for (Map.Entry<ProposalStatus, Long> e : c.byStatus().entrySet()) {
                      byStatus.put(e.getKey().wire(), e.getValue());
                    }
                    return new ProposalCensus(c.total(), byStatus, c.agents());
                  });
    }
    return census;
  }

  @Override
  public Future<List<ObjectNode>> skillsOf(String agentId) {
    return skills.registeredBy(agentId);
  }

  @Override
  public Future<ObjectNode> searchSkills(
      String capability, BigDecimal maxRate, String currency, int limit) {
    return skills
        .search(new SkillQuery(capability, maxRate, currency, limit))
        .map(
            page -> {
              ObjectNode answer = JsonNodeFactory.instance.objectNode();
              answer.putArray("results").addAll(SkillHandlers.resultObjects(page));
              answer.put("total", page.total());
              return answer;
            })
        .recover(
            e ->
                Future.failedFuture(
                    e instanceof SearchBusyException
                        ? new ProtocolException(
                            ErrorCode.SERVICE_UNAVAILABLE,
                            "Skill search is busy; try again shortly")
                        : e));
  }

  @Override
  public Future<Optional<ObjectNode>> proposal(String id) {
    long now = System.currentTimeMillis();
    return new ProposalRepository()
        .find(database.pool(), id, now)
        .map(found -> found.map(p -> Frames.proposalObject(p, now)));
  }

  @Override
  public boolean isOnline(String agentId) {
    return online.isOnline(agentId);
  }

  @Override
  public Future<Boolean> isKnown(String agentId) {
    if (online.isOnline(agentId)) {
      return Future.succeededFuture(true);
    }
    return new AgentRepository()
        .pubkeys(database.pool(), List.of(agentId))
        .map(keys -> keys.containsKey(agentId));
  }

  @Override
  public Future<Void> close() {
    Future<Void> undeploy =
        deployment == null ? Future.succeededFuture() : vertx.undeploy(deployment);
    deployment = null;
    return undeploy
        .eventually(skills::close)
        .eventually(settlements::stop)
        .eventually(online::stop);
  }
}
