package io.agentchat.marketplace.impl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.agentchat.identity.AgentIds;
import io.agentchat.marketplace.MarketplaceOptions;
import io.agentchat.marketplace.spi.ReleaseReason;
import io.agentchat.marketplace.spi.SettlementOutcome;
import io.agentchat.marketplace.spi.StandingChange;
import io.agentchat.marketplace.store.AgentRepository;
import io.agentchat.marketplace.store.DisputeContest;
import io.agentchat.marketplace.store.DuplicateProposalException;
import io.agentchat.marketplace.store.NewProposal;
import io.agentchat.marketplace.store.NoticeRepository;
import io.agentchat.marketplace.store.Proposal;
import io.agentchat.marketplace.store.ProposalChange;
import io.agentchat.marketplace.store.ProposalRepository;
import io.agentchat.marketplace.store.ProposalStatus;
import io.agentchat.protocol.BusMessages.MarketplaceReply;
import io.agentchat.protocol.CanonicalJson;
import io.agentchat.protocol.ClientFrame;
import io.agentchat.protocol.ErrorCode;
import io.agentchat.protocol.ProtocolException;
import io.agentchat.protocol.SigningStrings;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.math.BigDecimal;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PROPOSAL, ACCEPT, REJECT, COMPLETE, DISPUTE, LIST_PROPOSALS and the expiry sweep.
 *
 * <p>Each verb checks its signature over the exact signing string, then runs as one database
 * transaction: the status change ({@link ProposalRepository#change}, which follows the state
 * machine), the settlement plug-ins on the same connection, and a notice for the other party if it
 * is offline. Only after the commit does anything reach a socket: the other party's copy first,
 * then the caller's answer, so that once the caller sees its echo the other party has its copy or
 * it is kept for its next login.
 */
final class ProposalHandlers {
  static final int MAX_TASK = 4000;
  static final int MAX_TEXT = 4000;
  static final int LIST_LIMIT = 100;
  private static final int SWEEP_BATCH = 500;
  private static final int DUPLICATE_RETRIES = 2;
  private static final Pattern CURRENCY = Pattern.compile("[A-Za-z0-9_.-]{1,16}");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String NEED_KEY = "Proposals require persistent identity";
  private static final int MAX_KNOWN = 1_000_000;
  private static final Logger LOG = LoggerFactory.getLogger("agentchat.marketplace");

  /**
   * Agents known to have logged in with a key. Rows in {@code agents} are never deleted, so once
   * known, always known: remembering it spares a query per proposal.
   */
  private final Set<String> known = ConcurrentHashMap.newKeySet();

  private final Pool pool;
  private final Transactions transactions;
  private final ProposalRepository proposals;
  private final AgentRepository agents;
  private final NoticeRepository notices = new NoticeRepository();
  private final Notifier notifier;
  private final Settlements settlements;
  private final OnlineAgents online;
  private final ProposalParties parties;
  private final Function<List<StandingChange>, Future<Void>> standingsChanged;
  private final long minAgeMillis;
  private final long disputeWindowMillis;
  private final int maxPendingToUnseen;

  /**
   * @param standingsChanged told, after a settlement commits, which standings it changed; the
   *     caller's answer waits for it, so a search after the answer ranks by them
   */
  ProposalHandlers(
      Pool pool,
      ProposalRepository proposals,
      AgentRepository agents,
      Notifier notifier,
      Settlements settlements,
      OnlineAgents online,
      ProposalParties parties,
      Function<List<StandingChange>, Future<Void>> standingsChanged,
      MarketplaceOptions options) {
    this.pool = pool;
    this.transactions = new Transactions(pool);
    this.proposals = proposals;
    this.agents = agents;
    this.notifier = notifier;
    this.settlements = settlements;
    this.online = online;
    this.parties = parties;
    this.standingsChanged = standingsChanged;
    this.minAgeMillis = options.minProposalAge().toMillis();
    this.disputeWindowMillis = options.disputeWindow().toMillis();
    this.maxPendingToUnseen = options.maxPendingToUnseen();
  }

  /**
   * What a verb's transaction produced: the proposal as it left it, the frame both parties get, and
   * how the other party gets its copy.
   */
  private record Outcome(
      Proposal proposal, String frame, Notifier.Delivery delivery, SettlementOutcome settled) {}

  // ------------------------------------------------------------------------------ PROPOSAL

  Future<MarketplaceReply> propose(Caller caller, ClientFrame.Proposal f, long now) {
    caller.requireKey(NEED_KEY);
    String signing =
        SigningStrings.proposal(
            f.to(),
            f.task(),
            f.amount(),
            text(f.currency()),
            text(f.paymentCode()),
            f.expires(),
            f.eloStake());
    caller.requireSignature(signing, f.sig(), NEED_KEY);
    String to = f.to().substring(1);
    if (to.equals(caller.id())) {
      // The reference allows it, and one agent then farms rating from itself.
      throw new ProtocolException(ErrorCode.INVALID_PROPOSAL, "Cannot propose to yourself");
    }
    if (!AgentIds.isValidPersistentId(to)) {
      // Only keyed agents can sign an answer; a short id is an ephemeral agent's.
      throw new ProtocolException(ErrorCode.AGENT_NOT_FOUND, "Agent " + f.to() + " not found");
    }
    bounded("task", f.task(), MAX_TASK);
    bounded("terms", f.terms(), MAX_TEXT);
    bounded("payment_code", f.paymentCode(), MAX_TEXT);
    if (f.currency() != null && !CURRENCY.matcher(f.currency()).matches()) {
      throw ProtocolException.invalid("currency must be a short code (1-16 letters or digits)");
    }
    BigDecimal amount =
        f.amount() == null || f.amount().decimalValue().signum() == 0
            ? null
            : f.amount().decimalValue();
    Long expiresAt =
        f.expires() == null || f.expires().doubleValue() == 0
            ? null
            : now + Math.round(f.expires().doubleValue() * 1000);
    Long stake =
        f.eloStake() == null || f.eloStake().longValue() == 0 ? null : f.eloStake().longValue();
    String id = "prop_" + Long.toString(now, 36) + "_" + hex(4);
    // Identical signed proposals share this digest; an open one blocks a second (replays too).
    String digest = CanonicalJson.sha256Hex(caller.id() + "|" + signing);
    BigDecimal expiresIn =
        f.expires() == null || f.expires().doubleValue() == 0 ? null : f.expires().decimalValue();
    NewProposal proposal =
        new NewProposal(
            id,
            caller.id(),
            to,
            f.task(),
            amount,
            f.currency(),
            f.paymentCode(),
            f.terms(),
            expiresAt,
            now,
            f.sig(),
            stake,
            digest,
            f.capability(),
            expiresIn);
    return recipientSeen(to, now)
        .compose(seen -> store(proposal, seen, now, 0))
        .compose(
            done -> {
              notifier.toChannel("#bounties", Frames.bounty(done.proposal()), true);
              return answer(done, now);
            });
  }

  /**
   * The proposal stored in one transaction (or as one statement, see {@link #alone}); retried when
   * an expired or closed twin blocked it.
   */
  private Future<Outcome> store(NewProposal p, boolean recipientSeen, long now, int attempt) {
    Future<Outcome> stored;
    if (recipientSeen && alone(p.toAgent())) {
      stored =
          proposals
              .create(pool, p)
              .map(
                  created -> {
                    String frame = Frames.proposal(created, now);
                    return new Outcome(created, frame, notifier.live(p.toAgent(), frame), null);
                  });
    } else {
      stored =
          transactions.run(
              tx ->
                  (recipientSeen ? Future.<Void>succeededFuture() : withinUnseenCap(tx, p, now))
                      .compose(v -> settlements.checkTerms(p, tx))
                      .compose(v -> proposals.create(tx, p))
                      .compose(
                          created -> {
                            String frame = Frames.proposal(created, now);
                            return notifier
                                .prepare(tx, created.toAgent(), frame, now, created.id())
                                .map(d -> new Outcome(created, frame, d, null));
                          }));
    }
    return stored
        .onSuccess(done -> parties.remember(done.proposal()))
        .recover(
            failure -> {
              if (!ProposalRepository.isOpenTwin(failure)) {
                return Future.failedFuture(failure);
              }
              boolean mayRetry = attempt < DUPLICATE_RETRIES;
              Future<Boolean> twinExpired =
                  mayRetry
                      ? transactions.run(
                          tx ->
                              proposals
                                  .expireDueTwin(tx, p.signedDigest(), now)
                                  .compose(expired -> ended(expired, tx).map(!expired.isEmpty())))
                      : Future.succeededFuture(false);
              return twinExpired.compose(
                  expired ->
                      expired
                          ? store(p, recipientSeen, now, attempt + 1)
                          : proposals
                              .openTwin(pool, p.signedDigest())
                              .compose(
                                  twin -> {
                                    if (twin.isPresent()) {
                                      return Future.failedFuture(
                                          new DuplicateProposalException(twin.get()));
                                    }
                                    // The open twin closed between our insert and this look-up.
                                    return mayRetry
                                        ? store(p, recipientSeen, now, attempt + 1)
                                        : Future.failedFuture(failure);
                                  }));
            });
  }

  /**
   * A proposal to an agent this server has never seen waits for that agent's first login; each
   * proposer may keep only so many waiting, so nobody fills the database with them.
   */
  private Future<Void> withinUnseenCap(SqlConnection tx, NewProposal p, long now) {
    if (p.expiresAt() == null) {
      // Nobody may ever come for it, and a proposer cannot withdraw: it must end by itself.
      return Future.failedFuture(
          new ProtocolException(
              ErrorCode.INVALID_PROPOSAL,
              "A proposal to an agent this server has not seen yet must expire: set expires"));
    }
    return proposals
        .lockAndCountPendingToUnseen(tx, p.fromAgent(), now)
        .map(
            pending -> {
              if (pending >= maxPendingToUnseen) {
                throw new ProtocolException(
                    ErrorCode.RATE_LIMITED,
                    "Too many pending proposals to agents this server has not seen yet (max "
                        + maxPendingToUnseen
                        + "); wait until they log in, or until your proposals expire");
              }
              return null;
            });
  }

  /**
   * Makes sure a keyed caller's public key is on record before its verb applies. Its login is
   * recorded too, but from another event: a verb sent right after WELCOME can overtake that, and a
   * settlement plug-in needs both parties' keys (a receipt names them). Once per agent and process.
   */
  Future<Void> recordCaller(Caller caller, long now) {
    if (caller.pem() == null || known.contains(caller.id())) {
      return Future.succeededFuture();
    }
    return agents
        .seen(pool, caller.id(), caller.pem(), caller.name(), now)
        .onSuccess(
            v -> {
              if (known.size() < MAX_KNOWN) {
                known.add(caller.id());
              }
            })
        .mapEmpty();
  }

  /**
   * Seen means it has logged in here with a key. An agent whose login is so recent that its
   * AGENT_ONLINE event is still being recorded is found through the relay instead.
   */
  private Future<Boolean> recipientSeen(String id, long now) {
    if (known.contains(id)) {
      return Future.succeededFuture(true);
    }
    return agents
        .isKnown(pool, id)
        .compose(
            inTable ->
                inTable
                    ? Future.succeededFuture(true)
                    : notifier
                        .lookup(id)
                        .compose(
                            presence -> {
                              if (!presence.online() || presence.pubkey() == null) {
                                return Future.succeededFuture(false);
                              }
                              return agents
                                  .seen(pool, id, presence.pubkey(), presence.name(), now)
                                  .map(true);
                            }))
        .onSuccess(
            seen -> {
              if (seen && known.size() < MAX_KNOWN) {
                known.add(id);
              }
            });
  }

  // -------------------------------------------------------------------------------- ACCEPT

  Future<MarketplaceReply> accept(Caller caller, ClientFrame.Accept f, long now) {
    caller.requireSignature(
        SigningStrings.accept(f.proposalId(), text(f.paymentCode()), f.eloStake()),
        f.sig(),
        NEED_KEY);
    bounded("payment_code", f.paymentCode(), MAX_TEXT);
    Long stake = f.eloStake() == null ? null : f.eloStake().longValue();
    ProposalChange change =
        new ProposalChange.Accept(
            f.proposalId(), caller.id(), now, f.sig(), f.paymentCode(), stake);
    return apply(
            caller.id(),
            change,
            (p, tx) -> settlements.accept(p, tx).map(SettlementOutcome.NONE),
            (p, settled) -> Frames.accept(p, now),
            now)
        .compose(
            done -> {
              Proposal p = done.proposal();
              notifier.toChannel(
                  "#bounties",
                  "[CLAIMED] "
                      + p.id()
                      + " accepted by @"
                      + p.toAgent()
                      + " — \""
                      + p.task()
                      + "\"",
                  true);
              return answer(done, now);
            });
  }

  // -------------------------------------------------------------------------------- REJECT

  Future<MarketplaceReply> reject(Caller caller, ClientFrame.Reject f, long now) {
    caller.requireSignature(SigningStrings.reject(f.proposalId(), f.reason()), f.sig(), NEED_KEY);
    bounded("reason", f.reason(), MAX_TEXT);
    ProposalChange change =
        new ProposalChange.Reject(f.proposalId(), caller.id(), now, f.sig(), f.reason());
    return apply(
            caller.id(),
            change,
            (p, tx) ->
                settlements.release(p, ReleaseReason.REJECTED, tx).map(SettlementOutcome.NONE),
            (p, settled) -> Frames.reject(p, now),
            now)
        .compose(done -> answer(done, now));
  }

  // ------------------------------------------------------------------------------ COMPLETE

  Future<MarketplaceReply> complete(Caller caller, ClientFrame.Complete f, long now) {
    caller.requireSignature(SigningStrings.complete(f.proposalId(), f.proof()), f.sig(), NEED_KEY);
    bounded("proof", f.proof(), MAX_TEXT);
    ProposalChange change =
        new ProposalChange.Complete(
            f.proposalId(), caller.id(), now, f.proof(), f.sig(), minAgeMillis);
    return paymentFor(caller, f, now)
        .compose(
            verified ->
                apply(
                    caller.id(),
                    change,
                    (p, tx) -> settlements.complete(p, verified, tx),
                    (p, settled) -> Frames.complete(p, settled, now),
                    now))
        .compose(done -> answer(done, now));
  }

  /**
   * The payment a COMPLETE names, verified before its transaction so that a slow chain lookup holds
   * no lock. Only for a deal the caller could complete: anything else goes on to the transaction,
   * which refuses it with the usual error.
   */
  private Future<JsonNode> paymentFor(Caller caller, ClientFrame.Complete f, long now) {
    if (!settlements.verifiesPayments()) {
      return Future.succeededFuture(null);
    }
    return proposals
        .find(pool, f.proposalId(), now)
        .compose(
            found -> {
              if (found.isEmpty()
                  || found.get().status() != ProposalStatus.ACCEPTED
                  || !(caller.id().equals(found.get().fromAgent())
                      || caller.id().equals(found.get().toAgent()))) {
                return Future.succeededFuture(null);
              }
              return settlements.verifyPayment(found.get(), f.proof(), pool);
            });
  }

  // ------------------------------------------------------------------------------- DISPUTE

  Future<MarketplaceReply> dispute(Caller caller, ClientFrame.Dispute f, long now) {
    caller.requireSignature(SigningStrings.dispute(f.proposalId(), f.reason()), f.sig(), NEED_KEY);
    bounded("reason", f.reason(), MAX_TEXT);
    ProposalChange.Dispute change =
        new ProposalChange.Dispute(
            f.proposalId(), caller.id(), now, f.reason(), f.sig(), now + disputeWindowMillis);
    return apply(
            caller.id(),
            change,
            this::settleIfSettled,
            (p, settled) -> Frames.dispute(p, settled, now),
            now)
        .recover(refused -> contestOr(refused, caller, f, now))
        .compose(done -> answer(done, now));
  }

  /**
   * A dispute filed with no contest window settles in its own transaction; one with a window waits
   * for the other party's answer or for the dispute sweep.
   */
  private Future<SettlementOutcome> settleIfSettled(Proposal p, SqlConnection tx) {
    return p.disputeSettled()
        ? settlements.dispute(p, tx)
        : Future.succeededFuture(SettlementOutcome.NONE);
  }

  /**
   * A DISPUTE refused as such may be the other party's answer to an open dispute: within the
   * contest window, it settles the dispute at once as a mutual fault. Otherwise the first refusal
   * stands.
   */
  private Future<Outcome> contestOr(
      Throwable refused, Caller caller, ClientFrame.Dispute f, long now) {
    if (!(refused instanceof ProtocolException) || disputeWindowMillis == 0) {
      return Future.failedFuture(refused);
    }
    DisputeContest contest =
        new DisputeContest(f.proposalId(), caller.id(), now, f.reason(), f.sig());
    return transactions
        .run(
            tx ->
                proposals
                    .contest(tx, contest)
                    .compose(
                        contested -> {
                          if (contested.isEmpty()) {
                            return Future.<Outcome>failedFuture(refused);
                          }
                          Proposal p = contested.get();
                          return settlements
                              .dispute(p, tx)
                              .compose(
                                  settled ->
                                      toOtherParty(
                                          tx,
                                          p,
                                          caller.id(),
                                          Frames.dispute(p, settled, now),
                                          settled,
                                          now));
                        }))
        .onSuccess(o -> parties.remember(o.proposal()));
  }

  /**
   * Applies ACCEPT, REJECT, COMPLETE or DISPUTE as one transaction: the status change, the
   * plug-ins' part on the same connection, then the other party's copy, kept as a notice if it is
   * offline.
   *
   * @param settle the plug-ins' part, given the proposal as the change left it
   * @param frame the frame both parties get
   */
  private Future<Outcome> apply(
      String callerId,
      ProposalChange change,
      BiFunction<Proposal, SqlConnection, Future<SettlementOutcome>> settle,
      BiFunction<Proposal, SettlementOutcome, String> frame,
      long now) {
    String other = parties.otherThan(change.proposalId(), callerId);
    Future<Outcome> done;
    if (other != null && alone(other)) {
      done =
          proposals
              .changeAlone(pool, change)
              .compose(
                  changed -> {
                    if (changed.isEmpty()) {
                      // Refused, or the row moved meanwhile: the transaction tells which.
                      return inTransaction(callerId, change, settle, frame, now);
                    }
                    Proposal p = changed.get();
                    String text = frame.apply(p, SettlementOutcome.NONE);
                    return Future.succeededFuture(
                        new Outcome(p, text, notifier.live(other, text), SettlementOutcome.NONE));
                  });
    } else {
      done = inTransaction(callerId, change, settle, frame, now);
    }
    return done.onSuccess(o -> parties.remember(o.proposal()));
  }

  private Future<Outcome> inTransaction(
      String callerId,
      ProposalChange change,
      BiFunction<Proposal, SqlConnection, Future<SettlementOutcome>> settle,
      BiFunction<Proposal, SettlementOutcome, String> frame,
      long now) {
    return transactions.run(
        tx ->
            proposals
                .change(tx, change)
                .compose(
                    p ->
                        settle
                            .apply(p, tx)
                            .compose(
                                settled ->
                                    toOtherParty(
                                        tx, p, callerId, frame.apply(p, settled), settled, now))));
  }

  /**
   * Whether a verb's transaction would hold one statement: no plug-in takes part, and the other
   * party is online, so no notice is kept. Then the statement is sent alone: Postgres runs every
   * statement in a transaction of its own, so it is just as atomic, and it spares the BEGIN and
   * COMMIT messages and a round trip (about a sixth of the CPU of a proposal round trip, see
   * BENCHMARKS.md).
   */
  private boolean alone(String otherParty) {
    return settlements.isEmpty() && online.isOnline(otherParty);
  }

  /**
   * The last step inside a verb's transaction: the other party's copy, kept as a notice if it is
   * offline.
   */
  private Future<Outcome> toOtherParty(
      SqlConnection tx,
      Proposal p,
      String caller,
      String frame,
      SettlementOutcome settled,
      long now) {
    String other = p.fromAgent().equals(caller) ? p.toAgent() : p.fromAgent();
    return notifier
        .prepare(tx, other, frame, now, null)
        .map(d -> new Outcome(p, frame, d, settled));
  }

  /**
   * After the commit: the standings a settlement moved reach the search index, the other party gets
   * its copy, then the caller its answer.
   */
  private Future<MarketplaceReply> answer(Outcome done, long now) {
    Future<Void> ranked =
        done.settled() == null || done.settled().standingChanges().isEmpty()
            ? Future.succeededFuture()
            : standingsChanged
                .apply(done.settled().standingChanges())
                .otherwiseEmpty(); // the commit stands; the index re-reads standings at start
    return ranked
        .compose(v -> notifier.send(done.delivery(), now))
        .map(v -> MarketplaceReply.of(done.frame()));
  }

  // ------------------------------------------------------------------------ LIST_PROPOSALS

  Future<MarketplaceReply> list(Caller caller, ClientFrame.ListProposals f, long now) {
    ProposalStatus status = f.status() == null ? null : ProposalStatus.fromWire(f.status());
    int limit = f.limit() == null ? LIST_LIMIT : Math.min(f.limit(), 500);
    return proposals
        .forAgent(pool, caller.id(), status, limit, now)
        .map(list -> MarketplaceReply.of(Frames.proposals(list, now)));
  }

  // --------------------------------------------------------------------------------- sweep

  /**
   * The periodic sweep: pending proposals whose expiry came are expired, disputes whose contest
   * window closed are settled, and accepted deals whose expiry passed release what the plug-ins
   * held for them. Each in batches, a batch per transaction.
   *
   * @return a future completed with how many proposals each part touched
   */
  Future<SweepCounts> sweep(long now) {
    return expireDue(now)
        .compose(
            expired ->
                settleDueDisputes(now)
                    .compose(
                        settled ->
                            lapseDue(now)
                                .map(lapsed -> new SweepCounts(expired, settled, lapsed))));
  }

  /** What one sweep did. */
  record SweepCounts(int expired, int disputesSettled, int lapsed) {}

  /**
   * Stores every pending proposal whose expiry has come as expired, each released by the plug-ins
   * in the transaction that expires it.
   */
  private Future<Integer> expireDue(long now) {
    return transactions
        .run(
            tx ->
                proposals
                    .expireDue(tx, now, SWEEP_BATCH)
                    .compose(expired -> ended(expired, tx).map(expired.size())))
        .compose(n -> n < SWEEP_BATCH ? Future.succeededFuture(n) : expireDue(now).map(m -> n + m));
  }

  /**
   * Settles every dispute whose contest window closed uncontested, as unilateral, one per
   * transaction: the plug-ins lock both parties' standings, and two disputes in one transaction
   * could take those locks in an order a verb crossing them deadlocks with. Both parties get a
   * DISPUTE frame with the outcome, kept as a notice for whichever is offline; frames leave only
   * after the commit. A dispute whose settlement fails is logged and left for the next sweep, so it
   * does not hold up the others.
   */
  private Future<Integer> settleDueDisputes(long now) {
    return oneAtATime(
        new SweepStep<SettledDispute>() {
          @Override
          public Future<List<Proposal>> next(SqlConnection tx, List<String> skipped) {
            return proposals.settleDueDisputes(tx, now, 1, skipped);
          }

          @Override
          public Future<SettledDispute> inside(Proposal p, SqlConnection tx) {
            return settleOne(p, tx, now);
          }

          @Override
          public Future<Void> after(SettledDispute done) {
            return standingsMoved(done.standings())
                .compose(v -> notifier.send(done.toProposer(), now))
                .compose(v -> notifier.send(done.toRecipient(), now));
          }
        },
        "dispute_settlement_failed",
        "a due dispute could not be settled; the next sweep tries again",
        new ArrayList<>(),
        0);
  }

  /** One part of the sweep that takes due proposals one per transaction. */
  private interface SweepStep<T> {
    /** The next due proposal not in {@code skipped}, locked by {@code tx}; empty when none. */
    Future<List<Proposal>> next(SqlConnection tx, List<String> skipped);

    /** What happens to it in the same transaction. */
    Future<T> inside(Proposal p, SqlConnection tx);

    /** What follows the commit (frames, the search index). */
    default Future<Void> after(T result) {
      return Future.succeededFuture();
    }
  }

  /**
   * Runs {@code step} on due proposals, one per transaction, until none is left. A proposal whose
   * step fails is logged and skipped for the rest of this sweep (the next sweep tries it again), so
   * one bad proposal does not hold up the others.
   *
   * @return a future completed with how many proposals the step was done for
   */
  private <T> Future<Integer> oneAtATime(
      SweepStep<T> step, String failedEvent, String failedMessage, List<String> skipped, int done) {
    String[] attempted = {null};
    return transactions
        .run(
            tx ->
                step.next(tx, skipped)
                    .compose(
                        due -> {
                          if (due.isEmpty()) {
                            return Future.succeededFuture(Optional.<T>empty());
                          }
                          attempted[0] = due.get(0).id();
                          return step.inside(due.get(0), tx).map(Optional::of);
                        }))
        .compose(
            result ->
                result.isEmpty()
                    ? Future.succeededFuture(done)
                    : step.after(result.get())
                        .compose(
                            v -> oneAtATime(step, failedEvent, failedMessage, skipped, done + 1)),
            failure -> {
              if (attempted[0] == null || skipped.size() >= SWEEP_BATCH) {
                return Future.failedFuture(failure);
              }
              LOG.atWarn()
                  .addKeyValue("event", failedEvent)
                  .addKeyValue("proposal_id", attempted[0])
                  .addKeyValue("error", String.valueOf(failure))
                  .log(failedMessage);
              skipped.add(attempted[0]);
              return oneAtATime(step, failedEvent, failedMessage, skipped, done);
            });
  }

  /** A dispute settled by the sweep: both parties' copies and the standings that moved. */
  private record SettledDispute(
      Notifier.Delivery toProposer,
      Notifier.Delivery toRecipient,
      List<StandingChange> standings) {}

  private Future<SettledDispute> settleOne(Proposal p, SqlConnection tx, long now) {
    return settlements
        .dispute(p, tx)
        .compose(
            settled -> {
              String frame = Frames.dispute(p, settled, now);
              return notifier
                  .prepare(tx, p.fromAgent(), frame, now, null)
                  .compose(
                      toProposer ->
                          notifier
                              .prepare(tx, p.toAgent(), frame, now, null)
                              .map(
                                  toRecipient -> {
                                    parties.remember(p);
                                    return new SettledDispute(
                                        toProposer, toRecipient, settled.standingChanges());
                                  }));
            });
  }

  private Future<Void> standingsMoved(List<StandingChange> changes) {
    return changes.isEmpty()
        ? Future.succeededFuture()
        : standingsChanged.apply(changes).otherwiseEmpty();
  }

  /**
   * Marks every accepted deal whose expiry passed unfinished as lapsed, and has the plug-ins
   * release what they hold for it (ELO stakes) in the same transaction, one deal per transaction
   * (for the reason {@link #settleDueDisputes} gives). The deals stay accepted. A deal whose
   * release fails is logged and left for the next sweep.
   */
  private Future<Integer> lapseDue(long now) {
    return oneAtATime(
        new SweepStep<Boolean>() {
          @Override
          public Future<List<Proposal>> next(SqlConnection tx, List<String> skipped) {
            return proposals.lapseDue(tx, now, 1, skipped);
          }

          @Override
          public Future<Boolean> inside(Proposal p, SqlConnection tx) {
            return settlements.releaseAll(List.of(p), ReleaseReason.LAPSED, tx).map(true);
          }
        },
        "lapse_release_failed",
        "a lapsed deal's locks could not be released; the next sweep tries again",
        new ArrayList<>(),
        0);
  }

  /**
   * What goes with proposals that expired, in the transaction that expires them: the plug-ins
   * release what they locked, and a PROPOSAL notice still waiting for a recipient that never came
   * is dropped.
   */
  private Future<Void> ended(List<Proposal> expired, SqlConnection tx) {
    List<String> ids = expired.stream().map(Proposal::id).toList();
    return settlements
        .releaseAll(expired, ReleaseReason.EXPIRED, tx)
        .compose(v -> notices.dropForProposals(tx, ids))
        .mapEmpty();
  }

  // ------------------------------------------------------------------------------- helpers

  private static void bounded(String field, String value, int max) {
    if (value != null && value.length() > max) {
      throw ProtocolException.invalid(field + " may be at most " + max + " characters");
    }
    if (value != null && value.indexOf('\0') >= 0) {
      // Postgres cannot store NUL in text; refuse it here rather than fail in the database.
      throw ProtocolException.invalid(field + " may not contain NUL characters");
    }
  }

  /** A string field as parsed JSON, for the or-empty slots of a signing string. */
  private static JsonNode text(String value) {
    return value == null ? null : TextNode.valueOf(value);
  }

  private static String hex(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
