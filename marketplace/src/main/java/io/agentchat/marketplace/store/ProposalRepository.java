package io.agentchat.marketplace.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import io.vertx.sqlclient.data.Numeric;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Proposals and their status machine. Expiry is honoured on every read: a pending proposal whose
 * {@code expires_at} has come is stored as expired before it is returned. Thread-safe.
 */
public final class ProposalRepository {
  /** The unique partial index that keeps one open proposal per signed digest. */
  static final String OPEN_DIGEST_INDEX = "proposals_open_digest";

  private static final String COLUMNS =
      "id, from_agent, to_agent, task, amount, currency, payment_code, terms, expires_at, status,"
          + " created_at, updated_at, accepted_at, sig, proposer_stake, acceptor_stake,"
          + " response_sig, response_payment_code, reject_reason, completed_at, completed_by,"
          + " completion_proof, completion_sig, disputed_at, disputed_by, dispute_reason,"
          + " dispute_sig, signed_digest";

  private static final String INSERT =
      "INSERT INTO proposals (id, from_agent, to_agent, task, amount, currency, payment_code,"
          + " terms, expires_at, status, created_at, updated_at, sig, proposer_stake,"
          + " signed_digest)"
          + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending', $10, $10, $11, $12, $13)"
          + " RETURNING "
          + COLUMNS;

  private static final String OPEN_WITH_DIGEST =
      "SELECT id FROM proposals WHERE signed_digest = $1 AND status IN ('pending', 'accepted')";

  private static final String EXPIRE_DUE_WITH_DIGEST =
      "UPDATE proposals SET status = 'expired', updated_at = $2"
          + " WHERE signed_digest = $1 AND status = 'pending' AND expires_at <= $2";

  private static final String SELECT_ONE = "SELECT " + COLUMNS + " FROM proposals WHERE id = $1";

  private static final String SELECT_ONE_FOR_UPDATE = SELECT_ONE + " FOR UPDATE";

  private static final String EXPIRE_ONE_IF_DUE =
      "UPDATE proposals SET status = 'expired', updated_at = $2"
          + " WHERE id = $1 AND status = 'pending' AND expires_at <= $2";

  private static final String UPDATE_MUTABLE =
      "UPDATE proposals SET status = $2, updated_at = $3, accepted_at = $4, acceptor_stake = $5,"
          + " response_sig = $6, response_payment_code = $7, reject_reason = $8,"
          + " completed_at = $9, completed_by = $10, completion_proof = $11,"
          + " completion_sig = $12, disputed_at = $13, disputed_by = $14, dispute_reason = $15,"
          + " dispute_sig = $16"
          + " WHERE id = $1";

  // One-statement transitions for the common, successful case. Each WHERE holds every
  // precondition of its verb; Postgres re-checks it after waiting on a concurrent writer's row
  // lock, so of two racing verbs exactly one matches. No match means "ask transition() why".
  private static final String ACCEPT_IF_PENDING =
      "UPDATE proposals SET status = 'accepted', updated_at = $2, accepted_at = $2,"
          + " response_sig = $4, response_payment_code = $5, acceptor_stake = $6"
          + " WHERE id = $1 AND status = 'pending' AND to_agent = $3"
          + " AND (expires_at IS NULL OR expires_at > $2) RETURNING "
          + COLUMNS;

  private static final String REJECT_IF_PENDING =
      "UPDATE proposals SET status = 'rejected', updated_at = $2, response_sig = $4,"
          + " reject_reason = $5"
          + " WHERE id = $1 AND status = 'pending' AND to_agent = $3"
          + " AND (expires_at IS NULL OR expires_at > $2) RETURNING "
          + COLUMNS;

  private static final String COMPLETE_IF_ACCEPTED =
      "UPDATE proposals SET status = 'completed', updated_at = $2, completed_at = $2,"
          + " completed_by = $3, completion_proof = $4, completion_sig = $5"
          + " WHERE id = $1 AND status = 'accepted' AND (from_agent = $3 OR to_agent = $3)"
          + " AND accepted_at <= $6 RETURNING "
          + COLUMNS;

  private static final String DISPUTE_IF_ACCEPTED =
      "UPDATE proposals SET status = 'disputed', updated_at = $2, disputed_at = $2,"
          + " disputed_by = $3, dispute_reason = $4, dispute_sig = $5"
          + " WHERE id = $1 AND status = 'accepted' AND (from_agent = $3 OR to_agent = $3)"
          + " RETURNING "
          + COLUMNS;

  private static final String EXPIRE_DUE_FOR_AGENT =
      "UPDATE proposals SET status = 'expired', updated_at = $2"
          + " WHERE (from_agent = $1 OR to_agent = $1) AND status = 'pending'"
          + " AND expires_at <= $2";

  private static final String LIST_FOR_AGENT =
      "SELECT "
          + COLUMNS
          + " FROM proposals WHERE (from_agent = $1 OR to_agent = $1)"
          + " ORDER BY created_at DESC, id DESC LIMIT $2";

  private static final String LIST_FOR_AGENT_WITH_STATUS =
      "SELECT "
          + COLUMNS
          + " FROM proposals"
          + " WHERE (from_agent = $1 OR to_agent = $1) AND status = $2"
          + " ORDER BY created_at DESC, id DESC LIMIT $3";

  private static final String OPEN_FOR_AGENT =
      "SELECT "
          + COLUMNS
          + " FROM proposals"
          + " WHERE (to_agent = $1 AND status = 'pending'"
          + "        AND (expires_at IS NULL OR expires_at > $2))"
          + " OR (status = 'accepted' AND (from_agent = $1 OR to_agent = $1))"
          + " ORDER BY created_at, id";

  private static final String EXPIRE_DUE =
      "UPDATE proposals SET status = 'expired', updated_at = $1"
          + " WHERE status = 'pending' AND expires_at <= $1";

  private static final RowMapper<Proposal> PROPOSAL =
      row ->
          new Proposal(
              row.getString("id"),
              row.getString("from_agent"),
              row.getString("to_agent"),
              row.getString("task"),
              row.getBigDecimal("amount"),
              row.getString("currency"),
              row.getString("payment_code"),
              row.getString("terms"),
              row.getLong("expires_at"),
              ProposalStatus.fromWire(row.getString("status")),
              row.getLong("created_at"),
              row.getLong("updated_at"),
              row.getLong("accepted_at"),
              row.getString("sig"),
              row.getLong("proposer_stake"),
              row.getLong("acceptor_stake"),
              row.getString("response_sig"),
              row.getString("response_payment_code"),
              row.getString("reject_reason"),
              row.getLong("completed_at"),
              row.getString("completed_by"),
              row.getString("completion_proof"),
              row.getString("completion_sig"),
              row.getLong("disputed_at"),
              row.getString("disputed_by"),
              row.getString("dispute_reason"),
              row.getString("dispute_sig"),
              row.getString("signed_digest"));

  /** A duplicate insert is retried this often when its open twin expired or closed meanwhile. */
  private static final int DUPLICATE_RETRIES = 2;

  private final Pool pool;

  /** A repository over the marketplace pool. */
  public ProposalRepository(Pool pool) {
    this.pool = Objects.requireNonNull(pool, "pool");
  }

  /**
   * Stores a new pending proposal. An open (pending or accepted) proposal with the same signed
   * digest blocks it; one whose expiry has come is expired first and does not.
   *
   * @return a future completed with the stored proposal, or failed with {@link
   *     DuplicateProposalException} naming the open one
   */
  public Future<Proposal> create(NewProposal p) {
    return create(p, 0);
  }

  // The insert runs alone, one round trip: a twin blocking it is rare, so only then does the
  // twin's expiry get checked (and the insert retried if the twin was due).
  private Future<Proposal> create(NewProposal p, int attempt) {
    return pool.preparedQuery(INSERT)
        .mapping(PROPOSAL)
        .execute(insertTuple(p))
        .map(rows -> rows.iterator().next())
        .recover(
            failure -> {
              if (!SqlStates.isUniqueViolation(failure, OPEN_DIGEST_INDEX)) {
                return Future.failedFuture(failure);
              }
              boolean mayRetry = attempt < DUPLICATE_RETRIES;
              Future<Boolean> twinExpired =
                  mayRetry
                      ? pool.preparedQuery(EXPIRE_DUE_WITH_DIGEST)
                          .execute(Tuple.of(p.signedDigest(), p.createdAt()))
                          .map(expired -> expired.rowCount() > 0)
                      : Future.succeededFuture(false);
              return twinExpired.compose(
                  expired ->
                      expired
                          ? create(p, attempt + 1)
                          : pool.preparedQuery(OPEN_WITH_DIGEST)
                              .execute(Tuple.of(p.signedDigest()))
                              .compose(
                                  rows -> {
                                    if (rows.size() > 0) {
                                      return Future.failedFuture(
                                          new DuplicateProposalException(
                                              rows.iterator().next().getString(0)));
                                    }
                                    // The open twin closed between our insert and this look-up.
                                    return mayRetry
                                        ? create(p, attempt + 1)
                                        : Future.failedFuture(failure);
                                  }));
            });
  }

  /**
   * The proposal with that id as of now (wall clock); see {@link #find(String, long)}.
   *
   * @return a future completed with the proposal, or empty when there is none
   */
  public Future<Optional<Proposal>> find(String id) {
    return find(id, System.currentTimeMillis());
  }

  /**
   * The proposal with that id; if it is pending and due at {@code now}, it is stored as expired
   * first.
   *
   * @return a future completed with the proposal, or empty when there is none
   */
  public Future<Optional<Proposal>> find(String id, long now) {
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(EXPIRE_ONE_IF_DUE)
                .execute(Tuple.of(id, now))
                .compose(
                    v -> conn.preparedQuery(SELECT_ONE).mapping(PROPOSAL).execute(Tuple.of(id)))
                .map(rows -> Optional.ofNullable(first(rows))));
  }

  /**
   * Applies a rule to one proposal in one transaction: the row is read {@code FOR UPDATE} (so
   * racing transitions on the same proposal run one after the other and each sees the previous
   * one's result), stored as expired first when pending and due at {@code now}, then given to the
   * rule. {@link Transition#update} stores every mutable column of the updated proposal (status,
   * updated_at, accepted_at, acceptor_stake, response_*, reject_reason, completed_*, completion_*,
   * disputed_*, dispute_*; the signed fields never change) and commits; {@link Transition#none}
   * commits without changes; {@link Transition#refuse} (or a rule that throws a RuntimeException)
   * changes nothing but a due expiry, which is kept, and fails the future with the rule's
   * exception.
   *
   * @return a future completed with the rule's result, or failed with its refusal or a database
   *     error (then nothing was changed)
   */
  public <T> Future<T> transition(String id, long now, TransitionRule<T> rule) {
    Objects.requireNonNull(rule, "rule");
    return pool.<Outcome<T>>withTransaction(
            conn ->
                conn.preparedQuery(SELECT_ONE_FOR_UPDATE)
                    .mapping(PROPOSAL)
                    .execute(Tuple.of(id))
                    .compose(rows -> expireIfDue(conn, first(rows), now))
                    .compose(current -> decide(conn, id, current, rule)))
        .compose(Outcome::toFuture);
  }

  private static Future<Proposal> expireIfDue(SqlConnection conn, Proposal current, long now) {
    if (current == null || !current.isDue(now)) {
      return Future.succeededFuture(current);
    }
    return conn.preparedQuery(EXPIRE_ONE_IF_DUE)
        .execute(Tuple.of(current.id(), now))
        .map(v -> current.expired(now));
  }

  private static <T> Future<Outcome<T>> decide(
      SqlConnection conn, String id, Proposal current, TransitionRule<T> rule) {
    Transition<T> decision;
    try {
      decision = Objects.requireNonNull(rule.apply(Optional.ofNullable(current)), "rule result");
    } catch (RuntimeException refusal) {
      return Future.succeededFuture(new Outcome<>(null, refusal));
    }
    if (decision instanceof Transition.Refuse<T> refuse) {
      return Future.succeededFuture(new Outcome<>(null, refuse.reason()));
    }
    if (decision instanceof Transition.Update<T> update) {
      Proposal updated = update.updated();
      if (current == null || !updated.id().equals(id)) {
        return Future.failedFuture(
            new IllegalStateException("A rule may only update proposal " + id + " itself"));
      }
      return conn.preparedQuery(UPDATE_MUTABLE)
          .execute(updateTuple(updated))
          .map(v -> new Outcome<>(update.result(), null));
    }
    return Future.succeededFuture(new Outcome<>(((Transition.None<T>) decision).result(), null));
  }

  /**
   * ACCEPT in one statement: the recipient accepts a pending, unexpired proposal. Same effect as
   * {@link Proposal#accepted} under {@link #transition}.
   *
   * @return the accepted proposal, or empty when any precondition fails (nothing changed)
   */
  public Future<Optional<Proposal>> acceptIfPending(
      String id, String recipient, long now, String sig, String paymentCode, Long stake) {
    return updateOne(ACCEPT_IF_PENDING, Tuple.of(id, now, recipient, sig, paymentCode, stake));
  }

  /** REJECT in one statement; empty when any precondition fails. See {@link #acceptIfPending}. */
  public Future<Optional<Proposal>> rejectIfPending(
      String id, String recipient, long now, String sig, String reason) {
    return updateOne(REJECT_IF_PENDING, Tuple.of(id, now, recipient, sig, reason));
  }

  /**
   * COMPLETE in one statement: a party completes an accepted proposal accepted no later than {@code
   * acceptedNoLaterThan} (the minimum-age rule). Empty when any precondition fails.
   */
  public Future<Optional<Proposal>> completeIfAccepted(
      String id, String party, long now, String proof, String sig, long acceptedNoLaterThan) {
    return updateOne(
        COMPLETE_IF_ACCEPTED, Tuple.of(id, now, party, proof, sig, acceptedNoLaterThan));
  }

  /** DISPUTE in one statement; empty when any precondition fails. */
  public Future<Optional<Proposal>> disputeIfAccepted(
      String id, String party, long now, String reason, String sig) {
    return updateOne(DISPUTE_IF_ACCEPTED, Tuple.of(id, now, party, reason, sig));
  }

  private Future<Optional<Proposal>> updateOne(String sql, Tuple params) {
    return pool.preparedQuery(sql)
        .mapping(PROPOSAL)
        .execute(params)
        .map(rows -> Optional.ofNullable(first(rows)));
  }

  /**
   * The agent's proposals (as proposer or recipient) as of now (wall clock); see {@link
   * #forAgent(String, ProposalStatus, int, long)}.
   */
  public Future<List<Proposal>> forAgent(String agentId, ProposalStatus statusOrNull, int limit) {
    return forAgent(agentId, statusOrNull, limit, System.currentTimeMillis());
  }

  /**
   * The agent's proposals, as proposer or recipient, newest first; pending ones due at {@code now}
   * are stored as expired first, so they are reported (and filtered) as expired.
   *
   * @param statusOrNull only proposals in this status, or null for all
   * @param limit at most this many (the caller bounds it)
   * @return a future completed with the list
   */
  public Future<List<Proposal>> forAgent(
      String agentId, ProposalStatus statusOrNull, int limit, long now) {
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(EXPIRE_DUE_FOR_AGENT)
                .execute(Tuple.of(agentId, now))
                .compose(
                    v ->
                        statusOrNull == null
                            ? conn.preparedQuery(LIST_FOR_AGENT)
                                .mapping(PROPOSAL)
                                .execute(Tuple.of(agentId, limit))
                            : conn.preparedQuery(LIST_FOR_AGENT_WITH_STATUS)
                                .mapping(PROPOSAL)
                                .execute(Tuple.of(agentId, statusOrNull.wire(), limit)))
                .map(ProposalRepository::toList));
  }

  /**
   * What an agent should hear about when it comes online: pending proposals addressed to it that
   * are not due at {@code now}, and accepted ones where it is a party; oldest first.
   *
   * @return a future completed with the list
   */
  public Future<List<Proposal>> openFor(String agentId, long now) {
    return pool.preparedQuery(OPEN_FOR_AGENT)
        .mapping(PROPOSAL)
        .execute(Tuple.of(agentId, now))
        .map(ProposalRepository::toList);
  }

  /**
   * The expiry sweep: stores every pending proposal due at {@code now} as expired.
   *
   * @return a future completed with the number of proposals expired
   */
  public Future<Integer> expireDue(long now) {
    return pool.preparedQuery(EXPIRE_DUE).execute(Tuple.of(now)).map(RowSet::rowCount);
  }

  private static Tuple insertTuple(NewProposal p) {
    return Tuple.wrap(
        new Object[] {
          p.id(),
          p.fromAgent(),
          p.toAgent(),
          p.task(),
          numeric(p.amount()),
          p.currency(),
          p.paymentCode(),
          p.terms(),
          p.expiresAt(),
          p.createdAt(),
          p.sig(),
          p.proposerStake(),
          p.signedDigest()
        });
  }

  private static Tuple updateTuple(Proposal p) {
    return Tuple.wrap(
        new Object[] {
          p.id(),
          p.status().wire(),
          p.updatedAt(),
          p.acceptedAt(),
          p.acceptorStake(),
          p.responseSig(),
          p.responsePaymentCode(),
          p.rejectReason(),
          p.completedAt(),
          p.completedBy(),
          p.completionProof(),
          p.completionSig(),
          p.disputedAt(),
          p.disputedBy(),
          p.disputeReason(),
          p.disputeSig()
        });
  }

  private static Numeric numeric(BigDecimal value) {
    return value == null ? null : Numeric.create(value);
  }

  private static <R> R first(RowSet<R> rows) {
    return rows.size() == 0 ? null : rows.iterator().next();
  }

  private static <R> List<R> toList(RowSet<R> rows) {
    List<R> list = new ArrayList<>(rows.size());
    rows.forEach(list::add);
    return list;
  }

  /** A transition's result or refusal, carried out of the transaction so it commits either way. */
  private record Outcome<T>(T result, RuntimeException refusal) {
    Future<T> toFuture() {
      return refusal == null ? Future.succeededFuture(result) : Future.failedFuture(refusal);
    }
  }
}
