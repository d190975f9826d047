package io.agentchat.marketplace.spi;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.function.Function;

/**
 * What a settlement plug-in gets when the marketplace starts it.
 *
 * @param vertx the server's Vert.x instance
 * @param pool the pool of the database every module shares, with the plug-in's {@link Schema}
 *     already migrated; for work outside a verb (sweeps, reports, imports). Inside a verb, use only
 *     the connection the verb hands over, so the work commits or rolls back with it.
 * @param standingsChanged tells the marketplace, after a commit of the plug-in's own outside any
 *     verb (an import of receipts, say), which standings changed, so search ranks by them; the
 *     future completes once searches see them. Changes made inside a verb travel in its {@link
 *     SettlementOutcome} instead.
 */
public record SettlementContext(
    Vertx vertx, Pool pool, Function<List<StandingChange>, Future<Void>> standingsChanged) {

  /** A context whose standing changes reach nobody (a marketplace without search ranking). */
  public SettlementContext(Vertx vertx, Pool pool) {
    this(vertx, pool, changes -> Future.succeededFuture());
  }
}
