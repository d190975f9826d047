package io.agentchat.marketplace.store;

import io.vertx.pgclient.PgException;

/** SQLSTATE checks on failures of the reactive client. */
final class SqlStates {
  static final String UNIQUE_VIOLATION = "23505";

  private SqlStates() {}

  /** Whether {@code failure} is a unique violation of the named constraint or unique index. */
  static boolean isUniqueViolation(Throwable failure, String constraint) {
    return failure instanceof PgException pg
        && UNIQUE_VIOLATION.equals(pg.getSqlState())
        && constraint.equals(pg.getConstraint());
  }
}
