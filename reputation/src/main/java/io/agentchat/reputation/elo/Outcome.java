package io.agentchat.reputation.elo;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.Optional;

/**
 * What settling one deal did: both parties' new standings, overall and for the deal's capability,
 * what happened to the stakes, whether the pair cooldown held the ratings, and the pair's history
 * afterwards.
 *
 * @param from the proposer's overall change
 * @param to the recipient's overall change
 * @param capability the capability changes, when the deal named a capability
 * @param escrow what happened to the stakes: always for disputes, for completions only when a stake
 *     was put
 * @param cooldown why a completion moved nothing, when it fell in the pair cooldown
 * @param pairAfter the pair's history after the deal, for the next deal of the same pair
 */
public record Outcome(
    PartyChange from,
    PartyChange to,
    Optional<CapabilityChange> capability,
    Optional<Escrow> escrow,
    Optional<Cooldown> cooldown,
    PairHistory pairAfter) {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  public Outcome {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(capability, "capability");
    Objects.requireNonNull(escrow, "escrow");
    Objects.requireNonNull(cooldown, "cooldown");
    Objects.requireNonNull(pairAfter, "pairAfter");
  }

  /** Whether the pair cooldown held the ratings (the change is 0 for both parties). */
  public boolean onCooldown() {
    return cooldown.isPresent();
  }

  /**
   * The {@code rating_changes} member of the COMPLETE or DISPUTE frame: {@code "@from"} and {@code
   * "@to"} entries, then {@code _escrow}, {@code _cooldown} and {@code _capability} when present,
   * in that order.
   *
   * @return a new node on each call, owned by the caller
   */
  public ObjectNode ratingChanges() {
    ObjectNode out = JSON.objectNode();
    putParties(out, from, to);
    escrow.ifPresent(e -> out.set("_escrow", escrowJson(e)));
    cooldown.ifPresent(
        c ->
            out.set(
                "_cooldown",
                JSON.objectNode()
                    .put("last_completed_at", c.lastCompletedAt())
                    .put("until", c.until())
                    .put("reason", c.reason())));
    capability.ifPresent(
        c -> {
          ObjectNode node = JSON.objectNode().put("name", c.name());
          putParties(node, c.from(), c.to());
          out.set("_capability", node);
        });
    return out;
  }

  private static void putParties(ObjectNode into, PartyChange from, PartyChange to) {
    into.set("@" + from.agentId(), partyJson(from));
    into.set("@" + to.agentId(), partyJson(to));
  }

  private static ObjectNode partyJson(PartyChange change) {
    return JSON.objectNode()
        .put("oldRating", change.oldRating())
        .put("newRating", change.newRating())
        .put("change", change.change())
        .put("transactions", change.transactions());
  }

  private static ObjectNode escrowJson(Escrow escrow) {
    ObjectNode node =
        JSON.objectNode()
            .put("proposer_stake", escrow.proposerStake())
            .put("acceptor_stake", escrow.acceptorStake())
            .put("settlement", escrow.fate().wireName());
    switch (escrow.fate()) {
      case TRANSFERRED ->
          node.put("transferred_to", "@" + escrow.transferredTo())
              .put("transferred_amount", escrow.amount());
      case BURNED -> node.put("burned_amount", escrow.amount());
      case RETURNED -> {
        // Returned stakes carry nothing beyond the stakes themselves.
      }
    }
    return node;
  }
}
