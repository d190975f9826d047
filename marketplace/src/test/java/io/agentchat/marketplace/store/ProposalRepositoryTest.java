package io.agentchat.marketplace.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentchat.marketplace.db.Database;
import io.agentchat.marketplace.testdb.TestDatabases;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class ProposalRepositoryTest {
  private static Database db;
  private static ProposalRepository proposals;

  @BeforeAll
  static void start(Vertx vertx, VertxTestContext ctx) {
    Database.start(vertx, TestDatabases.freshDatabase())
        .onComplete(
            ctx.succeeding(
                started -> {
                  db = started;
                  proposals = new ProposalRepository(db.pool());
                  ctx.completeNow();
                }));
  }

  @AfterAll
  static void stop(VertxTestContext ctx) {
    db.close().onComplete(ctx.succeedingThenComplete());
  }

  /** A fresh bare agent id, so tests never see each other's proposals. */
  private static String agent() {
    return UUID.randomUUID().toString().replace("-", "").substring(0, 16);
  }

  private static String unique(String prefix) {
    return prefix + "_" + UUID.randomUUID().toString().replace("-", "");
  }

  private static NewProposal proposal(
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
        digest);
  }

  /** The rule of ACCEPT in its simplest form: only a pending proposal can be accepted. */
  private static TransitionRule<Proposal> acceptIfPending(long now, String sig) {
    return current -> {
      Proposal p = current.orElseThrow(() -> new IllegalStateException("not found"));
      if (p.status() != ProposalStatus.PENDING) {
        return Transition.refuse(new IllegalStateException("already " + p.status().wire()));
      }
      Proposal accepted = p.accepted(now, sig, "acceptor-pay", 7L);
      return Transition.update(accepted, accepted);
    };
  }

  private static TransitionRule<Proposal> reject(long now) {
    return current -> {
      Proposal rejected = current.orElseThrow().rejected(now, "reject-sig", "busy");
      return Transition.update(rejected, rejected);
    };
  }

  @Test
  void aCreatedProposalIsFoundWithEveryField(VertxTestContext ctx) {
    NewProposal n = proposal(agent(), agent(), unique("digest"), 9_000_000L, 1_000);
    proposals
        .create(n)
        .compose(
            created ->
                proposals
                    .find(n.id(), 2_000)
                    .map(
                        found -> {
                          Proposal p = found.orElseThrow();
                          assertEquals(created, p);
                          assertEquals(n.id(), p.id());
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
                          return p;
                        }))
        .compose(p -> proposals.find("prop_missing", 2_000))
        .map(
            missing -> {
              assertEquals(Optional.empty(), missing);
              return missing;
            })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aDuplicateOfAnOpenProposalIsRefusedNamingTheOpenOne(VertxTestContext ctx) {
    String from = agent();
    String to = agent();
    String digest = unique("digest");
    NewProposal first = proposal(from, to, digest, null, 1_000);
    proposals
        .create(first)
        .compose(p -> proposals.create(proposal(from, to, digest, null, 2_000)))
        .onComplete(
            ctx.failing(
                e ->
                    ctx.verify(
                        () -> {
                          DuplicateProposalException d =
                              assertInstanceOf(DuplicateProposalException.class, e);
                          assertEquals(first.id(), d.openProposalId());
                          ctx.completeNow();
                        })));
  }

  @Test
  void aDuplicateIsAllowedAgainOnceTheFirstIsRejected(VertxTestContext ctx) {
    String from = agent();
    String to = agent();
    String digest = unique("digest");
    NewProposal first = proposal(from, to, digest, null, 1_000);
    NewProposal second = proposal(from, to, digest, null, 3_000);
    proposals
        .create(first)
        .compose(p -> proposals.transition(first.id(), 2_000, reject(2_000)))
        .compose(p -> proposals.create(second))
        .map(
            p -> {
              assertEquals(second.id(), p.id());
              assertEquals(ProposalStatus.PENDING, p.status());
              return p;
            })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aDuplicateOfAProposalPastItsExpiryIsAllowedAndExpiresIt(VertxTestContext ctx) {
    String from = agent();
    String to = agent();
    String digest = unique("digest");
    NewProposal first = proposal(from, to, digest, 5_000L, 1_000);
    NewProposal second = proposal(from, to, digest, null, 5_000);
    proposals
        .create(first)
        .compose(p -> proposals.create(second))
        .compose(p -> proposals.find(first.id(), 5_000))
        .map(
            p -> {
              assertEquals(ProposalStatus.EXPIRED, p.orElseThrow().status());
              assertEquals(5_000L, p.orElseThrow().updatedAt());
              return p;
            })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void ofTenRacingAcceptsExactlyOneWinsAndTheOthersSeeItAccepted(VertxTestContext ctx) {
    NewProposal n = proposal(agent(), agent(), unique("digest"), null, 1_000);
    proposals
        .create(n)
        .compose(
            created -> {
              List<Future<Proposal>> attempts =
                  IntStream.range(0, 10)
                      .mapToObj(
                          i ->
                              proposals.transition(
                                  n.id(), 2_000 + i, acceptIfPending(2_000 + i, "sig-" + i)))
                      .toList();
              return Future.join(attempts).transform(ignored -> Future.succeededFuture(attempts));
            })
        .map(
            attempts -> {
              List<Future<Proposal>> won = attempts.stream().filter(Future::succeeded).toList();
              assertEquals(1, won.size(), "exactly one accept wins");
              for (Future<Proposal> lost : attempts) {
                if (lost.failed()) {
                  assertEquals("already accepted", lost.cause().getMessage());
                }
              }
              return won.get(0).result();
            })
        .compose(
            winner ->
                proposals
                    .find(n.id(), 3_000)
                    .map(
                        stored -> {
                          assertEquals(winner, stored.orElseThrow());
                          assertEquals(ProposalStatus.ACCEPTED, winner.status());
                          assertEquals(winner.updatedAt(), winner.acceptedAt());
                          assertEquals(7L, winner.acceptorStake());
                          assertEquals("acceptor-pay", winner.responsePaymentCode());
                          return stored;
                        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aRefusedTransitionFailsWithTheRulesExceptionAndChangesNothing(VertxTestContext ctx) {
    NewProposal n = proposal(agent(), agent(), unique("digest"), null, 1_000);
    IllegalStateException refusal = new IllegalStateException("NOT_PROPOSAL_RECIPIENT");
    proposals
        .create(n)
        .compose(
            created ->
                proposals
                    .<String>transition(n.id(), 2_000, current -> Transition.refuse(refusal))
                    .transform(
                        ar -> {
                          assertTrue(ar.failed());
                          assertEquals(refusal, ar.cause());
                          return proposals.find(n.id(), 2_000);
                        })
                    .map(
                        found -> {
                          assertEquals(created, found.orElseThrow());
                          return found;
                        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aRuleThatThrowsIsARefusal(VertxTestContext ctx) {
    proposals
        .<String>transition(
            "prop_missing",
            2_000,
            current -> {
              assertEquals(Optional.empty(), current);
              throw new IllegalArgumentException("PROPOSAL_NOT_FOUND");
            })
        .onComplete(
            ctx.failing(
                e ->
                    ctx.verify(
                        () -> {
                          assertEquals("PROPOSAL_NOT_FOUND", e.getMessage());
                          ctx.completeNow();
                        })));
  }

  @Test
  void aTransitionSeesAPendingProposalPastItsExpiryAsExpiredAndKeepsTheExpiry(
      VertxTestContext ctx) {
    NewProposal n = proposal(agent(), agent(), unique("digest"), 5_000L, 1_000);
    proposals
        .create(n)
        .compose(created -> proposals.transition(n.id(), 5_000, acceptIfPending(5_000, "late")))
        .transform(
            ar -> {
              assertTrue(ar.failed());
              assertEquals("already expired", ar.cause().getMessage());
              // Read at an earlier time: the stored status, not the clock, says expired.
              return proposals.find(n.id(), 0);
            })
        .map(
            found -> {
              assertEquals(ProposalStatus.EXPIRED, found.orElseThrow().status());
              assertEquals(5_000L, found.orElseThrow().updatedAt());
              return found;
            })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aTransitionThatChangesNothingCompletesWithItsResult(VertxTestContext ctx) {
    NewProposal n = proposal(agent(), agent(), unique("digest"), 5_000L, 1_000);
    proposals
        .create(n)
        .compose(
            created ->
                proposals.transition(
                    n.id(), 4_999, current -> Transition.none(current.orElseThrow().status())))
        .map(
            status -> {
              assertEquals(ProposalStatus.PENDING, status);
              return status;
            })
        .compose(
            v ->
                proposals.transition(
                    n.id(), 6_000, current -> Transition.none(current.orElseThrow().status())))
        .map(
            status -> {
              assertEquals(ProposalStatus.EXPIRED, status);
              return status;
            })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void anAgentsListIsNewestFirstAndReportsDueProposalsAsExpired(VertxTestContext ctx) {
    String me = agent();
    NewProposal mine = proposal(me, agent(), unique("digest"), 5_000L, 1_000);
    NewProposal toMe = proposal(agent(), me, unique("digest"), null, 2_000);
    NewProposal others = proposal(agent(), agent(), unique("digest"), null, 3_000);
    proposals
        .create(mine)
        .compose(p -> proposals.create(toMe))
        .compose(p -> proposals.create(others))
        .compose(p -> proposals.forAgent(me, null, 10, 6_000))
        .map(
            list -> {
              assertEquals(List.of(toMe.id(), mine.id()), list.stream().map(Proposal::id).toList());
              assertEquals(ProposalStatus.EXPIRED, list.get(1).status());
              return list;
            })
        .compose(v -> proposals.forAgent(me, ProposalStatus.PENDING, 10, 6_000))
        .map(
            list -> {
              assertEquals(List.of(toMe.id()), list.stream().map(Proposal::id).toList());
              return list;
            })
        .compose(v -> proposals.forAgent(me, null, 1, 6_000))
        .map(
            list -> {
              assertEquals(List.of(toMe.id()), list.stream().map(Proposal::id).toList());
              return list;
            })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void openProposalsArePendingOnesAddressedToTheAgentAndAcceptedOnesOfEitherParty(
      VertxTestContext ctx) {
    String me = agent();
    String other = agent();
    NewProposal pendingToMe = proposal(other, me, unique("digest"), null, 1_000);
    NewProposal dueToMe = proposal(other, me, unique("digest"), 5_000L, 1_001);
    NewProposal pendingFromMe = proposal(me, other, unique("digest"), null, 1_002);
    NewProposal acceptedFromMe = proposal(me, other, unique("digest"), null, 1_003);
    NewProposal rejectedToMe = proposal(other, me, unique("digest"), null, 1_004);
    proposals
        .create(pendingToMe)
        .compose(p -> proposals.create(dueToMe))
        .compose(p -> proposals.create(pendingFromMe))
        .compose(p -> proposals.create(acceptedFromMe))
        .compose(p -> proposals.create(rejectedToMe))
        .compose(p -> proposals.transition(acceptedFromMe.id(), 2_000, acceptIfPending(2_000, "s")))
        .compose(p -> proposals.transition(rejectedToMe.id(), 2_000, reject(2_000)))
        .compose(p -> proposals.openFor(me, 6_000))
        .map(
            open -> {
              assertEquals(
                  List.of(pendingToMe.id(), acceptedFromMe.id()),
                  open.stream().map(Proposal::id).toList());
              return open;
            })
        .compose(v -> proposals.openFor(other, 6_000))
        .map(
            open -> {
              assertEquals(
                  List.of(pendingFromMe.id(), acceptedFromMe.id()),
                  open.stream().map(Proposal::id).toList());
              return open;
            })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void theSweepExpiresExactlyThePendingProposalsThatAreDue(VertxTestContext ctx) {
    // Times far in the future of every other test's, so only these proposals are due.
    long base = 1_000_000_000_000L;
    NewProposal due = proposal(agent(), agent(), unique("digest"), base + 10, base);
    NewProposal dueAtNow = proposal(agent(), agent(), unique("digest"), base + 20, base);
    NewProposal later = proposal(agent(), agent(), unique("digest"), base + 21, base);
    NewProposal acceptedAndDue = proposal(agent(), agent(), unique("digest"), base + 10, base);
    proposals
        .create(due)
        .compose(p -> proposals.create(dueAtNow))
        .compose(p -> proposals.create(later))
        .compose(p -> proposals.create(acceptedAndDue))
        .compose(
            p ->
                proposals.transition(acceptedAndDue.id(), base + 1, acceptIfPending(base + 1, "s")))
        .compose(p -> proposals.expireDue(base + 20))
        .map(
            count -> {
              assertTrue(count >= 2, "at least this test's two due proposals");
              return count;
            })
        .compose(v -> proposals.expireDue(base + 20))
        .map(
            count -> {
              assertEquals(0, count, "a second sweep finds nothing");
              return count;
            })
        .compose(
            v ->
                Future.all(
                    proposals.find(due.id(), 0), proposals.find(dueAtNow.id(), 0),
                    proposals.find(later.id(), 0), proposals.find(acceptedAndDue.id(), 0)))
        .map(
            all -> {
              List<ProposalStatus> statuses =
                  all.<Optional<Proposal>>list().stream()
                      .map(p -> p.orElseThrow().status())
                      .toList();
              assertEquals(
                  List.of(
                      ProposalStatus.EXPIRED,
                      ProposalStatus.EXPIRED,
                      ProposalStatus.PENDING,
                      ProposalStatus.ACCEPTED),
                  statuses);
              return all;
            })
        .onComplete(ctx.succeedingThenComplete());
  }
}
