package io.agentchat.marketplace;

import io.agentchat.marketplace.impl.MarketplaceRuntime;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * The skills registry and the proposal book, served over the event bus to the relay (see {@link
 * io.agentchat.protocol.BusAddresses}) and kept in Postgres.
 */
public interface Marketplace {

  /**
   * Starts the database (embedded or external), applies migrations and begins answering marketplace
   * frames.
   *
   * @return a future failed with an operator-facing message when the database cannot be started or
   *     reached
   */
  static Future<Marketplace> start(Vertx vertx, MarketplaceOptions options) {
    return MarketplaceRuntime.start(vertx, options);
  }

  /** Where the data lives, for logs (never includes a password). */
  String databaseDescription();

  /** Stops answering and closes the database. */
  Future<Void> close();
}
