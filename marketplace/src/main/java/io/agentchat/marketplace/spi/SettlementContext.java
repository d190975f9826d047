package io.agentchat.marketplace.spi;

import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;

/**
 * What a settlement plug-in gets when the marketplace starts it.
 *
 * @param vertx the server's Vert.x instance
 * @param pool the pool of the database every module shares, with the plug-in's {@link Schema}
 *     already migrated; for work outside a verb (sweeps, reports). Inside a verb, use only the
 *     connection the verb hands over, so the work commits or rolls back with it.
 */
public record SettlementContext(Vertx vertx, Pool pool) {}
