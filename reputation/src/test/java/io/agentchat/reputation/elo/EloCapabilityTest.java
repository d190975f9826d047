package io.agentchat.reputation.elo;

import static io.agentchat.reputation.elo.Deals.HOUR;
import static io.agentchat.reputation.elo.Deals.T0;
import static io.agentchat.reputation.elo.Deals.deal;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Per-capability ratings (protocol facts §10.3): the overall change, from their own standing. */
class EloCapabilityTest {

  @Test
  void aCapabilityRatingStartsUnratedAndMovesWithTheOverallOne() {
    Outcome outcome =
        Elo.settle(
            deal("alice", "bob").capability("code_review").completed(),
            Rated.UNRATED,
            Rated.UNRATED,
            null,
            null,
            PairHistory.NONE);

    CapabilityChange capability = outcome.capability().orElseThrow();
    assertEquals("code_review", capability.name());
    assertEquals(new PartyChange("alice", 1200, 1208, 8, 1), capability.from());
    assertEquals(new PartyChange("bob", 1200, 1208, 8, 1), capability.to());
  }

  @Test
  void theChangeComesFromTheOverallRatingsNotTheCapabilityOnes() {
    Outcome outcome =
        Elo.settle(
            deal("alice", "bob").capability("code_review").at(T0 + HOUR).completed(),
            new Rated(1208, 1),
            new Rated(1208, 1),
            new Rated(1500, 40),
            new Rated(900, 0),
            new PairHistory(1, T0));

    assertEquals(4, outcome.from().change());
    CapabilityChange capability = outcome.capability().orElseThrow();
    assertEquals(new PartyChange("alice", 1500, 1504, 4, 41), capability.from());
    assertEquals(new PartyChange("bob", 900, 904, 4, 1), capability.to());
  }

  @Test
  void capabilityNamesAreLowerCased() {
    Outcome outcome =
        Elo.settle(
            deal("alice", "bob").capability("Code_REVIEW").completed(),
            Rated.UNRATED,
            Rated.UNRATED,
            null,
            null,
            PairHistory.NONE);

    assertEquals("code_review", outcome.capability().orElseThrow().name());
  }

  @Test
  void aCapabilityRatingHasItsOwnFloor() {
    Outcome outcome =
        Elo.settle(
            deal("alice", "bob").capability("code_review").disputedBy("bob"),
            Rated.UNRATED,
            Rated.UNRATED,
            new Rated(105, 3),
            new Rated(1200, 0),
            PairHistory.NONE);

    assertEquals(new PartyChange("alice", 1200, 1184, -16, 1), outcome.from());
    assertEquals(
        new PartyChange("alice", 105, 100, -16, 4), outcome.capability().orElseThrow().from());
  }

  @Test
  void onCooldownTheCapabilityRatingsStayAsTheyAre() {
    Outcome outcome =
        Elo.settle(
            deal("alice", "bob").capability("code_review").at(T0 + 1).completed(),
            new Rated(1208, 1),
            new Rated(1208, 1),
            new Rated(1208, 1),
            new Rated(1208, 1),
            new PairHistory(1, T0));

    CapabilityChange capability = outcome.capability().orElseThrow();
    assertEquals(new PartyChange("alice", 1208, 1208, 0, 1), capability.from());
    assertEquals(new PartyChange("bob", 1208, 1208, 0, 1), capability.to());
  }

  @Test
  void aDealNamingNoCapabilityIgnoresCapabilityStandings() {
    Outcome none =
        Elo.settle(
            deal("alice", "bob").completed(),
            Rated.UNRATED,
            Rated.UNRATED,
            new Rated(1500, 3),
            new Rated(1500, 3),
            PairHistory.NONE);
    assertEquals(Optional.empty(), none.capability());

    Outcome empty =
        Elo.settle(
            deal("alice", "bob").capability("").completed(),
            Rated.UNRATED,
            Rated.UNRATED,
            null,
            null,
            PairHistory.NONE);
    assertEquals(Optional.empty(), empty.capability());
  }
}
