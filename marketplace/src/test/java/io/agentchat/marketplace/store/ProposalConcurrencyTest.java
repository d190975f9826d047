package io.agentchat.marketplace.store;

import static io.agentchat.marketplace.store.ProposalRepositoryTest.accept;
import static io.agentchat.marketplace.store.ProposalRepositoryTest.agent;
import static io.agentchat.marketplace.store.ProposalRepositoryTest.proposal;
import static io.agentchat.marketplace.store.ProposalRepositoryTest.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

import io.agentchat.marketplace.db.Database;
import io.agentchat.marketplace.testdb.TestDatabases;
import io.agentchat.protocol.ErrorCode;
import io.agentchat.protocol.ProtocolException;
import io.agentchat.relay.Await;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What the proposals store relies on Postgres for when transactions overlap: the expiry sweep's
 * {@code SKIP LOCKED}, the proposer's lock around proposals to unseen agents, and the guarded
 * {@code UPDATE}s that let one of two racing verbs through. Each race is interleaved explicitly on
 * connections of its own: the second transaction is known to wait when Postgres lists it as waiting
 * for a lock, and the first then commits.
 *
 * <p>Only the two sweep tests make proposals with an expiry, each in a time window of its own, so a
 * sweep here finds only its own test's.
 */
@Timeout(60)
class ProposalConcurrencyTest {
  private static final long NOW = 1_000_000;
  private static Vertx vertx;
  private static Database db;
  private static final ProposalRepository proposals = new ProposalRepository();

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    db = Await.result(TestDatabases.startFresh(vertx), "database");
  }

  @AfterAll
  static void stop() {
    Await.result(db.close(), "close");
    Await.result(vertx.close(), "vertx");
  }

  @Test
  void theSweepSkipsADueProposalAnotherTransactionHoldsLockedAndExpiresItOnceReleased() {
    Proposal held = create(proposal(agent(), agent(), unique("digest"), NOW + 1, NOW));
    Proposal second = create(proposal(agent(), agent(), unique("digest"), NOW + 2, NOW));
    Proposal third = create(proposal(agent(), agent(), unique("digest"), NOW + 3, NOW));
    long sweepAt = NOW + 10;
    try (OpenTransaction locker = OpenTransaction.begin()) {
      Await.result(
          locker
              .conn()
              .preparedQuery("SELECT id FROM proposals WHERE id = $1 FOR UPDATE")
              .execute(Tuple.of(held.id())),
          "lock the earliest due proposal");
      // A batch of two: the locked proposal, due first, must not take a place in it.
      List<Proposal> swept = inTx(tx -> proposals.expireDue(tx, sweepAt, 2));
      assertEquals(Set.of(second.id(), third.id()), ids(swept), "the others, without waiting");
      assertEquals("pending", storedStatus(held.id()), "the held one is left alone");
      assertEquals(List.of(), inTx(tx -> proposals.expireDue(tx, sweepAt, 100)), "still held");
      locker.commit();
    }
    List<Proposal> later = inTx(tx -> proposals.expireDue(tx, sweepAt, 100));
    assertEquals(Set.of(held.id()), ids(later), "once released, the next sweep expires it");
    assertEquals(ProposalStatus.EXPIRED, later.get(0).status());
    assertEquals(NOW + 1, later.get(0).updatedAt(), "expired when its expiry came");
    assertEquals("expired", storedStatus(held.id()));
  }

  @Test
  void anAcceptThatWaitsForTheSweepExpiringTheProposalIsToldItIsNoLongerPending() {
    long expires = NOW + 100; // later than the other sweep test's
    Proposal p = create(proposal(agent(), agent(), unique("digest"), expires, NOW));
    try (OpenTransaction accepting = OpenTransaction.begin();
        OpenTransaction sweeping = OpenTransaction.begin()) {
      List<Proposal> swept =
          Await.result(proposals.expireDue(sweeping.conn(), expires, 100), "sweep");
      assertEquals(Set.of(p.id()), ids(swept));
      // Sent a moment before the expiry by its own clock, it still loses to the committed sweep.
      Future<Proposal> accepted = proposals.change(accepting.conn(), accept(p, expires - 1));
      awaitWaitingForALock(accepting.pid());
      assertFalse(accepted.isComplete(), "ACCEPT waits for the sweep's row lock");

      sweeping.commit();
      Await.result(accepted.otherwiseEmpty(), "accept");
      ProtocolException e = assertInstanceOf(ProtocolException.class, accepted.cause(), "refused");
      assertEquals(ErrorCode.INVALID_PROPOSAL, e.code());
      assertEquals("PROPOSAL_NOT_PENDING", e.getMessage());
      assertEquals("expired", storedStatus(p.id()));
    }
  }

  @Test
  void countingAProposersPendingProposalsToUnseenAgentsWaitsForItsOtherTransactionToCommit() {
    String me = agent();
    create(proposal(me, agent(), unique("digest"), null, NOW));
    try (OpenTransaction second = OpenTransaction.begin();
        OpenTransaction first = OpenTransaction.begin()) {
      assertEquals(1L, Await.result(count(first.conn(), me), "first count"));
      Await.result(
          proposals.create(first.conn(), proposal(me, agent(), unique("digest"), null, NOW)),
          "the first's new proposal, not yet committed");

      Future<Long> secondCount = count(second.conn(), me);
      assertEquals("advisory", awaitWaitingForALock(second.pid()), "the proposer's lock");
      assertFalse(secondCount.isComplete(), "the second count waits");
      assertEquals(0L, (long) inTx(tx -> count(tx, agent())), "another proposer's does not wait");

      first.commit();
      assertEquals(2L, Await.result(secondCount, "second count"), "it sees the first's proposal");
      second.commit();
    }
  }

  @ParameterizedTest(name = "{0} locks the proposal first")
  @EnumSource(
      value = ProposalVerb.class,
      names = {"COMPLETE", "DISPUTE"})
  void ofACompleteAndADisputeRacingOnOneAcceptedProposalExactlyOneWins(ProposalVerb first) {
    Proposal p = acceptedProposal();
    ProposalChange complete =
        new ProposalChange.Complete(p.id(), p.fromAgent(), NOW + 2, "proof", "c-sig", 0);
    ProposalChange dispute =
        new ProposalChange.Dispute(p.id(), p.toAgent(), NOW + 2, "bad", "d-sig", NOW + 2);
    ProposalChange winner = first == ProposalVerb.COMPLETE ? complete : dispute;
    ProposalChange loser = first == ProposalVerb.COMPLETE ? dispute : complete;
    try (OpenTransaction losing = OpenTransaction.begin();
        OpenTransaction winning = OpenTransaction.begin()) {
      Proposal won = Await.result(proposals.change(winning.conn(), winner), "the first verb");
      Future<Proposal> lost = proposals.change(losing.conn(), loser);
      awaitWaitingForALock(losing.pid());
      assertFalse(lost.isComplete(), "the second verb waits for the first's row lock");

      winning.commit();
      Await.result(lost.otherwiseEmpty(), "the second verb");
      ProtocolException e = assertInstanceOf(ProtocolException.class, lost.cause(), "refused");
      assertEquals(ErrorCode.INVALID_PROPOSAL, e.code());
      assertEquals("PROPOSAL_NOT_ACCEPTED", e.getMessage());

      Proposal stored = find(p.id());
      assertEquals(won, stored);
      assertEquals(ProposalStateMachine.target(first), stored.status());
      if (first == ProposalVerb.COMPLETE) {
        assertNull(stored.disputedBy(), "nothing of the dispute is recorded");
      } else {
        assertNull(stored.completedBy(), "nothing of the completion is recorded");
      }
    }
  }

  @Test
  void ofCompletesAndDisputesLetLooseOnAcceptedProposalsEachProposalHasExactlyOneWinner() {
    List<Proposal> accepted = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      accepted.add(acceptedProposal());
    }
    List<Future<Proposal>> completes = new ArrayList<>();
    List<Future<Proposal>> disputes = new ArrayList<>();
    for (Proposal p : accepted) {
      completes.add(
          db.pool()
              .withTransaction(
                  tx ->
                      proposals.change(
                          tx,
                          new ProposalChange.Complete(
                              p.id(), p.fromAgent(), NOW + 2, "proof", "c-sig", 0))));
      disputes.add(
          db.pool()
              .withTransaction(
                  tx ->
                      proposals.change(
                          tx,
                          new ProposalChange.Dispute(
                              p.id(), p.toAgent(), NOW + 2, "bad", "d-sig", NOW + 2))));
    }
    List<Future<Proposal>> all = new ArrayList<>(completes);
    all.addAll(disputes);
    Await.result(Future.join(all).otherwiseEmpty(), "every verb");
    for (int i = 0; i < accepted.size(); i++) {
      Future<Proposal> complete = completes.get(i);
      Future<Proposal> dispute = disputes.get(i);
      assertEquals(
          1,
          (complete.succeeded() ? 1 : 0) + (dispute.succeeded() ? 1 : 0),
          () -> "exactly one wins: " + complete.cause() + " / " + dispute.cause());
      Future<Proposal> won = complete.succeeded() ? complete : dispute;
      Future<Proposal> lost = complete.succeeded() ? dispute : complete;
      ProtocolException e = assertInstanceOf(ProtocolException.class, lost.cause());
      assertEquals(ErrorCode.INVALID_PROPOSAL, e.code());
      assertEquals("PROPOSAL_NOT_ACCEPTED", e.getMessage());
      assertEquals(won.result(), find(accepted.get(i).id()));
    }
  }

  @Test
  void aCompleteThatFindsThePendingProposalBeingAcceptedWaitsAndThenCompletesIt() {
    Proposal p = create(proposal(agent(), agent(), unique("digest"), null, NOW));
    try (OpenTransaction completing = OpenTransaction.begin();
        OpenTransaction accepting = OpenTransaction.begin()) {
      Await.result(proposals.change(accepting.conn(), accept(p, NOW + 1)), "accept");
      // Its guarded UPDATE still sees the proposal pending and passes it by; reading why, under
      // the row lock, waits for the ACCEPT, which makes COMPLETE apply after all.
      Future<Proposal> completed =
          proposals.change(
              completing.conn(),
              new ProposalChange.Complete(p.id(), p.fromAgent(), NOW + 2, "proof", "c-sig", 0));
      awaitWaitingForALock(completing.pid());
      assertFalse(completed.isComplete(), "COMPLETE waits for the ACCEPT");

      accepting.commit();
      Proposal done = Await.result(completed, "complete");
      assertEquals(ProposalStatus.COMPLETED, done.status());
      assertEquals(NOW + 1, done.acceptedAt());
      completing.commit();
      assertEquals(done, find(p.id()));
    }
  }

  /**
   * A transaction kept open on a pooled connection of its own, with the Postgres process serving
   * it. Closing rolls back whatever was not committed and returns the connection. Declare the one
   * that will wait before the one it waits for, so that try-with-resources releases the lock first.
   */
  private record OpenTransaction(SqlConnection conn, Transaction tx, int pid)
      implements AutoCloseable {
    static OpenTransaction begin() {
      SqlConnection conn = Await.result(db.pool().getConnection(), "connection");
      Transaction tx = Await.result(conn.begin(), "begin");
      int pid =
          Await.result(
              conn.query("SELECT pg_backend_pid()")
                  .execute()
                  .map(rows -> rows.iterator().next().getInteger(0)),
              "backend pid");
      return new OpenTransaction(conn, tx, pid);
    }

    void commit() {
      Await.result(tx.commit(), "commit");
    }

    @Override
    public void close() {
      try {
        Await.result(tx.rollback().otherwiseEmpty(), "rollback"); // a no-op once committed
      } finally {
        Await.result(conn.close(), "return the connection");
      }
    }
  }

  /**
   * Waits, with a bound, until Postgres lists the process {@code pid} as waiting for a lock.
   *
   * @return the kind of lock it waits for ({@code pg_locks.locktype})
   */
  private static String awaitWaitingForALock(int pid) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      List<String> waiting =
          Await.result(
              db.pool()
                  .preparedQuery("SELECT locktype FROM pg_locks WHERE pid = $1 AND NOT granted")
                  .execute(Tuple.of(pid))
                  .map(rows -> rows.stream().map(r -> r.getString(0)).toList()),
              "pg_locks");
      if (!waiting.isEmpty()) {
        return waiting.get(0);
      }
    }
    return fail("Postgres process " + pid + " never waited for a lock");
  }

  private static Future<Long> count(SqlConnection tx, String proposer) {
    return proposals.lockAndCountPendingToUnseen(tx, proposer, NOW);
  }

  private static Proposal acceptedProposal() {
    Proposal p = create(proposal(agent(), agent(), unique("digest"), null, NOW));
    return inTx(tx -> proposals.change(tx, accept(p, NOW + 1)));
  }

  private static <T> T inTx(Function<SqlConnection, Future<T>> work) {
    return Await.result(db.pool().withTransaction(work::apply), "transaction");
  }

  private static Proposal create(NewProposal p) {
    return Await.result(proposals.create(db.pool(), p), "create");
  }

  private static Proposal find(String id) {
    return Await.result(proposals.find(db.pool(), id, NOW), "find").orElseThrow();
  }

  private static String storedStatus(String id) {
    return Await.result(
        db.pool()
            .preparedQuery("SELECT status FROM proposals WHERE id = $1")
            .execute(Tuple.of(id))
            .map(rows -> rows.iterator().next().getString(0)),
        "stored status");
  }

  private static Set<String> ids(List<Proposal> list) {
    return list.stream().map(Proposal::id).collect(Collectors.toSet());
  }
}
