package io.agentchat.marketplace.store;

import io.agentchat.protocol.ErrorCode;
import io.agentchat.protocol.ProtocolException;
import io.vertx.core.Future;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import io.vertx.sqlclient.data.Numeric;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Proposals and their status machine ({@link ProposalStateMachine}). Every method runs in the
 * {@link SqlClient} it is given: the pool for a statement of its own, or the connection of the
 * verb's transaction, so that everything a verb writes commits together.
 *
 * <p>Reads never write. A pending proposal whose expiry has come reads as expired (status {@code
 * expired}, {@code updated_at} its expiry) until a verb or the sweep stores it so. Thread-safe.
 */
public final class ProposalRepository {
  /** The unique partial index that keeps one open proposal per signed digest. */
  static final String OPEN_DIGEST_INDEX = "proposals_open_digest";

  private static final String DUE = "status = 'pending' AND expires_at <= $NOW";

  private static final String COLUMNS =
      "id, from_agent, to_agent, task, amount, currency, payment_code, terms, expires_at, status,"
          + " created_at, updated_at, accepted_at, sig, proposer_stake, acceptor_stake,"
          + " response_sig, response_payment_code, reject_reason, completed_at, completed_by,"
          + " completion_proof, completion_sig, disputed_at, disputed_by, dispute_reason,"
          + " dispute_sig, signed_digest, capability, expires_in, dispute_settles_at,"
          + " dispute_settled_at, dispute_settlement, contested_by, contested_at, contest_reason,"
          + " contest_sig, lapsed_at";

  /** {@link #COLUMNS} with status and updated_at as of $NOW: a due proposal reads as expired. */
  private static final String COLUMNS_AS_OF_NOW =
      COLUMNS
          .replace(" status,", " CASE WHEN " + DUE + " THEN 'expired' ELSE status END AS status,")
          .replace(
              " updated_at,",
              " CASE WHEN " + DUE + " THEN expires_at ELSE updated_at END AS updated_at,");

  private static final String STATUS_AS_OF_NOW =
      "(CASE WHEN " + DUE + " THEN 'expired' ELSE status END)";

  private static final String INSERT =
      "INSERT INTO proposals (id, from_agent, to_agent, task, amount, currency, payment_code,"
          + " terms, expires_at, status, created_at, updated_at, sig, proposer_stake,"
          + " signed_digest, capability, expires_in)"
          + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending', $10, $10, $11, $12, $13, $14,"
          + " $15)"
          + " RETURNING "
          + COLUMNS;

  private static final String OPEN_WITH_DIGEST =
      "SELECT id FROM proposals WHERE signed_digest = $1 AND status IN ('pending', 'accepted')";

  private static final String EXPIRE_DUE_WITH_DIGEST =
      "UPDATE proposals SET status = 'expired', updated_at = expires_at"
          + " WHERE signed_digest = $1 AND "
          + DUE.replace("$NOW", "$2")
          + " RETURNING "
          + COLUMNS;

  private static final String SELECT_ONE =
      "SELECT " + COLUMNS_AS_OF_NOW.replace("$NOW", "$2") + " FROM proposals WHERE id = $1";

  private static final String LOCK_ONE =
      "SELECT " + COLUMNS + " FROM proposals WHERE id = $1 FOR UPDATE";

  private static final String EXPIRE_ONE =
      "UPDATE proposals SET status = 'expired', updated_at = expires_at"
          + " WHERE id = $1 AND "
          + DUE.replace("$NOW", "$2")
          + " RETURNING "
          + COLUMNS;

  /**
   * One guarded {@code UPDATE} per verb. Its {@code WHERE} is the state machine's condition for a
   * move, so Postgres, re-checking it after waiting on a concurrent writer's row lock, lets exactly
   * one of two racing verbs through. No row means "look up why" ({@link #change}).
   */
  private static final Map<ProposalVerb, String> GUARDED = guardedUpdates();

  private static final String LIST_FOR_AGENT =
      "SELECT "
          + COLUMNS_AS_OF_NOW.replace("$NOW", "$2")
          + " FROM proposals WHERE (from_agent = $1 OR to_agent = $1)"
          + " ORDER BY created_at DESC, id DESC LIMIT $3";

  private static final String LIST_FOR_AGENT_WITH_STATUS =
      "SELECT "
          + COLUMNS_AS_OF_NOW.replace("$NOW", "$2")
          + " FROM proposals WHERE (from_agent = $1 OR to_agent = $1) AND "
          + STATUS_AS_OF_NOW.replace("$NOW", "$2")
          + " = $4"
          + " ORDER BY created_at DESC, id DESC LIMIT $3";

  private static final String EXPIRE_DUE_BATCH =
      "WITH due AS (SELECT id FROM proposals WHERE "
          + DUE.replace("$NOW", "$1")
          + " ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED)"
          + " UPDATE proposals p SET status = 'expired', updated_at = p.expires_at"
          + " FROM due WHERE p.id = due.id RETURNING "
          + prefixed("p.");

  private static final String CONTEST =
      "UPDATE proposals SET updated_at = $2, contested_by = $3, contested_at = $2,"
          + " contest_reason = $4, contest_sig = $5, dispute_settled_at = $2,"
          + " dispute_settlement = 'mutual'"
          + " WHERE id = $1 AND status = 'disputed' AND dispute_settled_at IS NULL"
          + " AND dispute_settles_at > $2 AND disputed_by <> $3"
          + " AND (from_agent = $3 OR to_agent = $3)"
          + " RETURNING "
          + COLUMNS;

  private static final String SETTLE_DUE_DISPUTES =
      "WITH due AS (SELECT id FROM proposals WHERE status = 'disputed'"
          + " AND dispute_settled_at IS NULL AND dispute_settles_at <= $1"
          + " AND NOT (id = ANY($3::text[]))"
          + " ORDER BY dispute_settles_at LIMIT $2 FOR UPDATE SKIP LOCKED)"
          + " UPDATE proposals p SET dispute_settled_at = $1, dispute_settlement = 'unilateral',"
          + " updated_at = $1"
          + " FROM due WHERE p.id = due.id RETURNING "
          + prefixed("p.");

  private static final String LAPSE_DUE =
      "WITH due AS (SELECT id FROM proposals WHERE status = 'accepted' AND lapsed_at IS NULL"
          + " AND expires_at IS NOT NULL AND expires_at <= $1"
          + " AND NOT (id = ANY($3::text[]))"
          + " ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED)"
          + " UPDATE proposals p SET lapsed_at = $1"
          + " FROM due WHERE p.id = due.id RETURNING "
          + prefixed("p.");

  private static final String PENDING_TO_UNSEEN =
      "SELECT count(*) FROM proposals p WHERE p.from_agent = $1 AND p.status = 'pending'"
          + " AND (p.expires_at IS NULL OR p.expires_at > $2)"
          + " AND NOT EXISTS (SELECT 1 FROM agents a WHERE a.id = p.to_agent)";

  // Serialises one proposer's proposals to unseen agents, so two at once cannot both pass the cap.
  private static final String LOCK_PROPOSER =
      "SELECT pg_advisory_xact_lock(hashtext('proposals-to-unseen:' || $1))";

  private static final String STATUS_COUNTS =
      "SELECT "
          + STATUS_AS_OF_NOW.replace("$NOW", "$1")
          + " AS s, count(*) FROM proposals GROUP BY s";

  private static final String AGENTS_WITH_PROPOSALS =
      "SELECT count(*) FROM (SELECT from_agent FROM proposals UNION SELECT to_agent FROM proposals)"
          + " a";

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
              row.getString("signed_digest"),
              row.getString("capability"),
              row.getBigDecimal("expires_in"),
              row.getLong("dispute_settles_at"),
              row.getLong("dispute_settled_at"),
              row.getString("dispute_settlement"),
              row.getString("contested_by"),
              row.getLong("contested_at"),
              row.getString("contest_reason"),
              row.getString("contest_sig"),
              row.getLong("lapsed_at"));

  /** A repository; it holds no connection of its own. */
  public ProposalRepository() {}

  /**
   * Stores a new pending proposal. In a transaction, a unique violation (an open proposal with the
   * same signed digest, see {@link #openTwin}) aborts it: the caller rolls back and asks {@link
   * #openTwin} or {@link #expireDueTwin} in a new one.
   *
   * @return a future completed with the stored proposal, or failed with the database's error
   */
  public Future<Proposal> create(SqlClient client, NewProposal p) {
    return client
        .preparedQuery(INSERT)
        .mapping(PROPOSAL)
        .execute(insertTuple(p))
        .map(rows -> rows.iterator().next());
  }

  /** Whether {@code failure} is {@link #create} refused for an open proposal's twin. */
  public static boolean isOpenTwin(Throwable failure) {
    return SqlStates.isUniqueViolation(failure, OPEN_DIGEST_INDEX);
  }

  /**
   * The id of the open (pending or accepted) proposal with this signed digest, if any. A pending
   * one past its expiry still counts until it is stored as expired.
   */
  public Future<Optional<String>> openTwin(SqlClient client, String signedDigest) {
    return client
        .preparedQuery(OPEN_WITH_DIGEST)
        .execute(Tuple.of(signedDigest))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.empty()
                    : Optional.of(rows.iterator().next().getString(0)));
  }

  /**
   * Stores as expired the pending proposal with this signed digest if its expiry has come, so a
   * twin of it may be proposed.
   *
   * @return the proposals it expired (none or one)
   */
  public Future<List<Proposal>> expireDueTwin(SqlConnection tx, String signedDigest, long now) {
    return tx.preparedQuery(EXPIRE_DUE_WITH_DIGEST)
        .mapping(PROPOSAL)
        .execute(Tuple.of(signedDigest, now))
        .map(ProposalRepository::toList);
  }

  /**
   * The proposal with that id as of {@code now} (a due pending one reads as expired).
   *
   * @return a future completed with the proposal, or empty when there is none
   */
  public Future<Optional<Proposal>> find(SqlClient client, String id, long now) {
    return client
        .preparedQuery(SELECT_ONE)
        .mapping(PROPOSAL)
        .execute(Tuple.of(id, now))
        .map(rows -> Optional.ofNullable(first(rows)));
  }

  /**
   * Applies a verb inside the caller's transaction, following {@link ProposalStateMachine}. The
   * common case is one guarded {@code UPDATE}. When it changes nothing, the proposal is read under
   * its row lock to tell why: missing, refused by the table (a due pending proposal counts as
   * expired) or by the minimum age; or, if the row moved on between the two statements into a state
   * where the verb applies, the update runs again under the lock.
   *
   * @return a future completed with the proposal as the verb left it, or failed with the refusal
   *     ({@link ProtocolException}) or a database error; either way the caller rolls back
   */
  public Future<Proposal> change(SqlConnection tx, ProposalChange change) {
    return guarded(tx, change)
        .compose(
            done -> done.isPresent() ? Future.succeededFuture(done.get()) : explain(tx, change));
  }

  /**
   * Applies a verb as one statement of its own (the guarded {@code UPDATE}), for a verb that writes
   * nothing else: Postgres runs the statement as a transaction of its own.
   *
   * @return the proposal as the verb left it, or empty when the verb did not apply; then {@link
   *     #change} in a transaction tells why (or applies it, if the row moved meanwhile)
   */
  public Future<Optional<Proposal>> changeAlone(SqlClient client, ProposalChange change) {
    return guarded(client, change);
  }

  private Future<Proposal> explain(SqlConnection tx, ProposalChange change) {
    return tx.preparedQuery(LOCK_ONE)
        .mapping(PROPOSAL)
        .execute(Tuple.of(change.proposalId()))
        .compose(
            rows -> {
              Proposal locked = first(rows);
              if (locked == null) {
                throw ProposalStateMachine.missing(change.verb()).exception();
              }
              ProposalStatus status =
                  locked.isDue(change.at()) ? ProposalStatus.EXPIRED : locked.status();
              ProposalStateMachine.Outcome outcome =
                  ProposalStateMachine.outcome(
                      change.verb(), status, Party.of(locked, change.agentId()));
              if (outcome instanceof ProposalStateMachine.Refuse refuse) {
                throw refuse.exception();
              }
              if (change instanceof ProposalChange.Complete complete
                  && locked.acceptedAt() > complete.acceptedNoLaterThan()) {
                throw tooYoung(complete, locked.acceptedAt());
              }
              return guarded(tx, change)
                  .map(
                      again ->
                          again.orElseThrow(
                              () ->
                                  new IllegalStateException(
                                      "The guarded update of "
                                          + change.verb()
                                          + " disagrees with the state machine on "
                                          + locked.id())));
            });
  }

  /**
   * Stores a due pending proposal as expired, in the caller's transaction.
   *
   * @return the expired proposal, or empty when it was not due (or not pending)
   */
  public Future<Optional<Proposal>> expireIfDue(SqlConnection tx, String id, long now) {
    return tx.preparedQuery(EXPIRE_ONE)
        .mapping(PROPOSAL)
        .execute(Tuple.of(id, now))
        .map(rows -> Optional.ofNullable(first(rows)));
  }

  private static ProtocolException tooYoung(ProposalChange.Complete c, long acceptedAt) {
    long age = c.at() - acceptedAt;
    long remaining = (c.minAgeMillis() - age + 999) / 1000;
    return new ProtocolException(
        ErrorCode.RATE_LIMITED,
        "Proposal must be at least "
            + c.minAgeMillis() / 1000
            + "s old before completion ("
            + remaining
            + "s remaining)");
  }

  private Future<Optional<Proposal>> guarded(SqlClient client, ProposalChange change) {
    Tuple params;
    if (change instanceof ProposalChange.Accept a) {
      params = Tuple.of(a.proposalId(), a.at(), a.agentId(), a.sig(), a.paymentCode(), a.stake());
    } else if (change instanceof ProposalChange.Reject r) {
      params = Tuple.of(r.proposalId(), r.at(), r.agentId(), r.sig(), r.reason());
    } else if (change instanceof ProposalChange.Complete c) {
      params =
          Tuple.of(
              c.proposalId(), c.at(), c.agentId(), c.proof(), c.sig(), c.acceptedNoLaterThan());
    } else {
      ProposalChange.Dispute d = (ProposalChange.Dispute) change;
      params = Tuple.of(d.proposalId(), d.at(), d.agentId(), d.reason(), d.sig(), d.settlesAt());
    }
    return client
        .preparedQuery(GUARDED.get(change.verb()))
        .mapping(PROPOSAL)
        .execute(params)
        .map(rows -> Optional.ofNullable(first(rows)));
  }

  private static Map<ProposalVerb, String> guardedUpdates() {
    // $1 id, $2 now, $3 the caller; what each verb records follows.
    Map<ProposalVerb, String> sets = new EnumMap<>(ProposalVerb.class);
    sets.put(
        ProposalVerb.ACCEPT,
        "accepted_at = $2, response_sig = $4, response_payment_code = $5, acceptor_stake = $6");
    sets.put(ProposalVerb.REJECT, "response_sig = $4, reject_reason = $5");
    sets.put(
        ProposalVerb.COMPLETE,
        "completed_at = $2, completed_by = $3, completion_proof = $4, completion_sig = $5");
    sets.put(
        ProposalVerb.DISPUTE,
        "disputed_at = $2, disputed_by = $3, dispute_reason = $4, dispute_sig = $5,"
            + " dispute_settles_at = $6::bigint,"
            + " dispute_settled_at = CASE WHEN $6::bigint <= $2::bigint THEN $2::bigint END,"
            + " dispute_settlement = CASE WHEN $6::bigint <= $2::bigint THEN 'unilateral' END");
    Map<ProposalVerb, String> sql = new EnumMap<>(ProposalVerb.class);
    sets.forEach(
        (verb, set) -> {
          String guard = ProposalStateMachine.movesWhen(verb, "$3", "$2");
          if (verb == ProposalVerb.COMPLETE) {
            guard += " AND accepted_at <= $6"; // the minimum age, from acceptance
          }
          sql.put(
              verb,
              "UPDATE proposals SET status = '"
                  + ProposalStateMachine.target(verb).wire()
                  + "', updated_at = $2, "
                  + set
                  + " WHERE id = $1 AND "
                  + guard
                  + " RETURNING "
                  + COLUMNS);
        });
    return sql;
  }

  /**
   * The other party's answer to an open dispute: its own DISPUTE within the contest window, which
   * makes the dispute a mutual fault, settled at once.
   *
   * @return the proposal as contested and settled, or empty when there is no open dispute by the
   *     other party to answer (see {@link #disputeState})
   */
  public Future<Optional<Proposal>> contest(SqlConnection tx, DisputeContest c) {
    return tx.preparedQuery(CONTEST)
        .mapping(PROPOSAL)
        .execute(Tuple.of(c.proposalId(), c.at(), c.agentId(), c.reason(), c.sig()))
        .map(rows -> Optional.ofNullable(first(rows)));
  }

  /** The proposal as it stands, locked until the transaction ends; empty if there is none. */
  public Future<Optional<Proposal>> lock(SqlConnection tx, String id) {
    return tx.preparedQuery(LOCK_ONE)
        .mapping(PROPOSAL)
        .execute(Tuple.of(id))
        .map(rows -> Optional.ofNullable(first(rows)));
  }

  /**
   * One batch of the dispute sweep: settles up to {@code batch} disputes whose contest window
   * closed by {@code now} as unilateral, skipping any a verb holds locked and those in {@code
   * skipped}.
   *
   * @return the proposals settled, oldest window first, for the plug-ins to settle in the same
   *     transaction
   */
  public Future<List<Proposal>> settleDueDisputes(
      SqlConnection tx, long now, int batch, List<String> skipped) {
    return tx.preparedQuery(SETTLE_DUE_DISPUTES)
        .mapping(PROPOSAL)
        .execute(Tuple.of(now, batch, skipped.toArray(new String[0])))
        .map(ProposalRepository::toList)
        .map(
            list ->
                list.stream()
                    .sorted(
                        java.util.Comparator.comparingLong(Proposal::disputeSettlesAt)
                            .thenComparing(Proposal::id))
                    .toList());
  }

  /**
   * One batch of the lapse sweep: marks up to {@code batch} accepted proposals whose expiry passed
   * by {@code now} as lapsed (except those in {@code skipped}), for the plug-ins to release what
   * they hold for them. The deals stay accepted.
   */
  public Future<List<Proposal>> lapseDue(
      SqlConnection tx, long now, int batch, List<String> skipped) {
    return tx.preparedQuery(LAPSE_DUE)
        .mapping(PROPOSAL)
        .execute(Tuple.of(now, batch, skipped.toArray(new String[0])))
        .map(ProposalRepository::toList);
  }

  /**
   * The agent's proposals, as proposer or recipient, newest first, as of {@code now}.
   *
   * @param statusOrNull only proposals in this status (as of {@code now}), or null for all
   * @param limit at most this many (the caller bounds it)
   */
  public Future<List<Proposal>> forAgent(
      SqlClient client, String agentId, ProposalStatus statusOrNull, int limit, long now) {
    Future<RowSet<Proposal>> rows =
        statusOrNull == null
            ? client
                .preparedQuery(LIST_FOR_AGENT)
                .mapping(PROPOSAL)
                .execute(Tuple.of(agentId, now, limit))
            : client
                .preparedQuery(LIST_FOR_AGENT_WITH_STATUS)
                .mapping(PROPOSAL)
                .execute(Tuple.of(agentId, now, limit, statusOrNull.wire()));
    return rows.map(ProposalRepository::toList);
  }

  /**
   * One batch of the expiry sweep: stores up to {@code batch} pending proposals due at {@code now}
   * as expired, skipping any a verb holds locked (it will expire or move them itself).
   *
   * @return the proposals expired, for the plug-ins to release in the same transaction
   */
  public Future<List<Proposal>> expireDue(SqlConnection tx, long now, int batch) {
    return tx.preparedQuery(EXPIRE_DUE_BATCH)
        .mapping(PROPOSAL)
        .execute(Tuple.of(now, batch))
        .map(ProposalRepository::toList);
  }

  /**
   * Holds, until the transaction ends, the proposer's lock for proposals to agents this server has
   * never seen, then counts its pending ones.
   */
  public Future<Long> lockAndCountPendingToUnseen(SqlConnection tx, String fromAgent, long now) {
    return tx.preparedQuery(LOCK_PROPOSER)
        .execute(Tuple.of(fromAgent))
        .compose(v -> tx.preparedQuery(PENDING_TO_UNSEEN).execute(Tuple.of(fromAgent, now)))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  /**
   * For {@code /health}: proposals by status as of {@code now} (every status present, zeros
   * included) and the number of distinct agents party to any.
   */
  public Future<Census> census(SqlClient client, long now) {
    return client
        .preparedQuery(STATUS_COUNTS)
        .execute(Tuple.of(now))
        .compose(
            rows -> {
              Map<ProposalStatus, Long> byStatus = new LinkedHashMap<>();
              for (ProposalStatus s : ProposalStatus.values()) {
                byStatus.put(s, 0L);
              }
              rows.forEach(
                  r -> byStatus.put(ProposalStatus.fromWire(r.getString(0)), r.getLong(1)));
              return client
                  .query(AGENTS_WITH_PROPOSALS)
                  .execute()
                  .map(a -> new Census(byStatus, a.iterator().next().getLong(0)));
            });
  }

  /**
   * Proposals by status, and how many agents they involve.
   *
   * @param byStatus count per status, in status order
   * @param agents distinct agents that proposed or were proposed to
   */
  public record Census(Map<ProposalStatus, Long> byStatus, long agents) {
    /** All proposals. */
    public long total() {
      return byStatus.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private static String prefixed(String alias) {
    StringBuilder s = new StringBuilder();
    for (String column : COLUMNS.split(",")) {
      if (s.length() > 0) {
        s.append(", ");
      }
      s.append(alias).append(column.strip());
    }
    return s.toString();
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
          p.signedDigest(),
          p.capability(),
          numeric(p.expiresIn())
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
}
