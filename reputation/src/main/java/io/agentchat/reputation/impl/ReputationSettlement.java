package io.agentchat.reputation.impl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentchat.marketplace.spi.ProposalView;
import io.agentchat.marketplace.spi.ReleaseReason;
import io.agentchat.marketplace.spi.Schema;
import io.agentchat.marketplace.spi.Settlement;
import io.agentchat.marketplace.spi.SettlementContext;
import io.agentchat.marketplace.spi.SettlementOutcome;
import io.agentchat.marketplace.spi.Standing;
import io.agentchat.marketplace.spi.StandingChange;
import io.agentchat.marketplace.spi.Standings;
import io.agentchat.protocol.ErrorCode;
import io.agentchat.protocol.ProtocolException;
import io.agentchat.reputation.ReceiptReplay;
import io.agentchat.reputation.ReputationOptions;
import io.agentchat.reputation.elo.CapabilityChange;
import io.agentchat.reputation.elo.Deal;
import io.agentchat.reputation.elo.Elo;
import io.agentchat.reputation.elo.Outcome;
import io.agentchat.reputation.elo.PairHistory;
import io.agentchat.reputation.elo.PartyChange;
import io.agentchat.reputation.elo.Rated;
import io.agentchat.reputation.elo.Verdict;
import io.agentchat.reputation.receipts.ReceiptSeal;
import io.agentchat.reputation.receipts.ServerKey;
import io.agentchat.reputation.store.EscrowRow;
import io.agentchat.reputation.store.ReputationRepository;
import io.agentchat.reputation.store.ReputationRepository.CapabilityRow;
import io.agentchat.reputation.store.ReputationRepository.PairRow;
import io.agentchat.reputation.store.StandingRow;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The reputation plug-in: ELO stakes locked at ACCEPT; at COMPLETE and at a dispute's settlement,
 * both ratings (and the deal's capability ratings) moved, the stakes settled and a sealed receipt
 * stored, all in the verb's transaction; stakes released when a deal lapses. Ratings are a pure
 * function of the receipts counted here, in the order they were counted.
 */
public final class ReputationSettlement implements Settlement, Standings {
  /** The plug-in's tables. */
  public static final Schema SCHEMA = Schema.of("reputation");

  private final ReputationOptions options;
  private final ReputationRepository repository = new ReputationRepository();
  private volatile ServerKey key;
  private volatile Pool pool;
  private volatile SettlementContext context;

  /** A plug-in with these options; {@link #start} loads or creates the server's key. */
  public ReputationSettlement(ReputationOptions options) {
    this.options = options;
  }

  @Override
  public String name() {
    return "reputation";
  }

  @Override
  public Optional<Schema> schema() {
    return Optional.of(SCHEMA);
  }

  @Override
  public Future<Void> start(SettlementContext context) {
    this.pool = context.pool();
    this.context = context;
    // File I/O and, the first time, key generation: never on the event loop.
    return context
        .vertx()
        .executeBlocking(() -> ServerKey.loadOrCreate(options.dataDir(), options.serverName()))
        .onSuccess(k -> key = k)
        .mapEmpty();
  }

  /** The server's key, once started. */
  public ServerKey serverKey() {
    if (key == null) {
      throw new IllegalStateException("the reputation plug-in has not started");
    }
    return key;
  }

  /** The pool it reads from, once started. */
  Pool pool() {
    return pool;
  }

  /** The server's Vert.x, once started. */
  io.vertx.core.Vertx vertx() {
    return context.vertx();
  }

  /** Tells the marketplace's search about standings changed outside a verb. */
  Future<Void> standingsChanged(List<StandingChange> changes) {
    return changes.isEmpty()
        ? Future.succeededFuture()
        : context.standingsChanged().apply(changes).otherwiseEmpty();
  }

  // ---------------------------------------------------------------------------------- import

  /**
   * Counts an imported receipt of a trusted server in ratings, as replay would: the same deal fed
   * to the same formulas on this server's standings, then keeps it.
   */
  Future<Void> count(JsonNode receipt, SqlConnection tx, long now, List<StandingChange> moved) {
    Deal deal = ReceiptReplay.deal(receipt);
    return readUnderLocks(tx, deal.from(), deal.to(), deal.verdict(), deal.capability(), now)
        .compose(
            before -> {
              Outcome outcome = before.outcome(deal);
              List<Future<Void>> writes =
                  applyRatings(tx, deal, outcome, before, 0, 0, null, now, moved);
              writes.add(
                  repository.insertReceipt(
                      tx,
                      before.seq(),
                      receipt.path("server").asText(),
                      deal.proposalId(),
                      receipt.path("type").asText(),
                      deal.from(),
                      deal.to(),
                      receipt.path("settled_at").asLong(),
                      receipt.path("hash").asText(),
                      receipt.toString(),
                      false,
                      true,
                      now));
              return Future.all(writes).<Void>mapEmpty();
            });
  }

  /**
   * What a settlement reads under both parties' locks: their standings rows, the pair's completion
   * history (for a completion), their ratings for the deal's capability, and the receipt sequence
   * number, drawn under the locks so counting order is settlement order.
   */
  private record Before(
      Map<String, StandingRow> rows,
      String pairKey,
      PairRow pair,
      Map<String, CapabilityRow> capabilities,
      long seq) {

    StandingRow row(String agent) {
      return rows.get(agent);
    }

    /** The deal settled on these standings. */
    Outcome outcome(Deal deal) {
      StandingRow from = row(deal.from());
      StandingRow to = row(deal.to());
      return Elo.settle(
          deal,
          new Rated(from.rating(), from.transactions()),
          new Rated(to.rating(), to.transactions()),
          capabilityRated(capabilities, deal.from(), deal.capability()),
          capabilityRated(capabilities, deal.to(), deal.capability()),
          new PairHistory(pair.completions(), pair.lastCompletedAt()));
    }
  }

  /**
   * Locks both parties' standings and reads the rest of {@link Before}, pipelined behind the lock
   * on the one connection: Postgres runs the reads once it holds both rows, so they read under the
   * locks, and all answer in one round trip. A statement the caller sends on {@code tx} right after
   * this call joins that round trip too.
   */
  private Future<Before> readUnderLocks(
      SqlConnection tx, String from, String to, Verdict verdict, String capability, long now) {
    String pairKey = Parties.pairKey(from, to);
    Future<Map<String, StandingRow>> rows = repository.lockStandings(tx, List.of(from, to), now);
    Future<PairRow> pair =
        verdict == Verdict.COMPLETED
            ? repository.pair(tx, pairKey)
            : Future.succeededFuture(new PairRow(0, null));
    Future<Map<String, CapabilityRow>> capabilities =
        capability == null
            ? Future.succeededFuture(Map.of())
            : repository.capabilityStandings(tx, List.of(from, to), capability);
    Future<Long> seq = repository.nextSeq(tx);
    return Future.all(rows, pair, capabilities, seq)
        .map(
            read ->
                new Before(
                    rows.result(), pairKey, pair.result(), capabilities.result(), seq.result()));
  }

  /** Keeps an imported receipt of a server not trusted here, as history that counts nowhere. */
  Future<Void> keep(JsonNode receipt, SqlConnection tx, long now) {
    return repository
        .nextSeq(tx)
        .compose(
            seq ->
                repository.insertReceipt(
                    tx,
                    seq,
                    receipt.path("server").asText(),
                    receipt.path("proposal_id").asText(),
                    receipt.path("type").asText(),
                    bare(receipt.path("from").asText()),
                    bare(receipt.path("to").asText()),
                    receipt.path("settled_at").asLong(),
                    receipt.path("hash").asText(),
                    receipt.toString(),
                    false,
                    false,
                    now));
  }

  private static String bare(String id) {
    return id.startsWith("@") ? id.substring(1) : id;
  }

  // ---------------------------------------------------------------------------------- ACCEPT

  @Override
  public Future<Void> accept(ProposalView p, SqlConnection tx) {
    long proposerStake = stake(p.proposerStake());
    long acceptorStake = stake(p.acceptorStake());
    if (proposerStake == 0 && acceptorStake == 0) {
      return Future.succeededFuture();
    }
    long now = p.acceptedAt() != null ? p.acceptedAt() : p.updatedAt();
    return repository
        .lockStandings(tx, List.of(p.from(), p.to()), now)
        .compose(
            rows -> {
              StandingRow proposer = rows.get(p.from());
              StandingRow acceptor = rows.get(p.to());
              // The reference checks the proposer's stake first, then the acceptor's.
              refuseIfShort(proposer, proposerStake, true);
              refuseIfShort(acceptor, acceptorStake, false);
              EscrowRow escrow =
                  new EscrowRow(
                      p.id(), p.from(), proposerStake, p.to(), acceptorStake, EscrowRow.ACTIVE);
              return repository
                  .createEscrow(tx, escrow, now, p.expiresAt())
                  .compose(v -> repository.save(tx, staked(proposer, proposerStake), now))
                  .compose(v -> repository.save(tx, staked(acceptor, acceptorStake), now));
            });
  }

  private static void refuseIfShort(StandingRow row, long stake, boolean proposer) {
    if (stake <= 0) {
      return;
    }
    long available = Elo.available(row.rating(), row.staked());
    Elo.stakeRefusal(available, stake, proposer)
        .ifPresent(
            message -> {
              throw new ProtocolException(ErrorCode.INSUFFICIENT_REPUTATION, message);
            });
  }

  private static StandingRow staked(StandingRow row, long delta) {
    return new StandingRow(
        row.agentId(),
        row.rating(),
        row.transactions(),
        row.staked() + delta,
        row.receipts(),
        row.head());
  }

  // ------------------------------------------------------------------ COMPLETE and DISPUTE

  @Override
  public Future<SettlementOutcome> complete(ProposalView p, SqlConnection tx) {
    return settle(p, Verdict.COMPLETED, p.completedAt(), tx);
  }

  @Override
  public Future<SettlementOutcome> dispute(ProposalView p, SqlConnection tx) {
    Verdict verdict =
        ProposalView.MUTUAL.equals(p.disputeSettlement()) ? Verdict.MUTUAL : Verdict.UNILATERAL;
    long at = p.disputeSettledAt() != null ? p.disputeSettledAt() : p.updatedAt();
    return settle(p, verdict, at, tx);
  }

  /**
   * Moves both ratings, settles the escrow and stores the sealed receipt, on the verb's connection.
   * Both parties' rows are locked first; everything after reads under those locks.
   */
  private Future<SettlementOutcome> settle(
      ProposalView p, Verdict verdict, long at, SqlConnection tx) {
    if (p.fromPubkey() == null || p.toPubkey() == null) {
      return Future.failedFuture(
          new IllegalStateException("no public key on record for a party of " + p.id()));
    }
    String capability = p.capability() == null ? null : p.capability().toLowerCase(Locale.ROOT);
    Future<Before> before = readUnderLocks(tx, p.from(), p.to(), verdict, capability, at);
    // accept() keeps an escrow only for a deal with a stake: none to read for the others. Sent
    // right behind the lock, it joins the same round trip.
    boolean staked = stake(p.proposerStake()) > 0 || stake(p.acceptorStake()) > 0;
    Future<Optional<EscrowRow>> escrow =
        staked ? repository.escrow(tx, p.id()) : Future.succeededFuture(Optional.empty());
    return Future.all(before, escrow)
        .compose(
            read ->
                write(
                    p,
                    verdict,
                    at,
                    capability,
                    before.result(),
                    escrow.result().filter(EscrowRow::active),
                    tx));
  }

  private Future<SettlementOutcome> write(
      ProposalView p,
      Verdict verdict,
      long at,
      String capability,
      Before before,
      Optional<EscrowRow> escrow,
      SqlConnection tx) {
    StandingRow from = before.row(p.from());
    StandingRow to = before.row(p.to());
    long proposerStake = escrow.map(EscrowRow::proposerStake).orElse(0L);
    long acceptorStake = escrow.map(EscrowRow::acceptorStake).orElse(0L);
    Deal deal =
        new Deal(
            p.id(),
            p.from(),
            p.to(),
            Deal.weighed(p.amount(), p.currency()),
            capability,
            proposerStake,
            acceptorStake,
            verdict,
            verdict == Verdict.UNILATERAL ? p.disputedBy() : null,
            at);
    Outcome outcome = before.outcome(deal);
    ObjectNode ratingChanges = outcome.ratingChanges();
    ObjectNode receipt =
        ReceiptBody.of(
            p,
            verdict == Verdict.COMPLETED,
            before.seq(),
            at,
            ratingChanges,
            key.id(),
            from.head(),
            to.head());
    ObjectNode sealed = ReceiptSeal.seal(receipt, key);
    String hash = sealed.get("hash").asText();

    List<StandingChange> standings = new ArrayList<>();
    List<Future<Void>> writes =
        applyRatings(tx, deal, outcome, before, proposerStake, acceptorStake, hash, at, standings);
    if (escrow.isPresent()) {
      writes.add(
          repository.settleEscrow(
              tx,
              p.id(),
              escrowStatus(verdict),
              verdict == Verdict.COMPLETED ? "completed" : "disputed",
              at));
    }
    writes.add(
        repository.insertReceipt(
            tx,
            before.seq(),
            key.id(),
            p.id(),
            sealed.get("type").asText(),
            p.from(),
            p.to(),
            at,
            hash,
            sealed.toString(),
            true,
            true,
            null));
    return Future.all(writes).map(v -> new SettlementOutcome(ratingChanges, null, standings));
  }

  /**
   * Writes what a settled deal changes in standings, capability ratings and the pair's history, and
   * records each changed standing in {@code standings}.
   *
   * @param proposerStake the proposer's stake leaving escrow (0 for none)
   * @param acceptorStake the acceptor's stake leaving escrow
   * @param hash the new head of both parties' chains here, or null to leave their chains alone (an
   *     imported receipt)
   */
  private List<Future<Void>> applyRatings(
      SqlConnection tx,
      Deal deal,
      Outcome outcome,
      Before before,
      long proposerStake,
      long acceptorStake,
      String hash,
      long at,
      List<StandingChange> standings) {
    StandingRow newFrom = after(before.row(deal.from()), outcome.from(), proposerStake, hash);
    StandingRow newTo = after(before.row(deal.to()), outcome.to(), acceptorStake, hash);
    PairRow pair = before.pair();
    String pairKey = before.pairKey();
    List<Future<Void>> writes = new ArrayList<>();
    writes.add(repository.save(tx, newFrom, at));
    writes.add(repository.save(tx, newTo, at));
    standings.add(new StandingChange(deal.from(), null, standing(newFrom)));
    standings.add(new StandingChange(deal.to(), null, standing(newTo)));
    if (outcome.capability().isPresent()) {
      CapabilityChange moved = outcome.capability().get();
      for (PartyChange c : List.of(moved.from(), moved.to())) {
        writes.add(
            repository.save(
                tx,
                new CapabilityRow(c.agentId(), moved.name(), c.newRating(), c.transactions()),
                at));
        standings.add(
            new StandingChange(
                c.agentId(), moved.name(), new Standing(c.newRating(), c.transactions())));
      }
    }
    PairHistory pairAfter = outcome.pairAfter();
    if (deal.verdict() == Verdict.COMPLETED
        && pairAfter.lastCompletedAt() != null
        && !pairAfter.equals(new PairHistory(pair.completions(), pair.lastCompletedAt()))) {
      writes.add(
          repository.savePair(tx, pairKey, pairAfter.completions(), pairAfter.lastCompletedAt()));
    }
    return writes;
  }

  private static Rated capabilityRated(
      Map<String, CapabilityRow> capabilities, String agent, String capability) {
    if (capability == null) {
      return null;
    }
    CapabilityRow row = capabilities.get(agent);
    return row == null ? Rated.UNRATED : new Rated(row.rating(), row.transactions());
  }

  private static StandingRow after(StandingRow row, PartyChange change, long stake, String hash) {
    return new StandingRow(
        row.agentId(),
        change.newRating(),
        change.transactions(),
        row.staked() - stake,
        hash == null ? row.receipts() : row.receipts() + 1,
        hash == null ? row.head() : hash);
  }

  private static Standing standing(StandingRow row) {
    return new Standing(row.rating(), row.transactions());
  }

  private static String escrowStatus(Verdict verdict) {
    return switch (verdict) {
      case COMPLETED -> "returned";
      case UNILATERAL -> "transferred";
      case MUTUAL -> "burned";
    };
  }

  // --------------------------------------------------------------------------------- release

  @Override
  public Future<Void> release(ProposalView p, ReleaseReason reason, SqlConnection tx) {
    if (reason != ReleaseReason.LAPSED) {
      // Stakes are locked at ACCEPT: a rejected or expired pending proposal holds nothing.
      return Future.succeededFuture();
    }
    long now = System.currentTimeMillis();
    return repository
        .escrow(tx, p.id())
        .compose(
            escrow -> {
              if (escrow.isEmpty() || !escrow.get().active()) {
                return Future.succeededFuture();
              }
              EscrowRow e = escrow.get();
              return repository
                  .lockStandings(tx, List.of(e.proposer(), e.acceptor()), now)
                  .compose(
                      rows ->
                          repository
                              .save(tx, staked(rows.get(e.proposer()), -e.proposerStake()), now)
                              .compose(
                                  v ->
                                      repository.save(
                                          tx,
                                          staked(rows.get(e.acceptor()), -e.acceptorStake()),
                                          now))
                              .compose(
                                  v ->
                                      repository.settleEscrow(
                                          tx, e.proposalId(), "released", "expired", now)));
            });
  }

  // ------------------------------------------------------------------------------- standings

  @Override
  public Future<List<StandingChange>> all() {
    return repository
        .allStandings(pool)
        .compose(
            overall ->
                repository
                    .allCapabilities(pool)
                    .map(
                        caps -> {
                          List<StandingChange> all = new ArrayList<>();
                          for (StandingRow s : overall) {
                            if (s.transactions() > 0 || s.rating() != Standing.UNRATED.rating()) {
                              all.add(new StandingChange(s.agentId(), null, standing(s)));
                            }
                          }
                          for (CapabilityRow c : caps) {
                            all.add(
                                new StandingChange(
                                    c.agentId(),
                                    c.capability(),
                                    new Standing(c.rating(), c.transactions())));
                          }
                          return all;
                        }));
  }

  private static long stake(Long stake) {
    return stake == null || stake < 0 ? 0 : stake;
  }
}
