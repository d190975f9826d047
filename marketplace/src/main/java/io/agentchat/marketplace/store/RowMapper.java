package io.agentchat.marketplace.store;

import io.vertx.sqlclient.Row;
import java.util.function.Function;

/** Turns one row into a record; each repository has one constant per record it reads. */
@FunctionalInterface
interface RowMapper<T> extends Function<Row, T> {}
