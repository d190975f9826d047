package io.agentchat.marketplace.store;

import static io.agentchat.marketplace.store.ProposalStatus.ACCEPTED;
import static io.agentchat.marketplace.store.ProposalStatus.COMPLETED;
import static io.agentchat.marketplace.store.ProposalStatus.DISPUTED;
import static io.agentchat.marketplace.store.ProposalStatus.EXPIRED;
import static io.agentchat.marketplace.store.ProposalStatus.PENDING;
import static io.agentchat.marketplace.store.ProposalStatus.REJECTED;
import static io.agentchat.marketplace.store.ProposalVerb.ACCEPT;
import static io.agentchat.marketplace.store.ProposalVerb.COMPLETE;
import static io.agentchat.marketplace.store.ProposalVerb.DISPUTE;
import static io.agentchat.marketplace.store.ProposalVerb.REJECT;

import io.agentchat.protocol.ErrorCode;
import io.agentchat.protocol.ProtocolException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The proposal status machine, written once: for every verb, status and party, either the status
 * the proposal moves to or the refusal the caller gets. {@link ProposalRepository} derives the
 * {@code WHERE} clause of each verb's guarded {@code UPDATE} from it, and the explanation of a
 * refusal is a look-up in it, so the two can never disagree.
 *
 * <p>Two rules sit beside the table. A pending proposal whose expiry has come is expired before any
 * verb applies (so it is looked up as {@link ProposalStatus#EXPIRED}); and COMPLETE waits for the
 * minimum proposal age, a refusal that depends on the clock rather than on the status.
 */
public final class ProposalStateMachine {

  /** What a verb does to a proposal in a given status when a given party sends it. */
  public sealed interface Outcome {}

  /** The proposal moves to {@code to}. */
  public record Move(ProposalStatus to) implements Outcome {}

  /** Nothing changes; the caller gets an ERROR with this code and message. */
  public record Refuse(ErrorCode code, String message) implements Outcome {
    /** The refusal as the exception the marketplace replies with. */
    public ProtocolException exception() {
      return new ProtocolException(code, message);
    }
  }

  private static final Refuse NOT_PENDING = invalid("PROPOSAL_NOT_PENDING");
  private static final Refuse NOT_RECIPIENT = invalid("NOT_PROPOSAL_RECIPIENT");
  private static final Refuse NOT_ACCEPTED = invalid("PROPOSAL_NOT_ACCEPTED");
  private static final Refuse NOT_PARTY = invalid("NOT_PROPOSAL_PARTY");

  // The reference checks the status before the party, so a stranger touching a settled proposal
  // hears about the status.
  private static final Row[] TABLE = {
    // verb     status      proposer            recipient           stranger
    row(ACCEPT, PENDING, NOT_RECIPIENT, move(ACCEPTED), NOT_RECIPIENT),
    row(ACCEPT, ACCEPTED, NOT_PENDING, NOT_PENDING, NOT_PENDING),
    row(ACCEPT, REJECTED, NOT_PENDING, NOT_PENDING, NOT_PENDING),
    row(ACCEPT, COMPLETED, NOT_PENDING, NOT_PENDING, NOT_PENDING),
    row(ACCEPT, DISPUTED, NOT_PENDING, NOT_PENDING, NOT_PENDING),
    row(ACCEPT, EXPIRED, NOT_PENDING, NOT_PENDING, NOT_PENDING),
    row(REJECT, PENDING, NOT_RECIPIENT, move(REJECTED), NOT_RECIPIENT),
    row(REJECT, ACCEPTED, NOT_PENDING, NOT_PENDING, NOT_PENDING),
    row(REJECT, REJECTED, NOT_PENDING, NOT_PENDING, NOT_PENDING),
    row(REJECT, COMPLETED, NOT_PENDING, NOT_PENDING, NOT_PENDING),
    row(REJECT, DISPUTED, NOT_PENDING, NOT_PENDING, NOT_PENDING),
    row(REJECT, EXPIRED, NOT_PENDING, NOT_PENDING, NOT_PENDING),
    row(COMPLETE, PENDING, NOT_ACCEPTED, NOT_ACCEPTED, NOT_ACCEPTED),
    row(COMPLETE, ACCEPTED, move(COMPLETED), move(COMPLETED), NOT_PARTY),
    row(COMPLETE, REJECTED, NOT_ACCEPTED, NOT_ACCEPTED, NOT_ACCEPTED),
    row(COMPLETE, COMPLETED, NOT_ACCEPTED, NOT_ACCEPTED, NOT_ACCEPTED),
    row(COMPLETE, DISPUTED, NOT_ACCEPTED, NOT_ACCEPTED, NOT_ACCEPTED),
    row(COMPLETE, EXPIRED, NOT_ACCEPTED, NOT_ACCEPTED, NOT_ACCEPTED),
    row(DISPUTE, PENDING, NOT_ACCEPTED, NOT_ACCEPTED, NOT_ACCEPTED),
    row(DISPUTE, ACCEPTED, move(DISPUTED), move(DISPUTED), NOT_PARTY),
    row(DISPUTE, REJECTED, NOT_ACCEPTED, NOT_ACCEPTED, NOT_ACCEPTED),
    row(DISPUTE, COMPLETED, NOT_ACCEPTED, NOT_ACCEPTED, NOT_ACCEPTED),
    row(DISPUTE, DISPUTED, NOT_ACCEPTED, NOT_ACCEPTED, NOT_ACCEPTED),
    row(DISPUTE, EXPIRED, NOT_ACCEPTED, NOT_ACCEPTED, NOT_ACCEPTED),
  };

  /** An id nobody has proposed: ACCEPT has a code of its own, the others reuse the status code. */
  private static final Map<ProposalVerb, Refuse> MISSING =
      Map.of(
          ACCEPT, new Refuse(ErrorCode.PROPOSAL_NOT_FOUND, "Proposal not found"),
          REJECT, invalid("PROPOSAL_NOT_FOUND"),
          COMPLETE, invalid("PROPOSAL_NOT_FOUND"),
          DISPUTE, invalid("PROPOSAL_NOT_FOUND"));

  private static final Map<ProposalVerb, Map<ProposalStatus, Map<Party, Outcome>>> CELLS = index();

  private ProposalStateMachine() {}

  /**
   * The cell for {@code verb} on a proposal in {@code status} sent by {@code party}. Pass {@link
   * ProposalStatus#EXPIRED} for a pending proposal whose expiry has come.
   */
  public static Outcome outcome(ProposalVerb verb, ProposalStatus status, Party party) {
    return CELLS.get(verb).get(status).get(party);
  }

  /** The refusal for {@code verb} on an id no proposal has. */
  public static Refuse missing(ProposalVerb verb) {
    return MISSING.get(verb);
  }

  /** The status every move of {@code verb} leads to. */
  public static ProposalStatus target(ProposalVerb verb) {
    ProposalStatus to = null;
    for (Row r : TABLE) {
      for (Outcome o : r.byParty.values()) {
        if (r.verb == verb && o instanceof Move m) {
          if (to != null && to != m.to()) {
            throw new IllegalStateException(verb + " moves to two statuses");
          }
          to = m.to();
        }
      }
    }
    return to;
  }

  /**
   * The {@code WHERE} condition under which {@code verb} moves a proposal, as SQL over the {@code
   * proposals} columns: its status and the caller's side, with {@code agentParam} (e.g. {@code $3})
   * standing for the caller's id and {@code nowParam} for the clock, so that a pending proposal due
   * at that time never moves.
   */
  public static String movesWhen(ProposalVerb verb, String agentParam, String nowParam) {
    StringJoiner anyStatus = new StringJoiner(" OR ", "(", ")");
    for (Row r : TABLE) {
      if (r.verb != verb) {
        continue;
      }
      List<String> parties = new ArrayList<>();
      r.byParty.forEach(
          (party, o) -> {
            if (o instanceof Move) {
              parties.add(sideCondition(party, agentParam));
            }
          });
      if (parties.isEmpty()) {
        continue;
      }
      String status = "status = '" + r.status.wire() + "'";
      if (r.status == PENDING) {
        status += " AND (expires_at IS NULL OR expires_at > " + nowParam + ")";
      }
      anyStatus.add("(" + status + " AND (" + String.join(" OR ", parties) + "))");
    }
    return anyStatus.toString();
  }

  private static String sideCondition(Party party, String agentParam) {
    return switch (party) {
      case PROPOSER -> "from_agent = " + agentParam;
      case RECIPIENT -> "to_agent = " + agentParam;
      case STRANGER -> "(from_agent <> " + agentParam + " AND to_agent <> " + agentParam + ")";
    };
  }

  private static Map<ProposalVerb, Map<ProposalStatus, Map<Party, Outcome>>> index() {
    Map<ProposalVerb, Map<ProposalStatus, Map<Party, Outcome>>> cells =
        new EnumMap<>(ProposalVerb.class);
    for (Row r : TABLE) {
      Map<ProposalStatus, Map<Party, Outcome>> byStatus =
          cells.computeIfAbsent(r.verb, v -> new EnumMap<>(ProposalStatus.class));
      if (byStatus.put(r.status, r.byParty) != null) {
        throw new IllegalStateException("Two rows for " + r.verb + " on " + r.status);
      }
    }
    for (ProposalVerb verb : ProposalVerb.values()) {
      if (cells.get(verb) == null || cells.get(verb).size() != ProposalStatus.values().length) {
        throw new IllegalStateException("The table misses a status for " + verb);
      }
    }
    return cells;
  }

  private static Row row(
      ProposalVerb verb,
      ProposalStatus status,
      Outcome proposer,
      Outcome recipient,
      Outcome stranger) {
    Map<Party, Outcome> byParty = new EnumMap<>(Party.class);
    byParty.put(Party.PROPOSER, proposer);
    byParty.put(Party.RECIPIENT, recipient);
    byParty.put(Party.STRANGER, stranger);
    return new Row(verb, status, byParty);
  }

  private static Move move(ProposalStatus to) {
    return new Move(to);
  }

  private static Refuse invalid(String token) {
    return new Refuse(ErrorCode.INVALID_PROPOSAL, token);
  }

  private record Row(ProposalVerb verb, ProposalStatus status, Map<Party, Outcome> byParty) {}
}
