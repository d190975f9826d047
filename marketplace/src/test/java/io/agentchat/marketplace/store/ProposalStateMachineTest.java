package io.agentchat.marketplace.store;

import static io.agentchat.marketplace.store.ProposalRepositoryTest.agent;
import static io.agentchat.marketplace.store.ProposalRepositoryTest.proposal;
import static io.agentchat.marketplace.store.ProposalRepositoryTest.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.agentchat.marketplace.db.Database;
import io.agentchat.marketplace.testdb.TestDatabases;
import io.agentchat.protocol.ProtocolException;
import io.agentchat.relay.Await;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every cell of {@link ProposalStateMachine}, tried against a real database: a proposal is brought
 * into the cell's status, the cell's party sends the cell's verb, and the stored proposal and the
 * answer must be exactly what the table says. The guarded SQL is derived from the same table, so
 * this also shows the two agree.
 */
class ProposalStateMachineTest {
  private static final long CREATED = 1_000;
  private static final long EXPIRES = 50_000;
  private static final long NOW = 100_000;
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

  static Stream<Arguments> cells() {
    List<Arguments> cells = new ArrayList<>();
    for (ProposalVerb verb : ProposalVerb.values()) {
      for (ProposalStatus status : ProposalStatus.values()) {
        for (Party party : Party.values()) {
          cells.add(Arguments.of(verb, status, party));
        }
      }
    }
    return cells.stream();
  }

  @ParameterizedTest(name = "{0} on {1} by {2}")
  @MethodSource("cells")
  void theStoreDoesExactlyWhatTheTableSays(ProposalVerb verb, ProposalStatus status, Party party) {
    Proposal before = inStatus(status);
    String caller =
        switch (party) {
          case PROPOSER -> before.fromAgent();
          case RECIPIENT -> before.toAgent();
          case STRANGER -> agent();
        };
    Future<Proposal> attempt =
        db.pool().withTransaction(tx -> proposals.change(tx, change(verb, before.id(), caller)));
    Await.result(attempt.otherwiseEmpty(), "attempt");
    Proposal after =
        Await.result(proposals.find(db.pool(), before.id(), NOW), "find").orElseThrow();
    ProposalStateMachine.Outcome expected = ProposalStateMachine.outcome(verb, status, party);
    if (expected instanceof ProposalStateMachine.Move move) {
      assertEquals(move.to(), attempt.result().status(), "the answer");
      assertEquals(move.to(), after.status(), "what is stored");
      assertEquals(NOW, after.updatedAt());
    } else {
      ProposalStateMachine.Refuse refuse = (ProposalStateMachine.Refuse) expected;
      ProtocolException e = assertInstanceOf(ProtocolException.class, attempt.cause());
      assertEquals(refuse.code(), e.code());
      assertEquals(refuse.message(), e.getMessage());
      assertEquals(status, after.status(), "nothing changed");
      assertEquals(before.updatedAt(), after.updatedAt(), "nothing changed");
    }
  }

  @Test
  void everyVerbOnAnUnknownIdGetsItsNotFoundRefusal() {
    for (ProposalVerb verb : ProposalVerb.values()) {
      Future<Proposal> attempt =
          db.pool().withTransaction(tx -> proposals.change(tx, change(verb, "prop_none", agent())));
      Await.result(attempt.otherwiseEmpty(), "attempt");
      ProtocolException e = assertInstanceOf(ProtocolException.class, attempt.cause());
      assertEquals(ProposalStateMachine.missing(verb).code(), e.code(), verb.name());
      assertEquals(ProposalStateMachine.missing(verb).message(), e.getMessage(), verb.name());
    }
  }

  /**
   * A fresh proposal in {@code status}. {@link ProposalStatus#EXPIRED} is a pending proposal whose
   * expiry has come at {@link #NOW} but that nothing has stored as expired yet, the harder case.
   */
  private static Proposal inStatus(ProposalStatus status) {
    String from = agent();
    String to = agent();
    Long expires = status == ProposalStatus.EXPIRED ? EXPIRES : null;
    Proposal p =
        Await.result(
            proposals.create(db.pool(), proposal(from, to, unique("digest"), expires, CREATED)),
            "create");
    ProposalVerb via =
        switch (status) {
          case PENDING, EXPIRED -> null;
          case ACCEPTED, COMPLETED, DISPUTED -> ProposalVerb.ACCEPT;
          case REJECTED -> ProposalVerb.REJECT;
        };
    if (via != null) {
      p = apply(change(via, p.id(), to, CREATED + 1));
    }
    if (status == ProposalStatus.COMPLETED) {
      p = apply(change(ProposalVerb.COMPLETE, p.id(), from, CREATED + 2));
    } else if (status == ProposalStatus.DISPUTED) {
      p = apply(change(ProposalVerb.DISPUTE, p.id(), to, CREATED + 2));
    }
    return Await.result(proposals.find(db.pool(), p.id(), NOW), "find").orElseThrow();
  }

  private static Proposal apply(ProposalChange change) {
    return Await.result(db.pool().withTransaction(tx -> proposals.change(tx, change)), "apply");
  }

  private static ProposalChange change(ProposalVerb verb, String id, String caller) {
    return change(verb, id, caller, NOW);
  }

  private static ProposalChange change(ProposalVerb verb, String id, String caller, long at) {
    return switch (verb) {
      case ACCEPT -> new ProposalChange.Accept(id, caller, at, "a-sig", null, null);
      case REJECT -> new ProposalChange.Reject(id, caller, at, "r-sig", "no");
      case COMPLETE -> new ProposalChange.Complete(id, caller, at, "proof", "c-sig", 0);
      case DISPUTE -> new ProposalChange.Dispute(id, caller, at, "bad", "d-sig");
    };
  }
}
