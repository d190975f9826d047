package io.agentchat.marketplace.spi;

import io.vertx.core.Future;
import java.util.List;

/**
 * The read side of reputation: every standing that differs from {@link Standing#UNRATED}. The
 * marketplace loads them once at start into its skill index, which orders search results by them,
 * and from then on learns each change from the {@link SettlementOutcome} of the verb that made it,
 * after that verb commits.
 */
public interface Standings {
  /** No ratings at all: every agent is {@link Standing#UNRATED} (the marketplace alone). */
  Standings NONE = () -> Future.succeededFuture(List.of());

  /**
   * Every rated agent's standing, overall and per capability.
   *
   * @return a future completed with the standings; the marketplace does not start until it has them
   */
  Future<List<StandingChange>> all();
}
