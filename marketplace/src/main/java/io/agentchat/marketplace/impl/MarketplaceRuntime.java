package io.agentchat.marketplace.impl;

import io.agentchat.marketplace.Marketplace;
import io.agentchat.marketplace.MarketplaceOptions;
import io.agentchat.marketplace.db.Database;
import io.agentchat.marketplace.store.SkillRepository;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Starts the database, loads the skill index, then the verticles that answer marketplace frames.
 */
public final class MarketplaceRuntime implements Marketplace {
  private final Vertx vertx;
  private final Database database;
  private final SkillRepository skills;
  private String deployment;

  private MarketplaceRuntime(Vertx vertx, Database database, SkillRepository skills) {
    this.vertx = vertx;
    this.database = database;
    this.skills = skills;
  }

  /** See {@link Marketplace#start}. */
  public static Future<Marketplace> start(Vertx vertx, MarketplaceOptions options) {
    try {
      options.validate();
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return Database.start(vertx, options.database())
        .compose(
            db ->
                start(vertx, db, options)
                    .recover(e -> db.close().transform(ignored -> Future.failedFuture(e))));
  }

  /**
   * Serves the marketplace on a database that is already started and migrated; closing the
   * marketplace closes it. Tests use this to stop and restart the database underneath.
   */
  public static Future<Marketplace> start(
      Vertx vertx, Database database, MarketplaceOptions options) {
    return SkillRepository.open(vertx, database.pool(), options.maxSkills())
        .compose(
            skills -> {
              MarketplaceRuntime runtime = new MarketplaceRuntime(vertx, database, skills);
              // One instance per core answers requests, all sharing the one skill index; only the
              // first
              // hands over missed frames at login and sweeps expiries, so neither happens twice.
              AtomicInteger next = new AtomicInteger();
              return vertx
                  .deployVerticle(
                      () ->
                          new MarketplaceVerticle(
                              database, skills, options, next.getAndIncrement() == 0),
                      new DeploymentOptions().setInstances(options.instances()))
                  .map(
                      id -> {
                        runtime.deployment = id;
                        return (Marketplace) runtime;
                      })
                  .recover(e -> skills.close().transform(ignored -> Future.failedFuture(e)));
            });
  }

  @Override
  public String databaseDescription() {
    return database.description();
  }

  @Override
  public Future<Void> close() {
    Future<Void> undeploy =
        deployment == null ? Future.succeededFuture() : vertx.undeploy(deployment);
    deployment = null;
    return undeploy.eventually(skills::close).eventually(database::close);
  }
}
