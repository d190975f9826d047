package io.agentchat.marketplace.spi;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What a settlement adds to a COMPLETE or DISPUTE: the members its frame carries and the standings
 * it changed. The marketplace puts the members into the frame both parties receive, and hands the
 * standing changes to its skill index once the verb's transaction has committed.
 *
 * @param ratingChanges the frame's {@code rating_changes}, or null to leave it to another plug-in
 * @param payment the frame's {@code payment}, or null to leave it to another plug-in
 * @param standingChanges standings as they are after this settlement
 */
public record SettlementOutcome(
    JsonNode ratingChanges, JsonNode payment, List<StandingChange> standingChanges) {

  /** Nothing to add: the frame keeps {@code rating_changes: null} and no standing moved. */
  public static final SettlementOutcome NONE = new SettlementOutcome(null, null, List.of());

  public SettlementOutcome {
    standingChanges = standingChanges == null ? List.of() : List.copyOf(standingChanges);
  }
}
