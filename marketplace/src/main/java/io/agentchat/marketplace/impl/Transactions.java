package io.agentchat.marketplace.impl;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import java.util.function.Function;

/**
 * Runs a unit of work in one database transaction on one connection: it commits when the work's
 * future succeeds and rolls back when it fails, whatever the work wrote.
 *
 * <p>Unlike {@code Pool.withTransaction}, the work's first statement does not wait for {@code
 * BEGIN} to be answered: the client sends both at once (Vert.x 5 pipelines a transaction's
 * commands), which spares a round trip per verb. Postgres still runs them in order, so the
 * statement is inside the transaction.
 */
final class Transactions {
  private final Pool pool;

  Transactions(Pool pool) {
    this.pool = pool;
  }

  /**
   * @param work runs on the connection's event loop; everything it writes must go through the
   *     connection it is given
   * @return a future completed with the work's result once committed, or failed with the work's
   *     failure once rolled back (or with the database's error)
   */
  <T> Future<T> run(Function<SqlConnection, Future<T>> work) {
    return pool.getConnection()
        .compose(
            conn -> {
              Future<Transaction> begun = conn.begin();
              Future<T> done;
              try {
                done = work.apply(conn);
              } catch (RuntimeException e) {
                done = Future.failedFuture(e);
              }
              Future<T> result = done;
              return begun
                  .compose(
                      tx ->
                          result.transform(
                              ar ->
                                  ar.succeeded()
                                      ? tx.commit().map(ar.result())
                                      : tx.rollback()
                                          .transform(
                                              ignored -> Future.<T>failedFuture(ar.cause()))))
                  .eventually(conn::close);
            });
  }
}
