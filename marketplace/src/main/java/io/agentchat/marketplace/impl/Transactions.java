package io.agentchat.marketplace.impl;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Runs a unit of work in one database transaction on one connection: it commits when the work's
 * future succeeds and rolls back when it fails, whatever the work wrote.
 *
 * <p>Unlike {@code Pool.withTransaction}, the work's first statement does not wait for {@code
 * BEGIN} to be answered: the client sends both at once (Vert.x 5 pipelines a transaction's
 * commands), which spares a round trip per verb. Postgres runs them in order, so the statement is
 * inside the transaction; a {@code BEGIN} that failed would fail the connection, and the work's
 * statements with it.
 *
 * <p>The work gets {@link #WORK_TIMEOUT_MS}: a plug-in whose future never completes must not hold a
 * connection and the proposal's row lock for ever. After it the transaction rolls back and the
 * caller hears the marketplace is unavailable, before the relay gives up on the answer (10 s).
 */
final class Transactions {
  /** How long the work of one transaction may take. */
  static final long WORK_TIMEOUT_MS = 8_000;

  private final Pool pool;

  Transactions(Pool pool) {
    this.pool = pool;
  }

  /**
   * @param work runs on the connection's event loop; everything it writes must go through the
   *     connection it is given
   * @return a future completed with the work's result once committed, or failed with the work's
   *     failure (or a timeout) once rolled back, or with the database's error
   */
  <T> Future<T> run(Function<SqlConnection, Future<T>> work) {
    return pool.getConnection()
        .compose(
            conn -> {
              Future<Transaction> begun = conn.begin();
              Future<T> done;
              try {
                done = work.apply(conn);
              } catch (Throwable e) { // a plug-in's Error must still roll back and free conn
                done = Future.failedFuture(e);
              }
              Future<T> bounded = done.timeout(WORK_TIMEOUT_MS, TimeUnit.MILLISECONDS);
              return begun
                  .compose(
                      tx ->
                          bounded.transform(
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
