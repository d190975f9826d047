package io.agentchat.reputation.impl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentchat.identity.AgentKey;
import io.agentchat.marketplace.spi.StandingChange;
import io.agentchat.reputation.AgentReputation;
import io.agentchat.reputation.ImportReport;
import io.agentchat.reputation.Recalculation;
import io.agentchat.reputation.ReceiptReplay;
import io.agentchat.reputation.Reputation.ServerInfo;
import io.agentchat.reputation.ReputationOptions;
import io.agentchat.reputation.elo.Rated;
import io.agentchat.reputation.elo.RatingBook;
import io.agentchat.reputation.receipts.ReceiptSeal;
import io.agentchat.reputation.receipts.ServerKey;
import io.agentchat.reputation.store.ReputationRepository;
import io.agentchat.reputation.store.ReputationRepository.CapabilityRow;
import io.agentchat.reputation.store.StandingRow;
import io.agentchat.reputation.store.StoredReceipt;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** The read side of reputation and its whole-file operations (export, import, replay). */
public final class ReputationService {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int PAGE = 1_000;

  private final ReputationSettlement settlement;
  private final ReputationOptions options;
  private final ReputationRepository repository = new ReputationRepository();

  public ReputationService(ReputationSettlement settlement, ReputationOptions options) {
    this.settlement = settlement;
    this.options = options;
  }

  private Pool pool() {
    Pool pool = settlement.pool();
    if (pool == null) {
      throw new IllegalStateException("the reputation plug-in has not started");
    }
    return pool;
  }

  public ServerInfo server() {
    ServerKey key = settlement.serverKey();
    return new ServerInfo(key.id(), key.name(), key.publicKeyPem());
  }

  public Future<Optional<AgentReputation>> agent(String agentId) {
    return repository
        .standing(pool(), agentId)
        .compose(
            row ->
                row.isEmpty()
                    ? Future.succeededFuture(Optional.<AgentReputation>empty())
                    : repository
                        .capabilitiesOf(pool(), agentId)
                        .map(caps -> Optional.of(reputation(row.get(), caps))));
  }

  public Future<List<AgentReputation>> leaderboard(int limit) {
    return repository
        .leaderboard(pool(), limit)
        .map(rows -> rows.stream().map(r -> reputation(r, List.of())).toList());
  }

  private static AgentReputation reputation(StandingRow s, List<CapabilityRow> caps) {
    Map<String, AgentReputation.Rating> byCap = new LinkedHashMap<>();
    for (CapabilityRow c : caps) {
      byCap.put(c.capability(), new AgentReputation.Rating(c.rating(), c.transactions()));
    }
    return new AgentReputation(
        s.agentId(), s.rating(), s.transactions(), s.staked(), s.receipts(), s.head(), byCap);
  }

  /** The agent's chain here, page by page, then the signed HEAD line. */
  public Future<String> exportJsonl(String agentId) {
    StringBuilder out = new StringBuilder();
    return exportFrom(agentId, 0, out, new long[] {0}, new String[] {null})
        .map(
            head -> {
              ServerKey key = settlement.serverKey();
              out.append(
                      ReceiptSeal.head(
                              "@" + agentId, head.count, head.hash, System.currentTimeMillis(), key)
                          .toString())
                  .append('\n');
              return out.toString();
            });
  }

  private record Head(long count, String hash) {}

  private Future<Head> exportFrom(
      String agentId, long afterSeq, StringBuilder out, long[] count, String[] last) {
    return repository
        .chain(pool(), agentId, afterSeq, PAGE)
        .compose(
            page -> {
              for (StoredReceipt r : page) {
                out.append(r.body()).append('\n');
                count[0]++;
                last[0] = r.hash();
              }
              if (page.size() < PAGE) {
                return Future.succeededFuture(new Head(count[0], last[0]));
              }
              return exportFrom(agentId, page.get(page.size() - 1).seq(), out, count, last);
            });
  }

  /** Replays counted receipts in counting order and compares with stored standings. */
  public Future<Recalculation> recalculate() {
    RatingBook book = new RatingBook();
    long[] replayed = {0};
    return replayFrom(0, book, replayed)
        .compose(
            v ->
                repository
                    .allStandings(pool())
                    .compose(
                        stored ->
                            repository
                                .allCapabilities(pool())
                                .map(caps -> compare(book, replayed[0], stored, caps))));
  }

  private Future<Void> replayFrom(long afterSeq, RatingBook book, long[] replayed) {
    return repository
        .counted(pool(), afterSeq, PAGE)
        .compose(
            page -> {
              for (StoredReceipt r : page) {
                book.apply(ReceiptReplay.deal(parse(r.body())));
                replayed[0]++;
              }
              return page.size() < PAGE
                  ? Future.succeededFuture()
                  : replayFrom(page.get(page.size() - 1).seq(), book, replayed);
            });
  }

  private static Recalculation compare(
      RatingBook book, long replayed, List<StandingRow> stored, List<CapabilityRow> caps) {
    List<String> differences = new ArrayList<>();
    Map<String, AgentReputation> ratings = new TreeMap<>();
    for (Map.Entry<String, Rated> e : book.ratings().entrySet()) {
      ratings.put(
          e.getKey(),
          new AgentReputation(
              e.getKey(),
              e.getValue().rating(),
              e.getValue().transactions(),
              0,
              0,
              null,
              Map.of()));
    }
    Set<String> storedIds = new HashSet<>();
    stored.forEach(s -> storedIds.add(s.agentId()));
    for (String agent : book.ratings().keySet()) {
      if (!storedIds.contains(agent)) {
        differences.add("@" + agent + ": receipts rate it, but no rating is stored");
      }
    }
    for (StandingRow s : stored) {
      Rated replay = book.rating(s.agentId());
      if (replay.rating() != s.rating() || replay.transactions() != s.transactions()) {
        differences.add(
            "@"
                + s.agentId()
                + ": stored "
                + s.rating()
                + " ("
                + s.transactions()
                + " deals), receipts give "
                + replay.rating()
                + " ("
                + replay.transactions()
                + " deals)");
      }
    }
    for (CapabilityRow c : caps) {
      Rated replay = book.rating(c.agentId(), c.capability());
      if (replay.rating() != c.rating() || replay.transactions() != c.transactions()) {
        differences.add(
            "@"
                + c.agentId()
                + " for "
                + c.capability()
                + ": stored "
                + c.rating()
                + ", receipts give "
                + replay.rating());
      }
    }
    return new Recalculation(replayed, List.copyOf(ratings.values()), differences);
  }

  /**
   * Verifies the whole file on a worker thread (a refusal names every problem), then, in one
   * transaction, keeps each receipt not already kept, counting those of trusted servers in ratings
   * in chronological order.
   */
  public Future<ImportReport> importFile(String fileText) {
    return settlement
        .vertx()
        .executeBlocking(() -> ImportFile.verified(fileText))
        .compose(
            file -> {
              boolean trusted = trusts(file.serverPubkey());
              String ours = settlement.serverKey().id();
              long now = System.currentTimeMillis();
              List<StandingChange> moved = new ArrayList<>();
              return pool()
                  .withTransaction(
                      tx ->
                          importEach(
                              file.receipts(), 0, tx, trusted, ours, now, moved, new ArrayList<>()))
                  .compose(
                      lines ->
                          settlement.standingsChanged(moved).map(v -> new ImportReport(lines)));
            });
  }

  private boolean trusts(String pem) {
    AgentKey key = AgentKey.fromPem(pem);
    for (String trusted : options.trustedServers()) {
      if (AgentKey.fromPem(trusted).equals(key)) {
        return true;
      }
    }
    return false;
  }

  private Future<List<ImportReport.Line>> importEach(
      List<JsonNode> receipts,
      int i,
      SqlConnection tx,
      boolean trusted,
      String ours,
      long now,
      List<StandingChange> moved,
      List<ImportReport.Line> lines) {
    if (i == receipts.size()) {
      return Future.succeededFuture(lines);
    }
    JsonNode r = receipts.get(i);
    String server = r.path("server").asText();
    String proposalId = r.path("proposal_id").asText();
    return repository
        .knows(tx, server, proposalId)
        .compose(
            known -> {
              if (known || server.equals(ours)) {
                lines.add(new ImportReport.Line(proposalId, server, ImportReport.DUPLICATE));
                return Future.<Void>succeededFuture();
              }
              lines.add(
                  new ImportReport.Line(
                      proposalId, server, trusted ? ImportReport.COUNTED : ImportReport.KEPT));
              return trusted ? settlement.count(r, tx, now, moved) : settlement.keep(r, tx, now);
            })
        .compose(v -> importEach(receipts, i + 1, tx, trusted, ours, now, moved, lines));
  }

  static JsonNode parse(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException("a stored receipt is not JSON", e);
    }
  }
}
