package io.agentchat.marketplace.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentchat.marketplace.db.Database;
import io.agentchat.marketplace.testdb.TestDatabases;
import io.agentchat.protocol.ErrorCode;
import io.agentchat.protocol.ProtocolException;
import io.agentchat.relay.Await;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.SqlConnection;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Proposals in Postgres: storing, the verbs' changes and refusals, reads as of a time, the sweep.
 */
class ProposalRepositoryTest {
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

  /** A fresh bare agent id, so tests never see each other's proposals. */
  static String agent() {
    return UUID.randomUUID().toString().replace("-", "").substring(0, 16);
  }

  static String unique(String prefix) {
    return prefix + "_" + UUID.randomUUID().toString().replace("-", "");
  }

  static NewProposal proposal(
      String from, String to, String digest, Long expiresAt, long createdAt) {
    return new NewProposal(
        unique("prop"),
        from,
        to,
        "write a haiku",
        new BigDecimal("12.50"),
        "USD",
        "pay-here",
        "net 30",
        expiresAt,
        createdAt,
        "proposer-sig",
        25L,
        digest,
        null,
        null);
  }

  private static <T> T inTx(Function<SqlConnection, Future<T>> work) {
    return Await.result(db.pool().withTransaction(work::apply), "transaction");
  }

  private static Proposal create(NewProposal p) {
    return Await.result(proposals.create(db.pool(), p), "create");
  }

  private static Proposal find(String id, long now) {
    return Await.result(proposals.find(db.pool(), id, now), "find").orElseThrow();
  }

  private static ProtocolException refusal(ProposalChange change) {
    Future<Proposal> attempt = db.pool().withTransaction(tx -> proposals.change(tx, change));
    Throwable e =
        Await.result(
            attempt.transform(ar -> Future.succeededFuture(ar.failed() ? ar.cause() : null)),
            "refusal");
    return assertInstanceOf(ProtocolException.class, e, "refused");
  }

  static ProposalChange.Accept accept(Proposal p, long at) {
    return new ProposalChange.Accept(p.id(), p.toAgent(), at, "accept-sig", "acceptor-pay", 7L);
  }

  @Test
  void aCreatedProposalIsFoundWithEveryField() {
    NewProposal n = proposal(agent(), agent(), unique("digest"), 9_000_000L, 1_000);
    Proposal created = create(n);
    Proposal p = find(n.id(), 2_000);
    assertEquals(created, p);
    assertEquals(n.fromAgent(), p.fromAgent());
    assertEquals(n.toAgent(), p.toAgent());
    assertEquals("write a haiku", p.task());
    assertEquals(0, new BigDecimal("12.5").compareTo(p.amount()));
    assertEquals("USD", p.currency());
    assertEquals("pay-here", p.paymentCode());
    assertEquals("net 30", p.terms());
    assertEquals(9_000_000L, p.expiresAt());
    assertEquals(ProposalStatus.PENDING, p.status());
    assertEquals(1_000L, p.createdAt());
    assertEquals(1_000L, p.updatedAt());
    assertNull(p.acceptedAt());
    assertEquals("proposer-sig", p.sig());
    assertEquals(25L, p.proposerStake());
    assertNull(p.acceptorStake());
    assertEquals(n.signedDigest(), p.signedDigest());
    assertEquals(
        Optional.empty(), Await.result(proposals.find(db.pool(), "prop_missing", 2_000), "find"));
  }

  @Test
  void anOpenTwinBlocksASecondProposalWithTheSameSignedDigest() {
    String digest = unique("digest");
    NewProposal first = proposal(agent(), agent(), digest, null, 1_000);
    create(first);
    Future<Proposal> second =
        proposals.create(db.pool(), proposal(agent(), agent(), digest, null, 2_000));
    Throwable e =
        Await.result(second.transform(ar -> Future.succeededFuture(ar.cause())), "second");
    assertTrue(ProposalRepository.isOpenTwin(e), String.valueOf(e));
    assertEquals(
        Optional.of(first.id()), Await.result(proposals.openTwin(db.pool(), digest), "twin"));
  }

  @Test
  void aTwinPastItsExpiryIsStoredAsExpiredSoItsDoubleMayBeProposed() {
    String digest = unique("digest");
    NewProposal first = proposal(agent(), agent(), digest, 5_000L, 1_000);
    create(first);
    assertEquals(List.of(), inTx(tx -> proposals.expireDueTwin(tx, digest, 4_999)), "not due yet");
    List<Proposal> expired = inTx(tx -> proposals.expireDueTwin(tx, digest, 5_000));
    assertEquals(List.of(first.id()), expired.stream().map(Proposal::id).toList());
    assertEquals(ProposalStatus.EXPIRED, expired.get(0).status());
    assertEquals(5_000L, expired.get(0).updatedAt(), "expired when its expiry came");
    assertEquals(
        ProposalStatus.PENDING, create(proposal(agent(), agent(), digest, null, 6_000)).status());
  }

  @Test
  void ofTenRacingAcceptsExactlyOneWinsAndTheOthersAreToldItIsNoLongerPending() {
    Proposal p = create(proposal(agent(), agent(), unique("digest"), null, 1_000));
    List<Future<Proposal>> attempts =
        IntStream.range(0, 10)
            .mapToObj(
                i -> db.pool().withTransaction(tx -> proposals.change(tx, accept(p, 2_000 + i))))
            .toList();
    Await.result(Future.join(attempts).otherwiseEmpty(), "all attempts");
    List<Future<Proposal>> won = attempts.stream().filter(Future::succeeded).toList();
    assertEquals(1, won.size(), "exactly one accept wins");
    for (Future<Proposal> attempt : attempts) {
      if (attempt.failed()) {
        ProtocolException e = assertInstanceOf(ProtocolException.class, attempt.cause());
        assertEquals(ErrorCode.INVALID_PROPOSAL, e.code());
        assertEquals("PROPOSAL_NOT_PENDING", e.getMessage());
      }
    }
    Proposal winner = won.get(0).result();
    assertEquals(winner, find(p.id(), 3_000));
    assertEquals(ProposalStatus.ACCEPTED, winner.status());
    assertEquals(winner.updatedAt(), winner.acceptedAt());
    assertEquals(7L, winner.acceptorStake());
    assertEquals("acceptor-pay", winner.responsePaymentCode());
    assertEquals("accept-sig", winner.responseSig());
  }

  @Test
  void aPendingProposalPastItsExpiryReadsAsExpiredAndCannotBeAccepted() {
    Proposal p = create(proposal(agent(), agent(), unique("digest"), 5_000L, 1_000));
    assertEquals(ProposalStatus.PENDING, find(p.id(), 4_999).status());
    Proposal due = find(p.id(), 5_000);
    assertEquals(ProposalStatus.EXPIRED, due.status());
    assertEquals(5_000L, due.updatedAt());
    ProtocolException e = refusal(accept(p, 6_000));
    assertEquals("PROPOSAL_NOT_PENDING", e.getMessage());
  }

  @Test
  void completionWaitsForTheMinimumAgeCountedFromAcceptance() {
    Proposal p = create(proposal(agent(), agent(), unique("digest"), null, 1_000));
    inTx(tx -> proposals.change(tx, accept(p, 2_000)));
    ProposalChange early =
        new ProposalChange.Complete(p.id(), p.fromAgent(), 2_500, "proof", "c-sig", 1_000);
    ProtocolException e = refusal(early);
    assertEquals(ErrorCode.RATE_LIMITED, e.code());
    assertEquals(
        "Proposal must be at least 1s old before completion (1s remaining)", e.getMessage());
    assertEquals(ProposalStatus.ACCEPTED, find(p.id(), 2_600).status(), "nothing changed");
    Proposal done =
        inTx(
            tx ->
                proposals.change(
                    tx,
                    new ProposalChange.Complete(
                        p.id(), p.fromAgent(), 3_000, "proof", "c-sig", 1_000)));
    assertEquals(ProposalStatus.COMPLETED, done.status());
    assertEquals(p.fromAgent(), done.completedBy());
    assertEquals(3_000L, done.completedAt());
    assertEquals("proof", done.completionProof());
    assertEquals("c-sig", done.completionSig());
  }

  @Test
  void anAgentsListIsNewestFirstAndFiltersByTheStatusAsOfNow() {
    String me = agent();
    NewProposal mine = proposal(me, agent(), unique("digest"), 5_000L, 1_000);
    NewProposal toMe = proposal(agent(), me, unique("digest"), null, 2_000);
    create(mine);
    create(toMe);
    create(proposal(agent(), agent(), unique("digest"), null, 3_000));
    List<Proposal> all = Await.result(proposals.forAgent(db.pool(), me, null, 10, 6_000), "all");
    assertEquals(List.of(toMe.id(), mine.id()), all.stream().map(Proposal::id).toList());
    assertEquals(ProposalStatus.EXPIRED, all.get(1).status());
    List<Proposal> pending =
        Await.result(
            proposals.forAgent(db.pool(), me, ProposalStatus.PENDING, 10, 6_000), "pending");
    assertEquals(List.of(toMe.id()), pending.stream().map(Proposal::id).toList());
    List<Proposal> expired =
        Await.result(
            proposals.forAgent(db.pool(), me, ProposalStatus.EXPIRED, 10, 6_000), "expired");
    assertEquals(List.of(mine.id()), expired.stream().map(Proposal::id).toList());
    List<Proposal> one = Await.result(proposals.forAgent(db.pool(), me, null, 1, 6_000), "one");
    assertEquals(List.of(toMe.id()), one.stream().map(Proposal::id).toList());
  }

  @Test
  void theSweepExpiresExactlyThePendingProposalsThatAreDueInBatches() {
    // Times far in the future of every other test's, so only these proposals are due.
    long base = 1_000_000_000_000L;
    Proposal due = create(proposal(agent(), agent(), unique("digest"), base + 10, base));
    Proposal dueAtNow = create(proposal(agent(), agent(), unique("digest"), base + 20, base));
    Proposal later = create(proposal(agent(), agent(), unique("digest"), base + 21, base));
    Proposal acceptedAndDue = create(proposal(agent(), agent(), unique("digest"), base + 10, base));
    inTx(tx -> proposals.change(tx, accept(acceptedAndDue, base + 1)));
    int swept = 0;
    for (int batch = 0; batch < 100_000; batch++) {
      List<Proposal> expired = inTx(tx -> proposals.expireDue(tx, base + 20, 1));
      if (expired.isEmpty()) {
        break;
      }
      assertEquals(1, expired.size(), "at most a batch");
      swept++;
    }
    assertTrue(swept >= 2, "at least this test's two due proposals");
    assertEquals(List.of(), inTx(tx -> proposals.expireDue(tx, base + 20, 500)), "then none");
    assertEquals(ProposalStatus.EXPIRED, find(due.id(), 0).status());
    assertEquals(ProposalStatus.EXPIRED, find(dueAtNow.id(), 0).status());
    assertEquals(ProposalStatus.PENDING, find(later.id(), 0).status());
    assertEquals(ProposalStatus.ACCEPTED, find(acceptedAndDue.id(), 0).status());
  }

  @Test
  void pendingProposalsToUnseenAgentsCountOnlyOpenOnesToAgentsNeverSeen() {
    String me = agent();
    String seen = agent();
    Await.result(new AgentRepository().seen(db.pool(), seen, "PEM", "seen", 1_000), "seen");
    create(proposal(me, agent(), unique("digest"), null, 1_000));
    create(proposal(me, agent(), unique("digest"), 5_000L, 1_000)); // expires
    create(proposal(me, seen, unique("digest"), null, 1_000));
    Proposal accepted = create(proposal(me, agent(), unique("digest"), null, 1_000));
    inTx(tx -> proposals.change(tx, accept(accepted, 2_000)));
    assertEquals(
        2L,
        (long) inTx(tx -> proposals.lockAndCountPendingToUnseen(tx, me, 4_000)),
        "both pending ones to unseen agents");
    assertEquals(
        1L,
        (long) inTx(tx -> proposals.lockAndCountPendingToUnseen(tx, me, 6_000)),
        "one expired meanwhile");
  }

  @Test
  void theCensusCountsProposalsByStatusAsOfNow() {
    ProposalRepository.Census before = Await.result(proposals.census(db.pool(), 10_000), "before");
    Proposal p = create(proposal(agent(), agent(), unique("digest"), null, 1_000));
    create(proposal(agent(), agent(), unique("digest"), 2_000L, 1_000));
    inTx(tx -> proposals.change(tx, accept(p, 1_500)));
    ProposalRepository.Census after = Await.result(proposals.census(db.pool(), 10_000), "after");
    Map<ProposalStatus, Long> b = before.byStatus();
    Map<ProposalStatus, Long> a = after.byStatus();
    assertEquals(List.of(ProposalStatus.values()), List.copyOf(a.keySet()), "every status");
    assertEquals(b.get(ProposalStatus.ACCEPTED) + 1, a.get(ProposalStatus.ACCEPTED));
    assertEquals(b.get(ProposalStatus.EXPIRED) + 1, a.get(ProposalStatus.EXPIRED));
    assertEquals(before.total() + 2, after.total());
    assertEquals(before.agents() + 4, after.agents());
  }
}
