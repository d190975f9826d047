package io.agentchat.marketplace;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentchat.marketplace.db.Database;
import io.agentchat.marketplace.impl.MarketplaceRuntime;
import io.agentchat.marketplace.spi.Schema;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/**
 * The skills registry and the proposal book, served over the event bus to the relay (see {@link
 * io.agentchat.protocol.BusAddresses}) and kept in the shared database.
 *
 * <pre>{@code
 * Database db = Database.start(vertx, config, List.of(Marketplace.SCHEMA)).await();
 * Marketplace market = Marketplace.start(vertx, db, new MarketplaceOptions()).await();
 * ...
 * market.close().await();
 * db.close().await();
 * }</pre>
 */
public interface Marketplace {

  /**
   * The marketplace's tables. Its history table keeps Flyway's default name, which databases made
   * before modules had schemas of their own already use.
   */
  Schema SCHEMA = new Schema("marketplace", "classpath:db/marketplace", "flyway_schema_history");

  /**
   * Starts the settlement plug-ins, loads the skill index and the standings, then begins answering
   * marketplace frames.
   *
   * @param database started, with {@link #SCHEMA} and every plug-in's schema migrated; the
   *     marketplace uses its pool and leaves closing it to the caller
   * @return a future completed once frames are answered, or failed with an operator-facing message
   */
  static Future<Marketplace> start(Vertx vertx, Database database, MarketplaceOptions options) {
    return MarketplaceRuntime.start(vertx, database, options);
  }

  /**
   * Proposals by status and the agents they involve, for {@code /health}. Counted at most every few
   * seconds; in between the last count is returned.
   */
  Future<ProposalCensus> census();

  /**
   * The skills an agent has registered, each as it registered it.
   *
   * @param agentId bare id
   * @return a future completed with them, empty when it has none
   */
  Future<List<ObjectNode>> skillsOf(String agentId);

  /**
   * A skills search as SEARCH_SKILLS runs it, for the HTTP API.
   *
   * @return a future completed with {@code {"results": [...], "total": n}}, each result shaped as
   *     in SEARCH_RESULTS; failed with a {@link io.agentchat.protocol.ProtocolException} of code
   *     SERVICE_UNAVAILABLE when too many searches are already waiting
   */
  Future<ObjectNode> searchSkills(
      String capability, BigDecimal maxRate, String currency, int limit);

  /**
   * A proposal as LIST_PROPOSALS shows it (without {@code type} and {@code ts}), as of now.
   *
   * @return a future completed with it, or empty when no proposal has this id
   */
  Future<Optional<ObjectNode>> proposal(String id);

  /** Whether the agent is logged in now, as far as the marketplace has heard from the relay. */
  boolean isOnline(String agentId);

  /**
   * Whether this server has met the agent: it logged in with a key at some time, or is online now.
   *
   * @param agentId bare id
   */
  Future<Boolean> isKnown(String agentId);

  /** Stops answering, stops the plug-ins and releases the skill index; the database stays open. */
  Future<Void> close();
}
