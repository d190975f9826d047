package io.agentchat.reputation;

import io.agentchat.marketplace.spi.Settlement;
import io.agentchat.marketplace.spi.Standings;
import io.agentchat.reputation.impl.ReputationService;
import io.agentchat.reputation.impl.ReputationSettlement;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/**
 * Reputation on this server: the settlement plug-in the marketplace runs (ratings, stakes,
 * receipts) and the read side behind the HTTP API and the CLI. Create one, wire {@link
 * #settlement()} and {@link #standings()} into the marketplace's options; the read methods work
 * once the marketplace has started the plug-in.
 */
public final class Reputation {
  private final ReputationSettlement settlement;
  private final ReputationService service;

  private Reputation(ReputationOptions options) {
    this.settlement = new ReputationSettlement(options);
    this.service = new ReputationService(settlement, options);
  }

  /** A reputation plug-in with these options; nothing starts until the marketplace starts it. */
  public static Reputation create(ReputationOptions options) {
    return new Reputation(options);
  }

  /** The plug-in, for {@code MarketplaceOptions.settlements}. */
  public Settlement settlement() {
    return settlement;
  }

  /** The ratings search ranks by, for {@code MarketplaceOptions.standings}. */
  public Standings standings() {
    return settlement;
  }

  /** This server's identity as receipts name it: {@code GET /v1/server}. */
  public ServerInfo server() {
    return service.server();
  }

  /** An agent's standing; empty when it never took part in a settled or staked deal. */
  public Future<Optional<AgentReputation>> agent(String agentId) {
    return service.agent(agentId);
  }

  /** The best rated agents with at least one counted deal, best first. */
  public Future<List<AgentReputation>> leaderboard(int limit) {
    return service.leaderboard(limit);
  }

  /**
   * An agent's receipt chain on this server as an export file: one receipt per line, oldest first,
   * then the signed HEAD line (SPEC.md, "Receipts").
   */
  public Future<String> exportJsonl(String agentId) {
    return service.exportJsonl(agentId);
  }

  /**
   * Imports a receipts file: verified whole or refused whole; receipts of trusted servers counted
   * in ratings in chronological order, others kept as history, duplicates ignored.
   *
   * @param fileText an export file (JSONL, or the JSON form)
   * @return a future completed with what happened to each receipt, or failed with an {@link
   *     ImportRefusedException} naming the problems when the file is refused
   */
  public Future<ImportReport> importFile(String fileText) {
    return service.importFile(fileText);
  }

  /**
   * Replays every counted receipt, in the order it was counted, and compares the ratings that gives
   * with the stored ones.
   */
  public Future<Recalculation> recalculate() {
    return service.recalculate();
  }

  /**
   * The server as receipts name it.
   *
   * @param id {@code @} + the id derived from its public key, as agent ids are
   * @param name its name
   * @param publicKey its Ed25519 public key (PEM)
   */
  public record ServerInfo(String id, String name, String publicKey) {}
}
