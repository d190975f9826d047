package io.agentchat.marketplace.store;

import static io.agentchat.marketplace.store.ProposalRepositoryTest.agent;
import static io.agentchat.marketplace.store.ProposalRepositoryTest.proposal;
import static io.agentchat.marketplace.store.ProposalRepositoryTest.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentchat.marketplace.db.Database;
import io.agentchat.marketplace.testdb.TestDatabases;
import io.agentchat.protocol.ErrorCode;
import io.agentchat.protocol.ProtocolException;
import io.agentchat.relay.Await;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The proposal status machine against its contract, SPEC.md §7.2, written out here cell by cell
 * ({@link #SPEC_TABLE}) rather than taken from {@link ProposalStateMachine}: the table there is
 * what the guarded SQL is derived from, so a wrong cell in it would otherwise go unnoticed. Every
 * cell is checked twice: the table must say what the spec says, and a real database, with a
 * proposal brought into the cell's status and the cell's party sending the cell's verb, must do it.
 * Beside the table: the minimum age before COMPLETE, and unknown ids.
 */
@Timeout(60)
class ProposalStateMachineTest {
  private static final long CREATED = 1_000;
  private static final long EXPIRES = 50_000;
  private static final long NOW = 100_000;
  private static Vertx vertx;
  private static Database db;
  private static final ProposalRepository proposals = new ProposalRepository();

  /**
   * SPEC.md §7.2, "Which verb applies in which status, for which party, and the refusal otherwise",
   * one row per verb and status. A lowercase word is the status the proposal moves to; an uppercase
   * one is the message of the refusal, whose code is always {@code INVALID_PROPOSAL}.
   */
  private static final String SPEC_TABLE =
      """
      verb      status     proposer                recipient               stranger
      ACCEPT    pending    NOT_PROPOSAL_RECIPIENT  accepted                NOT_PROPOSAL_RECIPIENT
      ACCEPT    accepted   PROPOSAL_NOT_PENDING    PROPOSAL_NOT_PENDING    PROPOSAL_NOT_PENDING
      ACCEPT    rejected   PROPOSAL_NOT_PENDING    PROPOSAL_NOT_PENDING    PROPOSAL_NOT_PENDING
      ACCEPT    completed  PROPOSAL_NOT_PENDING    PROPOSAL_NOT_PENDING    PROPOSAL_NOT_PENDING
      ACCEPT    disputed   PROPOSAL_NOT_PENDING    PROPOSAL_NOT_PENDING    PROPOSAL_NOT_PENDING
      ACCEPT    expired    PROPOSAL_NOT_PENDING    PROPOSAL_NOT_PENDING    PROPOSAL_NOT_PENDING
      REJECT    pending    NOT_PROPOSAL_RECIPIENT  rejected                NOT_PROPOSAL_RECIPIENT
      REJECT    accepted   PROPOSAL_NOT_PENDING    PROPOSAL_NOT_PENDING    PROPOSAL_NOT_PENDING
      REJECT    rejected   PROPOSAL_NOT_PENDING    PROPOSAL_NOT_PENDING    PROPOSAL_NOT_PENDING
      REJECT    completed  PROPOSAL_NOT_PENDING    PROPOSAL_NOT_PENDING    PROPOSAL_NOT_PENDING
      REJECT    disputed   PROPOSAL_NOT_PENDING    PROPOSAL_NOT_PENDING    PROPOSAL_NOT_PENDING
      REJECT    expired    PROPOSAL_NOT_PENDING    PROPOSAL_NOT_PENDING    PROPOSAL_NOT_PENDING
      COMPLETE  pending    PROPOSAL_NOT_ACCEPTED   PROPOSAL_NOT_ACCEPTED   PROPOSAL_NOT_ACCEPTED
      COMPLETE  accepted   completed               completed               NOT_PROPOSAL_PARTY
      COMPLETE  rejected   PROPOSAL_NOT_ACCEPTED   PROPOSAL_NOT_ACCEPTED   PROPOSAL_NOT_ACCEPTED
      COMPLETE  completed  PROPOSAL_NOT_ACCEPTED   PROPOSAL_NOT_ACCEPTED   PROPOSAL_NOT_ACCEPTED
      COMPLETE  disputed   PROPOSAL_NOT_ACCEPTED   PROPOSAL_NOT_ACCEPTED   PROPOSAL_NOT_ACCEPTED
      COMPLETE  expired    PROPOSAL_NOT_ACCEPTED   PROPOSAL_NOT_ACCEPTED   PROPOSAL_NOT_ACCEPTED
      DISPUTE   pending    PROPOSAL_NOT_ACCEPTED   PROPOSAL_NOT_ACCEPTED   PROPOSAL_NOT_ACCEPTED
      DISPUTE   accepted   disputed                disputed                NOT_PROPOSAL_PARTY
      DISPUTE   rejected   PROPOSAL_NOT_ACCEPTED   PROPOSAL_NOT_ACCEPTED   PROPOSAL_NOT_ACCEPTED
      DISPUTE   completed  PROPOSAL_NOT_ACCEPTED   PROPOSAL_NOT_ACCEPTED   PROPOSAL_NOT_ACCEPTED
      DISPUTE   disputed   PROPOSAL_NOT_ACCEPTED   PROPOSAL_NOT_ACCEPTED   PROPOSAL_NOT_ACCEPTED
      DISPUTE   expired    PROPOSAL_NOT_ACCEPTED   PROPOSAL_NOT_ACCEPTED   PROPOSAL_NOT_ACCEPTED
      """;

  private static final Map<Cell, Expected> SPEC = parse(SPEC_TABLE);

  /** SPEC.md §7.2: unknown ids. ACCEPT has a code of its own, as in the reference. */
  private static final Map<ProposalVerb, Expected> SPEC_UNKNOWN_ID =
      Map.of(
          ProposalVerb.ACCEPT,
          Expected.refused(ErrorCode.PROPOSAL_NOT_FOUND, "Proposal not found"),
          ProposalVerb.REJECT,
          Expected.refused(ErrorCode.INVALID_PROPOSAL, "PROPOSAL_NOT_FOUND"),
          ProposalVerb.COMPLETE,
          Expected.refused(ErrorCode.INVALID_PROPOSAL, "PROPOSAL_NOT_FOUND"),
          ProposalVerb.DISPUTE,
          Expected.refused(ErrorCode.INVALID_PROPOSAL, "PROPOSAL_NOT_FOUND"));

  /** The minimum proposal age of the tests that have one, and when their proposal is accepted. */
  private static final long MIN_AGE = 60_000;

  private static final long ACCEPTED_AT = CREATED + 10_000;

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

  /** One cell of the status table: a verb, a status, the party sending the verb. */
  record Cell(ProposalVerb verb, ProposalStatus status, Party party) {}

  /** What a cell does: the proposal moves to {@code movesTo}, or the caller gets the refusal. */
  record Expected(ProposalStatus movesTo, ErrorCode code, String message) {
    static Expected moves(ProposalStatus to) {
      return new Expected(Objects.requireNonNull(to), null, null);
    }

    static Expected refused(ErrorCode code, String message) {
      return new Expected(null, Objects.requireNonNull(code), Objects.requireNonNull(message));
    }

    static Expected of(ProposalStateMachine.Outcome outcome) {
      if (outcome instanceof ProposalStateMachine.Move m) {
        return moves(m.to());
      }
      ProposalStateMachine.Refuse r = (ProposalStateMachine.Refuse) outcome;
      return refused(r.code(), r.message());
    }

    static Expected of(ProtocolException refusal) {
      return refused(refusal.code(), refusal.getMessage());
    }

    boolean isMove() {
      return movesTo != null;
    }

    @Override
    public String toString() {
      return isMove() ? "moves to " + movesTo.wire() : code + " \"" + message + "\"";
    }
  }

  /**
   * How the walk brings a proposal into a status: expired both ways it can be (only past its
   * expiry, or already stored so by the sweep), pending with and without an expiry still to come.
   */
  enum Standing {
    PENDING(ProposalStatus.PENDING),
    PENDING_WITH_EXPIRY_TO_COME(ProposalStatus.PENDING),
    ACCEPTED(ProposalStatus.ACCEPTED),
    REJECTED(ProposalStatus.REJECTED),
    COMPLETED(ProposalStatus.COMPLETED),
    DISPUTED(ProposalStatus.DISPUTED),
    EXPIRY_COME_BUT_STORED_PENDING(ProposalStatus.EXPIRED),
    STORED_AS_EXPIRED_BY_THE_SWEEP(ProposalStatus.EXPIRED);

    final ProposalStatus status;

    Standing(ProposalStatus status) {
      this.status = status;
    }
  }

  static Stream<Arguments> cells() {
    return SPEC.keySet().stream().map(c -> Arguments.of(c.verb(), c.status(), c.party()));
  }

  static Stream<Arguments> walk() {
    List<Arguments> walk = new ArrayList<>();
    for (ProposalVerb verb : ProposalVerb.values()) {
      for (Standing standing : Standing.values()) {
        for (Party party : Party.values()) {
          walk.add(Arguments.of(verb, standing, party));
        }
      }
    }
    return walk.stream();
  }

  @ParameterizedTest(name = "{0} on {1} by {2}")
  @MethodSource("cells")
  void theTableSaysWhatTheSpecSays(ProposalVerb verb, ProposalStatus status, Party party) {
    assertEquals(
        SPEC.get(new Cell(verb, status, party)),
        Expected.of(ProposalStateMachine.outcome(verb, status, party)),
        () ->
            "ProposalStateMachine's cell ("
                + verb
                + ", "
                + status.wire()
                + ", "
                + party.name().toLowerCase(Locale.ROOT)
                + ") disagrees with SPEC.md §7.2");
  }

  @Test
  void theWalkBringsAProposalIntoEveryStatus() {
    for (ProposalStatus status : ProposalStatus.values()) {
      assertTrue(
          Stream.of(Standing.values()).anyMatch(s -> s.status == status), status + " is walked");
    }
  }

  @ParameterizedTest(name = "{0} on {1} by {2}")
  @MethodSource("walk")
  void theStoreDoesExactlyWhatTheSpecSays(ProposalVerb verb, Standing standing, Party party) {
    Proposal before = bringTo(standing);
    assertEquals(standing.status, before.status(), "the proposal reads as its status");
    String storedBefore = storedStatus(before.id());
    String caller = caller(before, party);
    Future<Proposal> attempt = attempt(change(verb, before.id(), caller, NOW));
    Proposal after = find(before.id());
    Expected expected = SPEC.get(new Cell(verb, standing.status, party));
    String cell = verb + " on " + standing + " by " + party + ": ";
    if (expected.isMove()) {
      assertTrue(
          attempt.succeeded(), () -> cell + "expected it " + expected + ", got " + attempt.cause());
      assertEquals(expected.movesTo(), attempt.result().status(), "the answer");
      assertEquals(attempt.result(), after, "what is stored is what was answered");
      assertEquals(expected.movesTo().wire(), storedStatus(before.id()), "the status column");
      assertEquals(NOW, after.updatedAt());
      assertRecorded(verb, caller, after);
    } else {
      assertTrue(
          attempt.failed(),
          () -> cell + "expected " + expected + ", but it moved to " + attempt.result().status());
      ProtocolException e = assertInstanceOf(ProtocolException.class, attempt.cause());
      assertEquals(expected, Expected.of(e), cell + "the refusal");
      assertEquals(before, after, "a refusal changes nothing");
      assertEquals(storedBefore, storedStatus(before.id()), "a refusal changes nothing");
    }
  }

  @Test
  void everyVerbOnAnUnknownIdGetsTheSpecsNotFoundRefusal() {
    for (ProposalVerb verb : ProposalVerb.values()) {
      Expected expected = SPEC_UNKNOWN_ID.get(verb);
      assertEquals(expected, Expected.of(ProposalStateMachine.missing(verb)), "the table's");
      Future<Proposal> attempt = attempt(change(verb, "prop_none", agent(), NOW));
      ProtocolException e = assertInstanceOf(ProtocolException.class, attempt.cause(), verb.name());
      assertEquals(expected, Expected.of(e), verb.name());
    }
  }

  @ParameterizedTest(name = "by the {0}")
  @EnumSource(
      value = Party.class,
      names = {"PROPOSER", "RECIPIENT"})
  void completionIsRefusedUntilTheMinimumAgeHasPassedSinceAcceptance(Party party) {
    Proposal before = acceptedAt(ACCEPTED_AT);
    String caller = caller(before, party);
    // When COMPLETE is sent, and the seconds the refusal says remain (whole seconds, rounded up).
    Map<Long, Long> remainingAt = new LinkedHashMap<>();
    remainingAt.put(ACCEPTED_AT, 60L);
    remainingAt.put(ACCEPTED_AT + 30_000, 30L);
    remainingAt.put(CREATED + MIN_AGE, 10L); // old enough since creation, not since acceptance
    remainingAt.put(ACCEPTED_AT + MIN_AGE - 1, 1L);
    remainingAt.forEach(
        (at, remaining) -> {
          Future<Proposal> early = attempt(complete(before.id(), caller, at, MIN_AGE));
          ProtocolException e =
              assertInstanceOf(ProtocolException.class, early.cause(), "at " + at);
          assertEquals(ErrorCode.RATE_LIMITED, e.code(), "at " + at);
          assertEquals(
              "Proposal must be at least 60s old before completion (" + remaining + "s remaining)",
              e.getMessage());
          assertEquals(before, find(before.id()), "a refusal changes nothing");
          assertEquals("accepted", storedStatus(before.id()), "a refusal changes nothing");
        });
    Proposal done = apply(complete(before.id(), caller, ACCEPTED_AT + MIN_AGE, MIN_AGE));
    assertEquals(ProposalStatus.COMPLETED, done.status());
    assertEquals(caller, done.completedBy());
    assertEquals(ACCEPTED_AT + MIN_AGE, done.completedAt());
    assertEquals(done, find(before.id()));
  }

  @ParameterizedTest(name = "by the {0}")
  @EnumSource(
      value = Party.class,
      names = {"PROPOSER", "RECIPIENT"})
  void aDisputeNeedsNoMinimumAge(Party party) {
    Proposal young = acceptedAt(ACCEPTED_AT);
    String caller = caller(young, party);
    Future<Proposal> complete = attempt(complete(young.id(), caller, ACCEPTED_AT, MIN_AGE));
    ProtocolException e = assertInstanceOf(ProtocolException.class, complete.cause());
    assertEquals(ErrorCode.RATE_LIMITED, e.code(), "too young to complete");
    Proposal disputed = apply(change(ProposalVerb.DISPUTE, young.id(), caller, ACCEPTED_AT));
    assertEquals(ProposalStatus.DISPUTED, disputed.status());
    assertEquals(caller, disputed.disputedBy());
    assertEquals(ACCEPTED_AT, disputed.disputedAt());
  }

  /**
   * A fresh proposal in {@code standing}, read back as of {@link #NOW}. Both parties are fresh
   * agents; the moves that bring it there happen before {@link #NOW}.
   */
  private static Proposal bringTo(Standing standing) {
    String from = agent();
    String to = agent();
    Long expires =
        switch (standing) {
          case PENDING_WITH_EXPIRY_TO_COME -> NOW + 1;
          case EXPIRY_COME_BUT_STORED_PENDING -> NOW; // the expiry's own instant counts as come
          case STORED_AS_EXPIRED_BY_THE_SWEEP -> EXPIRES;
          default -> null;
        };
    Proposal p =
        Await.result(
            proposals.create(db.pool(), proposal(from, to, unique("digest"), expires, CREATED)),
            "create");
    String id = p.id();
    switch (standing) {
      case ACCEPTED -> apply(change(ProposalVerb.ACCEPT, id, to, CREATED + 1));
      case REJECTED -> apply(change(ProposalVerb.REJECT, id, to, CREATED + 1));
      case COMPLETED -> {
        apply(change(ProposalVerb.ACCEPT, id, to, CREATED + 1));
        apply(change(ProposalVerb.COMPLETE, id, from, CREATED + 2));
      }
      case DISPUTED -> {
        apply(change(ProposalVerb.ACCEPT, id, to, CREATED + 1));
        apply(change(ProposalVerb.DISPUTE, id, to, CREATED + 2));
      }
      case STORED_AS_EXPIRED_BY_THE_SWEEP -> {
        List<Proposal> swept =
            Await.result(
                db.pool().withTransaction(tx -> proposals.expireDue(tx, EXPIRES, 1_000)), "sweep");
        assertTrue(swept.stream().anyMatch(s -> s.id().equals(id)), "the sweep expired it");
        assertEquals("expired", storedStatus(id), "stored as expired");
      }
      case EXPIRY_COME_BUT_STORED_PENDING -> assertEquals("pending", storedStatus(id));
      default -> {}
    }
    return find(id);
  }

  /** A fresh proposal the recipient accepted at {@code at}, with no expiry. */
  private static Proposal acceptedAt(long at) {
    Proposal p =
        Await.result(
            proposals.create(
                db.pool(), proposal(agent(), agent(), unique("digest"), null, CREATED)),
            "create");
    return apply(change(ProposalVerb.ACCEPT, p.id(), p.toAgent(), at));
  }

  private static void assertRecorded(ProposalVerb verb, String caller, Proposal p) {
    switch (verb) {
      case ACCEPT -> {
        assertEquals(NOW, p.acceptedAt());
        assertEquals("a-sig", p.responseSig());
      }
      case REJECT -> {
        assertEquals("r-sig", p.responseSig());
        assertEquals("no", p.rejectReason());
      }
      case COMPLETE -> {
        assertEquals(caller, p.completedBy());
        assertEquals(NOW, p.completedAt());
        assertEquals("proof", p.completionProof());
        assertEquals("c-sig", p.completionSig());
      }
      case DISPUTE -> {
        assertEquals(caller, p.disputedBy());
        assertEquals(NOW, p.disputedAt());
        assertEquals("bad", p.disputeReason());
        assertEquals("d-sig", p.disputeSig());
      }
    }
  }

  private static String caller(Proposal p, Party party) {
    return switch (party) {
      case PROPOSER -> p.fromAgent();
      case RECIPIENT -> p.toAgent();
      case STRANGER -> agent();
    };
  }

  /** The verb in a transaction of its own, completed either way. */
  private static Future<Proposal> attempt(ProposalChange change) {
    Future<Proposal> attempt = db.pool().withTransaction(tx -> proposals.change(tx, change));
    Await.result(attempt.otherwiseEmpty(), "attempt");
    return attempt;
  }

  private static Proposal apply(ProposalChange change) {
    return Await.result(db.pool().withTransaction(tx -> proposals.change(tx, change)), "apply");
  }

  private static Proposal find(String id) {
    return Await.result(proposals.find(db.pool(), id, NOW), "find").orElseThrow();
  }

  /** The status column as stored, which a due pending proposal's reads do not show. */
  private static String storedStatus(String id) {
    return Await.result(
        db.pool()
            .preparedQuery("SELECT status FROM proposals WHERE id = $1")
            .execute(Tuple.of(id))
            .map(rows -> rows.iterator().next().getString(0)),
        "stored status");
  }

  private static ProposalChange change(ProposalVerb verb, String id, String caller, long at) {
    return switch (verb) {
      case ACCEPT -> new ProposalChange.Accept(id, caller, at, "a-sig", null, null);
      case REJECT -> new ProposalChange.Reject(id, caller, at, "r-sig", "no");
      case COMPLETE -> complete(id, caller, at, 0);
      case DISPUTE -> new ProposalChange.Dispute(id, caller, at, "bad", "d-sig", at);
    };
  }

  private static ProposalChange complete(String id, String caller, long at, long minAge) {
    return new ProposalChange.Complete(id, caller, at, "proof", "c-sig", minAge);
  }

  /** {@link #SPEC_TABLE} as cells; fails unless it has exactly one row per verb and status. */
  private static Map<Cell, Expected> parse(String table) {
    Map<Cell, Expected> cells = new LinkedHashMap<>();
    Map<ProposalVerb, Map<ProposalStatus, Boolean>> rows = new EnumMap<>(ProposalVerb.class);
    List<String> lines = table.lines().toList();
    String[] header = lines.get(0).trim().split("\\s+");
    List<Party> columns = new ArrayList<>();
    for (int i = 2; i < header.length; i++) {
      columns.add(Party.valueOf(header[i].toUpperCase(Locale.ROOT)));
    }
    if (columns.size() != Party.values().length) {
      throw new IllegalStateException("The header names " + columns + ", not every party");
    }
    for (String line : lines.subList(1, lines.size())) {
      String[] word = line.trim().split("\\s+");
      if (word.length != 2 + columns.size()) {
        throw new IllegalStateException("Malformed row: " + line);
      }
      ProposalVerb verb = ProposalVerb.valueOf(word[0]);
      ProposalStatus status = ProposalStatus.fromWire(word[1]);
      if (rows.computeIfAbsent(verb, v -> new EnumMap<>(ProposalStatus.class)).put(status, true)
          != null) {
        throw new IllegalStateException("Two rows for " + verb + " on " + status);
      }
      for (int i = 0; i < columns.size(); i++) {
        Party party = columns.get(i);
        String outcome = word[2 + i];
        cells.put(
            new Cell(verb, status, party),
            outcome.equals(outcome.toLowerCase(Locale.ROOT))
                ? Expected.moves(ProposalStatus.fromWire(outcome))
                : Expected.refused(ErrorCode.INVALID_PROPOSAL, outcome));
      }
    }
    int all = ProposalVerb.values().length * ProposalStatus.values().length * Party.values().length;
    if (cells.size() != all) {
      throw new IllegalStateException(
          "The spec table has " + cells.size() + " of " + all + " cells");
    }
    return cells;
  }
}
