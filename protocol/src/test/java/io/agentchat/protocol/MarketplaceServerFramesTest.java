package io.agentchat.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Marketplace server frames: each record encodes to the exact text the marketplace sends, decodes
 * back to an equal record, and a frame received from a server re-encodes byte for byte.
 */
class MarketplaceServerFramesTest {

  private static final String PENDING_PROPOSAL =
      "{\"type\":\"PROPOSAL\",\"ts\":1700000000500,\"id\":\"prop_lo3ks1ts_0a1b2c3d\","
          + "\"from\":\"@a1\",\"to\":\"@b2\",\"task\":\"Review PR #42\",\"amount\":1500,"
          + "\"currency\":\"SOL\",\"payment_code\":null,\"terms\":null,\"expires\":1700000300000,"
          + "\"status\":\"pending\",\"created_at\":1700000000000,\"sig\":\"c2ln\","
          + "\"elo_stake\":null}";

  private static final ServerFrame.Proposal PENDING =
      new ServerFrame.Proposal(
          1700000000500L,
          "prop_lo3ks1ts_0a1b2c3d",
          "@a1",
          "@b2",
          "Review PR #42",
          new BigDecimal("1500.00"),
          "SOL",
          null,
          null,
          1700000300000L,
          "pending",
          1700000000000L,
          "c2ln",
          null,
          null);

  private static final String ACCEPTED_PROPOSAL =
      "{\"type\":\"PROPOSAL\",\"ts\":9,\"id\":\"p2\",\"from\":\"@b2\",\"to\":\"@a1\","
          + "\"task\":\"t\",\"amount\":0.25,\"currency\":null,\"payment_code\":\"pay\","
          + "\"terms\":\"net 30\",\"expires\":null,\"status\":\"accepted\",\"created_at\":3,"
          + "\"sig\":\"s\",\"elo_stake\":10,\"updated_at\":7}";

  private static final ServerFrame.Proposal ACCEPTED =
      new ServerFrame.Proposal(
          9,
          "p2",
          "@b2",
          "@a1",
          "t",
          new BigDecimal("0.250"),
          null,
          "pay",
          "net 30",
          null,
          "accepted",
          3,
          "s",
          10L,
          7L);

  /** Encodes, checks the text, decodes and checks equality, then re-encodes the decoded frame. */
  private static <T extends ServerFrame> T roundTrip(
      ServerFrame frame, String wire, Class<T> type) {
    assertEquals(wire, FrameCodec.encodeToString(frame));
    T decoded = assertInstanceOf(type, FrameCodec.decodeServer(wire));
    assertEquals(frame, decoded);
    assertEquals(wire, FrameCodec.encodeToString(decoded));
    return decoded;
  }

  private static JsonNode json(String text) {
    try {
      return FrameCodec.mapper().readTree(text);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aPendingProposalWritesItsNullsAndNoUpdateTime() {
    roundTrip(PENDING, PENDING_PROPOSAL, ServerFrame.Proposal.class);
  }

  @Test
  void aProposalThatMovedEndsWithItsUpdateTime() {
    roundTrip(ACCEPTED, ACCEPTED_PROPOSAL, ServerFrame.Proposal.class);
  }

  @Test
  void aPendingProposalNeverCarriesAnUpdateTime() {
    ServerFrame.Proposal p =
        new ServerFrame.Proposal(
            1, "p", "@a", "@b", "t", null, null, null, null, null, "pending", 1, "s", null, 5L);
    assertNull(p.updatedAt());
    assertEquals(
        "{\"type\":\"PROPOSAL\",\"ts\":1,\"id\":\"p\",\"from\":\"@a\",\"to\":\"@b\",\"task\":\"t\","
            + "\"amount\":null,\"currency\":null,\"payment_code\":null,\"terms\":null,"
            + "\"expires\":null,\"status\":\"pending\",\"created_at\":1,\"sig\":\"s\","
            + "\"elo_stake\":null}",
        FrameCodec.encodeToString(p));
  }

  @Test
  void amountsAreWrittenWithoutTrailingZeros() {
    String[][] cases = {
      {"1500.00", "1500"}, {"0.10", "0.1"}, {"12.5", "12.5"}, {"0", "0"}, {"1E+20", "1E+20"}
    };
    for (String[] c : cases) {
      ServerFrame.Proposal p =
          new ServerFrame.Proposal(
              1,
              "p",
              "@a",
              "@b",
              "t",
              new BigDecimal(c[0]),
              null,
              null,
              null,
              null,
              "pending",
              1,
              "s",
              null,
              null);
      String wire = FrameCodec.encodeToString(p);
      assertEquals(c[1], amountText(wire));
      assertEquals(p, FrameCodec.decodeServer(wire), wire);
    }
  }

  private static String amountText(String wire) {
    int start = wire.indexOf("\"amount\":") + "\"amount\":".length();
    return wire.substring(start, wire.indexOf(',', start));
  }

  @Test
  void anAcceptCarriesBothStakesAndTheAcceptorsSignature() {
    roundTrip(
        new ServerFrame.Accept(11, "p2", "accepted", 10, "@b2", "@a1", null, "as", null, 0),
        "{\"type\":\"ACCEPT\",\"ts\":11,\"proposal_id\":\"p2\",\"status\":\"accepted\","
            + "\"updated_at\":10,\"from\":\"@b2\",\"to\":\"@a1\",\"payment_code\":null,"
            + "\"sig\":\"as\",\"proposer_stake\":null,\"acceptor_stake\":0}",
        ServerFrame.Accept.class);
    roundTrip(
        new ServerFrame.Accept(11, "p2", "accepted", 10, "@b2", "@a1", "pc", "as", 25L, 5),
        "{\"type\":\"ACCEPT\",\"ts\":11,\"proposal_id\":\"p2\",\"status\":\"accepted\","
            + "\"updated_at\":10,\"from\":\"@b2\",\"to\":\"@a1\",\"payment_code\":\"pc\","
            + "\"sig\":\"as\",\"proposer_stake\":25,\"acceptor_stake\":5}",
        ServerFrame.Accept.class);
  }

  @Test
  void aRejectWritesANullReason() {
    roundTrip(
        new ServerFrame.Reject(12, "p3", "rejected", 12, "@a1", "@b2", null, "rs"),
        "{\"type\":\"REJECT\",\"ts\":12,\"proposal_id\":\"p3\",\"status\":\"rejected\","
            + "\"updated_at\":12,\"from\":\"@a1\",\"to\":\"@b2\",\"reason\":null,\"sig\":\"rs\"}",
        ServerFrame.Reject.class);
  }

  @Test
  void aCompleteWritesNullRatingChangesAndOmitsAnAbsentPayment() {
    roundTrip(
        new ServerFrame.Complete(
            13,
            "p2",
            "completed",
            13,
            "@b2",
            "@a1",
            "@a1",
            13,
            null,
            "cs",
            new ServerFrame.EloStakes(25, 0),
            null,
            null),
        "{\"type\":\"COMPLETE\",\"ts\":13,\"proposal_id\":\"p2\",\"status\":\"completed\","
            + "\"updated_at\":13,\"from\":\"@b2\",\"to\":\"@a1\",\"completed_by\":\"@a1\","
            + "\"completed_at\":13,\"proof\":null,\"sig\":\"cs\","
            + "\"elo_stakes\":{\"proposer\":25,\"acceptor\":0},\"rating_changes\":null}",
        ServerFrame.Complete.class);
  }

  @Test
  void aCompleteKeepsRatingChangesAndPaymentAsJson() {
    ServerFrame.Complete c =
        roundTrip(
            new ServerFrame.Complete(
                14,
                "p2",
                "completed",
                14,
                "@b2",
                "@a1",
                "@b2",
                14,
                "https://example.org/pr/42",
                "cs",
                new ServerFrame.EloStakes(0, 0),
                json("{\"@a1\":{\"old\":1200,\"new\":1216}}"),
                json("{\"tx\":\"0xabc\"}")),
            "{\"type\":\"COMPLETE\",\"ts\":14,\"proposal_id\":\"p2\",\"status\":\"completed\","
                + "\"updated_at\":14,\"from\":\"@b2\",\"to\":\"@a1\",\"completed_by\":\"@b2\","
                + "\"completed_at\":14,\"proof\":\"https://example.org/pr/42\",\"sig\":\"cs\","
                + "\"elo_stakes\":{\"proposer\":0,\"acceptor\":0},"
                + "\"rating_changes\":{\"@a1\":{\"old\":1200,\"new\":1216}},"
                + "\"payment\":{\"tx\":\"0xabc\"}}",
            ServerFrame.Complete.class);
    assertEquals(1216, c.ratingChanges().path("@a1").path("new").asInt());
  }

  @Test
  void aDisputeHasTheSameTailAsAComplete() {
    roundTrip(
        new ServerFrame.Dispute(
            15,
            "p4",
            "disputed",
            15,
            "@a1",
            "@b2",
            "@b2",
            15,
            "never delivered",
            "ds",
            new ServerFrame.EloStakes(0, 7),
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null),
        "{\"type\":\"DISPUTE\",\"ts\":15,\"proposal_id\":\"p4\",\"status\":\"disputed\","
            + "\"updated_at\":15,\"from\":\"@a1\",\"to\":\"@b2\",\"disputed_by\":\"@b2\","
            + "\"disputed_at\":15,\"reason\":\"never delivered\",\"sig\":\"ds\","
            + "\"elo_stakes\":{\"proposer\":0,\"acceptor\":7},\"rating_changes\":null}",
        ServerFrame.Dispute.class);
  }

  @Test
  void skillsRegisteredCountsTheSkills() {
    roundTrip(
        new ServerFrame.SkillsRegistered(16, "@a1", 2, 1700000000000L),
        "{\"type\":\"SKILLS_REGISTERED\",\"ts\":16,\"agent_id\":\"@a1\",\"skills_count\":2,"
            + "\"registered_at\":1700000000000}",
        ServerFrame.SkillsRegistered.class);
  }

  @Test
  void searchResultsKeepEveryMemberOfEachSkillInOrder() {
    String wire =
        "{\"type\":\"SEARCH_RESULTS\",\"ts\":17,\"query_id\":null,"
            + "\"query\":{\"capability\":\"review\",\"max_rate\":10},"
            + "\"results\":[{\"agent_id\":\"@a1\",\"capability\":\"code-review\",\"rate\":5,"
            + "\"currency\":\"SOL\",\"description\":\"Careful\",\"languages\":[\"java\"],"
            + "\"registered_at\":16,\"rating\":1200,\"transactions\":0}],\"total\":3}";
    ObjectNode query = (ObjectNode) json("{\"capability\":\"review\",\"max_rate\":10}");
    ObjectNode result =
        (ObjectNode)
            json(
                "{\"agent_id\":\"@a1\",\"capability\":\"code-review\",\"rate\":5,"
                    + "\"currency\":\"SOL\",\"description\":\"Careful\",\"languages\":[\"java\"],"
                    + "\"registered_at\":16,\"rating\":1200,\"transactions\":0}");
    roundTrip(
        new ServerFrame.SearchResults(17, null, query, List.of(result), 3),
        wire,
        ServerFrame.SearchResults.class);
    roundTrip(
        new ServerFrame.SearchResults(18, "q1", query, List.of(), 0),
        "{\"type\":\"SEARCH_RESULTS\",\"ts\":18,\"query_id\":\"q1\","
            + "\"query\":{\"capability\":\"review\",\"max_rate\":10},\"results\":[],\"total\":0}",
        ServerFrame.SearchResults.class);
  }

  @Test
  void proposalsListsFullProposalFrames() {
    roundTrip(
        new ServerFrame.Proposals(19, List.of(ACCEPTED, PENDING)),
        "{\"type\":\"PROPOSALS\",\"ts\":19,\"list\":["
            + ACCEPTED_PROPOSAL
            + ","
            + PENDING_PROPOSAL
            + "]}",
        ServerFrame.Proposals.class);
    roundTrip(
        new ServerFrame.Proposals(20, List.of()),
        "{\"type\":\"PROPOSALS\",\"ts\":20,\"list\":[]}",
        ServerFrame.Proposals.class);
  }

  @Test
  void aMarketplaceFrameInAnUnexpectedShapeIsKeptAsReceived() {
    String odd = "{\"type\":\"PROPOSALS\",\"ts\":21,\"list\":5}";
    ServerFrame f = FrameCodec.decodeServer(odd);
    assertInstanceOf(ServerFrame.Other.class, f);
    assertEquals(odd, FrameCodec.encodeToString(f));
  }
}
