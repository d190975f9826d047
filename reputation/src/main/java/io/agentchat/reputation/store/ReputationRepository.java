package io.agentchat.reputation.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Ratings, pair history, escrows and receipts in Postgres ({@code db/reputation}). Methods that
 * take a {@link SqlConnection} work inside the caller's transaction; the others read committed
 * data. Holds no connection of its own; thread-safe.
 *
 * <p>Every verb that changes an agent's standing first calls {@link #lockStandings}, which locks
 * both parties' rows in agent id order: two deals in opposite directions then wait for each other
 * instead of deadlocking, and everything else about those agents (capability ratings, pairs,
 * chains) is read and written under those locks.
 */
public final class ReputationRepository {
  /** A crude bound on {@link #withRow}: a refill costs one insert per agent. */
  private static final int MAX_KNOWN_ROWS = 1_000_000;

  private static final String ENSURE_STANDINGS =
      "INSERT INTO standings (agent_id, updated_at) SELECT id, $2 FROM unnest($1::text[]) AS id"
          + " ORDER BY id ON CONFLICT (agent_id) DO NOTHING RETURNING agent_id";

  private static final String LOCK_STANDINGS =
      "SELECT agent_id, rating, transactions, staked, receipts, head FROM standings"
          + " WHERE agent_id = ANY($1::text[]) ORDER BY agent_id FOR UPDATE";

  private static final String SAVE_STANDING =
      "UPDATE standings SET rating = $2, transactions = $3, staked = $4, receipts = $5, head = $6,"
          + " updated_at = $7 WHERE agent_id = $1";

  private static final String CAPABILITY_STANDINGS =
      "SELECT agent_id, capability, rating, transactions FROM capability_standings"
          + " WHERE agent_id = ANY($1::text[]) AND capability = $2";

  private static final String SAVE_CAPABILITY =
      "INSERT INTO capability_standings (agent_id, capability, rating, transactions, updated_at)"
          + " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (agent_id, capability) DO UPDATE"
          + " SET rating = EXCLUDED.rating, transactions = EXCLUDED.transactions,"
          + " updated_at = EXCLUDED.updated_at";

  private static final String PAIR =
      "SELECT completions, last_completed_at FROM pairs WHERE pair = $1";

  private static final String SAVE_PAIR =
      "INSERT INTO pairs (pair, completions, last_completed_at) VALUES ($1, $2, $3)"
          + " ON CONFLICT (pair) DO UPDATE SET completions = EXCLUDED.completions,"
          + " last_completed_at = EXCLUDED.last_completed_at";

  private static final String ESCROW =
      "SELECT proposal_id, proposer, proposer_stake, acceptor, acceptor_stake, status"
          + " FROM escrows WHERE proposal_id = $1";

  private static final String CREATE_ESCROW =
      "INSERT INTO escrows (proposal_id, proposer, proposer_stake, acceptor, acceptor_stake,"
          + " status, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, 'active', $6, $7)";

  private static final String SETTLE_ESCROW =
      "UPDATE escrows SET status = $2, settlement_reason = $3, settled_at = $4"
          + " WHERE proposal_id = $1 AND status = 'active'";

  private static final String NEXT_SEQ = "SELECT nextval('receipt_seq')";

  private static final String INSERT_RECEIPT =
      "INSERT INTO receipts (seq, server, proposal_id, type, from_agent, to_agent, settled_at,"
          + " hash, body, issued_here, counted, imported_at)"
          + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";

  private static final String RECEIPT_COLUMNS =
      "seq, server, proposal_id, hash, body, issued_here, counted";

  private static final String CHAIN =
      "SELECT "
          + RECEIPT_COLUMNS
          + " FROM receipts WHERE issued_here AND (from_agent = $1 OR to_agent = $1)"
          + " AND seq > $2 ORDER BY seq LIMIT $3";

  private static final String RECEIPTS_OF =
      "SELECT "
          + RECEIPT_COLUMNS
          + " FROM receipts WHERE (from_agent = $1 OR to_agent = $1) AND seq > $2"
          + " ORDER BY seq LIMIT $3";

  private static final String COUNTED =
      "SELECT "
          + RECEIPT_COLUMNS
          + " FROM receipts WHERE counted AND seq > $1 ORDER BY seq LIMIT $2";

  private static final String KNOWN_RECEIPT =
      "SELECT 1 FROM receipts WHERE server = $1 AND proposal_id = $2";

  private static final String ALL_STANDINGS =
      "SELECT agent_id, rating, transactions, staked, receipts, head FROM standings";

  private static final String ALL_CAPABILITIES =
      "SELECT agent_id, capability, rating, transactions FROM capability_standings";

  private static final String ONE_STANDING =
      "SELECT agent_id, rating, transactions, staked, receipts, head FROM standings"
          + " WHERE agent_id = $1";

  private static final String CAPABILITIES_OF =
      "SELECT agent_id, capability, rating, transactions FROM capability_standings"
          + " WHERE agent_id = $1 ORDER BY capability";

  private static final String LEADERBOARD =
      "SELECT agent_id, rating, transactions, staked, receipts, head FROM standings"
          + " WHERE transactions > 0 ORDER BY rating DESC, transactions DESC, agent_id LIMIT $1";

  private static final Function<Row, StandingRow> STANDING =
      r ->
          new StandingRow(
              r.getString("agent_id"),
              r.getLong("rating"),
              r.getLong("transactions"),
              r.getLong("staked"),
              r.getLong("receipts"),
              r.getString("head"));

  private static final Function<Row, CapabilityRow> CAPABILITY =
      r ->
          new CapabilityRow(
              r.getString("agent_id"),
              r.getString("capability"),
              r.getLong("rating"),
              r.getLong("transactions"));

  private static final Function<Row, StoredReceipt> RECEIPT =
      r ->
          new StoredReceipt(
              r.getLong("seq"),
              r.getString("server"),
              r.getString("proposal_id"),
              r.getString("hash"),
              r.getString("body"),
              r.getBoolean("issued_here"),
              r.getBoolean("counted"));

  /** A capability rating row. */
  public record CapabilityRow(String agentId, String capability, long rating, long transactions) {}

  /** A pair's completion history: how many completions counted, and when the last did. */
  public record PairRow(long completions, Long lastCompletedAt) {}

  /**
   * Agents whose standings row is known to be committed. No row is ever deleted, so once known,
   * always known: their rows are locked without first trying to insert them, a statement that costs
   * as much as the lock itself.
   */
  private final Set<String> withRow = ConcurrentHashMap.newKeySet();

  /** A repository; it holds no connection of its own. */
  public ReputationRepository() {}

  /**
   * Locks the agents' standings rows in agent id order, creating missing ones at the default
   * rating.
   *
   * <p>Its statements are sent at once, not after each other's answers: a statement the caller
   * sends on {@code tx} after this call runs once the locks are held, so independent reads can go
   * in the same round trip.
   *
   * @return each agent's row by id; failed if a row known to exist is gone
   */
  public Future<Map<String, StandingRow>> lockStandings(
      SqlConnection tx, List<String> agentIds, long now) {
    String[] ids = agentIds.stream().distinct().sorted().toArray(String[]::new);
    Future<?> ensured = Future.succeededFuture();
    if (!withRow.containsAll(Arrays.asList(ids))) {
      // Inserting first, before any row is locked, as every verb does: an insert that waits for
      // another transaction's insert of the same agent then holds no lock that one could need.
      ensured =
          tx.preparedQuery(ENSURE_STANDINGS)
              .execute(Tuple.of(ids, now))
              .onSuccess(
                  inserted -> {
                    // Rows inserted here are not committed yet; the others were already there.
                    Set<String> ours = new HashSet<>();
                    inserted.forEach(r -> ours.add(r.getString(0)));
                    if (withRow.size() >= MAX_KNOWN_ROWS) {
                      withRow.clear();
                    }
                    for (String id : ids) {
                      if (!ours.contains(id)) {
                        withRow.add(id);
                      }
                    }
                  });
    }
    Future<RowSet<Row>> locked = tx.preparedQuery(LOCK_STANDINGS).execute(Tuple.of((Object) ids));
    // An insert that failed fails the lock too (the transaction is aborted); report the insert's.
    return Future.all(ensured, locked)
        .map(
            all -> {
              RowSet<Row> rows = locked.result();
              Map<String, StandingRow> byId = new LinkedHashMap<>();
              rows.forEach(r -> byId.put(r.getString("agent_id"), STANDING.apply(r)));
              if (byId.size() < ids.length) {
                Arrays.asList(ids).forEach(withRow::remove);
                throw new IllegalStateException(
                    "standings rows of " + Arrays.toString(ids) + " vanished; try again");
              }
              return byId;
            });
  }

  /** Writes a locked standings row back. */
  public Future<Void> save(SqlConnection tx, StandingRow s, long now) {
    return tx.preparedQuery(SAVE_STANDING)
        .execute(
            Tuple.of(s.agentId(), s.rating(), s.transactions(), s.staked(), s.receipts())
                .addString(s.head())
                .addLong(now))
        .mapEmpty();
  }

  /** The agents' ratings for one capability (absent: never rated for it). */
  public Future<Map<String, CapabilityRow>> capabilityStandings(
      SqlConnection tx, List<String> agentIds, String capability) {
    return tx.preparedQuery(CAPABILITY_STANDINGS)
        .execute(Tuple.of(agentIds.toArray(new String[0]), capability))
        .map(
            rows -> {
              Map<String, CapabilityRow> byId = new LinkedHashMap<>();
              rows.forEach(r -> byId.put(r.getString("agent_id"), CAPABILITY.apply(r)));
              return byId;
            });
  }

  /** Writes an agent's rating for a capability. */
  public Future<Void> save(SqlConnection tx, CapabilityRow c, long now) {
    return tx.preparedQuery(SAVE_CAPABILITY)
        .execute(Tuple.of(c.agentId(), c.capability(), c.rating(), c.transactions(), now))
        .mapEmpty();
  }

  /** The completion history of an unordered pair ({@code a|b}, ids sorted). */
  public Future<PairRow> pair(SqlConnection tx, String pairKey) {
    return tx.preparedQuery(PAIR)
        .execute(Tuple.of(pairKey))
        .map(
            rows ->
                rows.size() == 0
                    ? new PairRow(0, null)
                    : new PairRow(
                        rows.iterator().next().getLong("completions"),
                        rows.iterator().next().getLong("last_completed_at")));
  }

  /** Writes a pair's completion history. */
  public Future<Void> savePair(SqlConnection tx, String pairKey, long completions, long lastAt) {
    return tx.preparedQuery(SAVE_PAIR).execute(Tuple.of(pairKey, completions, lastAt)).mapEmpty();
  }

  /** The escrow of a deal, whatever its status; empty when nothing was staked on it. */
  public Future<Optional<EscrowRow>> escrow(SqlConnection tx, String proposalId) {
    return tx.preparedQuery(ESCROW)
        .execute(Tuple.of(proposalId))
        .map(
            rows -> {
              if (rows.size() == 0) {
                return Optional.empty();
              }
              Row r = rows.iterator().next();
              return Optional.of(
                  new EscrowRow(
                      r.getString("proposal_id"),
                      r.getString("proposer"),
                      r.getLong("proposer_stake"),
                      r.getString("acceptor"),
                      r.getLong("acceptor_stake"),
                      r.getString("status")));
            });
  }

  /** Stores a new active escrow. */
  public Future<Void> createEscrow(SqlConnection tx, EscrowRow e, long now, Long expiresAt) {
    return tx.preparedQuery(CREATE_ESCROW)
        .execute(
            Tuple.of(
                    e.proposalId(),
                    e.proposer(),
                    e.proposerStake(),
                    e.acceptor(),
                    e.acceptorStake())
                .addLong(now)
                .addLong(expiresAt))
        .mapEmpty();
  }

  /** Ends an active escrow with a final status and the reason. */
  public Future<Void> settleEscrow(
      SqlConnection tx, String proposalId, String status, String reason, long now) {
    return tx.preparedQuery(SETTLE_ESCROW)
        .execute(Tuple.of(proposalId, status, reason, now))
        .mapEmpty();
  }

  /** The next receipt sequence number; drawn after the parties' rows are locked. */
  public Future<Long> nextSeq(SqlConnection tx) {
    return tx.query(NEXT_SEQ).execute().map(rows -> rows.iterator().next().getLong(0));
  }

  /** Stores a receipt. */
  public Future<Void> insertReceipt(
      SqlConnection tx,
      long seq,
      String server,
      String proposalId,
      String type,
      String from,
      String to,
      long settledAt,
      String hash,
      String body,
      boolean issuedHere,
      boolean counted,
      Long importedAt) {
    return tx.preparedQuery(INSERT_RECEIPT)
        .execute(
            Tuple.tuple()
                .addLong(seq)
                .addString(server)
                .addString(proposalId)
                .addString(type)
                .addString(from)
                .addString(to)
                .addLong(settledAt)
                .addString(hash)
                .addString(body)
                .addBoolean(issuedHere)
                .addBoolean(counted)
                .addLong(importedAt))
        .mapEmpty();
  }

  /** Whether a receipt of this server and deal is already kept. */
  public Future<Boolean> knows(SqlClient client, String server, String proposalId) {
    return client
        .preparedQuery(KNOWN_RECEIPT)
        .execute(Tuple.of(server, proposalId))
        .map(rows -> rows.size() > 0);
  }

  /** A page of the agent's chain of receipts issued here, oldest first, after {@code afterSeq}. */
  public Future<List<StoredReceipt>> chain(
      SqlClient client, String agentId, long afterSeq, int limit) {
    return client
        .preparedQuery(CHAIN)
        .execute(Tuple.of(agentId, afterSeq, limit))
        .map(rows -> list(rows, RECEIPT));
  }

  /** A page of every receipt kept here that involves the agent (issued here or imported). */
  public Future<List<StoredReceipt>> receiptsOf(
      SqlClient client, String agentId, long afterSeq, int limit) {
    return client
        .preparedQuery(RECEIPTS_OF)
        .execute(Tuple.of(agentId, afterSeq, limit))
        .map(rows -> list(rows, RECEIPT));
  }

  /** A page of the receipts counted in ratings, in the order they were counted. */
  public Future<List<StoredReceipt>> counted(SqlClient client, long afterSeq, int limit) {
    return client
        .preparedQuery(COUNTED)
        .execute(Tuple.of(afterSeq, limit))
        .map(rows -> list(rows, RECEIPT));
  }

  /** Every standings row. */
  public Future<List<StandingRow>> allStandings(SqlClient client) {
    return client.query(ALL_STANDINGS).execute().map(rows -> list(rows, STANDING));
  }

  /** Every capability rating. */
  public Future<List<CapabilityRow>> allCapabilities(SqlClient client) {
    return client.query(ALL_CAPABILITIES).execute().map(rows -> list(rows, CAPABILITY));
  }

  /** One agent's row, if it has one. */
  public Future<Optional<StandingRow>> standing(SqlClient client, String agentId) {
    return client
        .preparedQuery(ONE_STANDING)
        .execute(Tuple.of(agentId))
        .map(rows -> list(rows, STANDING).stream().findFirst());
  }

  /** One agent's capability ratings, by capability name. */
  public Future<List<CapabilityRow>> capabilitiesOf(SqlClient client, String agentId) {
    return client
        .preparedQuery(CAPABILITIES_OF)
        .execute(Tuple.of(agentId))
        .map(rows -> list(rows, CAPABILITY));
  }

  /** The best rated agents with at least one counted deal. */
  public Future<List<StandingRow>> leaderboard(SqlClient client, int limit) {
    return client
        .preparedQuery(LEADERBOARD)
        .execute(Tuple.of(limit))
        .map(rows -> list(rows, STANDING));
  }

  private static <T> List<T> list(RowSet<Row> rows, Function<Row, T> mapper) {
    List<T> out = new ArrayList<>(rows.size());
    rows.forEach(r -> out.add(mapper.apply(r)));
    return out;
  }
}
