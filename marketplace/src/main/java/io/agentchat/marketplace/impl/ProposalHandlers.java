package io.agentchat.marketplace.impl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.agentchat.marketplace.MarketplaceOptions;
import io.agentchat.marketplace.store.AgentRepository;
import io.agentchat.marketplace.store.NewProposal;
import io.agentchat.marketplace.store.Proposal;
import io.agentchat.marketplace.store.ProposalRepository;
import io.agentchat.marketplace.store.ProposalStatus;
import io.agentchat.marketplace.store.Transition;
import io.agentchat.protocol.CanonicalJson;
import io.agentchat.protocol.ClientFrame;
import io.agentchat.protocol.ErrorCode;
import io.agentchat.protocol.JavaScriptText;
import io.agentchat.protocol.ProtocolException;
import io.agentchat.protocol.SigningStrings;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * PROPOSAL, ACCEPT, REJECT, COMPLETE, DISPUTE and LIST_PROPOSALS. Each verb checks its signature
 * over the exact signing string, then tries its change as one guarded UPDATE (the common case, one
 * round trip); when that matches nothing, its state rule runs inside a transaction holding the
 * proposal's row lock to say why (or to apply the change if the row moved in between). Either way
 * racing verbs leave exactly one winner.
 */
final class ProposalHandlers {
  static final int MAX_TASK = 4000;
  static final int MAX_TEXT = 4000;
  static final int LIST_LIMIT = 100;
  private static final Pattern CURRENCY = Pattern.compile("[A-Za-z0-9_.-]{1,16}");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String NEED_KEY = "Proposals require persistent identity";

  /**
   * Agents known to have logged in with a key. Rows in {@code agents} are never deleted, so once
   * known, always known: remembering it spares a query per proposal.
   */
  private final Set<String> known = ConcurrentHashMap.newKeySet();

  private static final int MAX_KNOWN = 1_000_000;

  private final ProposalRepository proposals;
  private final AgentRepository agents;
  private final Notifier notifier;
  private final long minAgeMillis;

  ProposalHandlers(
      ProposalRepository proposals,
      AgentRepository agents,
      Notifier notifier,
      MarketplaceOptions options) {
    this.proposals = proposals;
    this.agents = agents;
    this.notifier = notifier;
    this.minAgeMillis = options.minProposalAge().toMillis();
  }

  // ------------------------------------------------------------------------------ PROPOSAL

  Future<JsonObject> propose(Caller caller, ClientFrame.Proposal f, long now) {
    caller.requireKey(NEED_KEY);
    String signing =
        SigningStrings.proposal(
            f.to(),
            f.task(),
            f.amount(),
            text(f.currency()),
            text(f.paymentCode()),
            f.expires(),
            f.eloStake());
    caller.requireSignature(signing, f.sig(), NEED_KEY);
    String to = f.to().substring(1);
    if (to.equals(caller.id())) {
      // The reference allows it, and one agent then farms rating from itself.
      throw new ProtocolException(ErrorCode.INVALID_PROPOSAL, "Cannot propose to yourself");
    }
    bounded("task", f.task(), MAX_TASK);
    bounded("terms", f.terms(), MAX_TEXT);
    bounded("payment_code", f.paymentCode(), MAX_TEXT);
    if (f.currency() != null && !CURRENCY.matcher(f.currency()).matches()) {
      throw ProtocolException.invalid("currency must be a short code (1-16 letters or digits)");
    }
    BigDecimal amount =
        f.amount() == null || f.amount().decimalValue().signum() == 0
            ? null
            : f.amount().decimalValue();
    Long expiresAt =
        f.expires() == null || f.expires().doubleValue() == 0
            ? null
            : now + Math.round(f.expires().doubleValue() * 1000);
    Long stake =
        f.eloStake() == null || f.eloStake().longValue() == 0 ? null : f.eloStake().longValue();
    String id = "prop_" + Long.toString(now, 36) + "_" + hex(4);
    // Identical signed proposals share this digest; an open one blocks a second (replays too).
    String digest = CanonicalJson.sha256Hex(caller.id() + "|" + signing);
    return recipientKnown(to, now)
        .compose(
            known -> {
              if (!known) {
                throw new ProtocolException(
                    ErrorCode.AGENT_NOT_FOUND, "Agent " + f.to() + " not found");
              }
              return proposals.create(
                  new NewProposal(
                      id,
                      caller.id(),
                      to,
                      f.task(),
                      amount,
                      f.currency(),
                      f.paymentCode(),
                      f.terms(),
                      expiresAt,
                      now,
                      f.sig(),
                      stake,
                      digest));
            })
        .map(
            p -> {
              JsonObject frame = proposalFrame(p, now);
              // Not kept as a notice: open proposals are handed over at every login anyway.
              notifier.toAgent(p.toAgent(), frame, false, now);
              notifier.toChannel("#bounties", bounty(p), true);
              return MarketplaceFrames.reply(frame);
            });
  }

  /**
   * Known means it has logged in with a key. An agent whose login is so recent that its
   * AGENT_ONLINE event is still being recorded is found through the relay instead.
   */
  private Future<Boolean> recipientKnown(String id, long now) {
    if (known.contains(id)) {
      return Future.succeededFuture(true);
    }
    return agents
        .isKnown(id)
        .compose(
            inTable ->
                inTable
                    ? Future.succeededFuture(true)
                    : notifier
                        .lookup(id)
                        .compose(
                            found -> {
                              String pubkey = found.getString("pubkey");
                              if (!found.getBoolean("online", false) || pubkey == null) {
                                return Future.succeededFuture(false);
                              }
                              return agents
                                  .seen(id, pubkey, found.getString("name"), now)
                                  .map(true);
                            }))
        .onSuccess(
            found -> {
              if (found && known.size() < MAX_KNOWN) {
                known.add(id);
              }
            });
  }

  private static String bounty(Proposal p) {
    StringBuilder s =
        new StringBuilder("[BOUNTY] @")
            .append(p.fromAgent())
            .append(" → @")
            .append(p.toAgent())
            .append(": \"")
            .append(p.task())
            .append('"');
    if (p.amount() != null) {
      s.append(" (")
          .append(JavaScriptText.number(p.amount().doubleValue()))
          .append(' ')
          .append(p.currency() == null ? "ELO" : p.currency())
          .append(')');
    }
    if (p.proposerStake() != null) {
      s.append(" [stake: ").append(p.proposerStake()).append(" ELO]");
    }
    return s.append(" — ").append(p.id()).toString();
  }

  // -------------------------------------------------------------------------------- ACCEPT

  Future<JsonObject> accept(Caller caller, ClientFrame.Accept f, long now) {
    caller.requireSignature(
        SigningStrings.accept(f.proposalId(), text(f.paymentCode()), f.eloStake()),
        f.sig(),
        NEED_KEY);
    bounded("payment_code", f.paymentCode(), MAX_TEXT);
    Long stake = f.eloStake() == null ? null : f.eloStake().longValue();
    return orExplain(
            proposals.acceptIfPending(
                f.proposalId(), caller.id(), now, f.sig(), f.paymentCode(), stake),
            () ->
                proposals.transition(
                    f.proposalId(),
                    now,
                    current -> {
                      Proposal p =
                          current.orElseThrow(
                              () ->
                                  new ProtocolException(
                                      ErrorCode.PROPOSAL_NOT_FOUND, "Proposal not found"));
                      if (p.status() != ProposalStatus.PENDING) {
                        return Transition.refuse(invalid("PROPOSAL_NOT_PENDING"));
                      }
                      if (!p.toAgent().equals(caller.id())) {
                        return Transition.refuse(invalid("NOT_PROPOSAL_RECIPIENT"));
                      }
                      Proposal accepted = p.accepted(now, f.sig(), f.paymentCode(), stake);
                      return Transition.update(accepted, accepted);
                    }))
        .compose(
            p -> {
              JsonObject frame =
                  outcome("ACCEPT", p, now)
                      .put("payment_code", p.responsePaymentCode())
                      .put("sig", p.responseSig())
                      .put("proposer_stake", p.proposerStake())
                      .put("acceptor_stake", p.acceptorStake() == null ? 0L : p.acceptorStake());
              notifier.toChannel(
                  "#bounties",
                  "[CLAIMED] "
                      + p.id()
                      + " accepted by @"
                      + p.toAgent()
                      + " — \""
                      + p.task()
                      + "\"",
                  true);
              return notifyThenReply(p.fromAgent(), frame, now);
            });
  }

  // -------------------------------------------------------------------------------- REJECT

  Future<JsonObject> reject(Caller caller, ClientFrame.Reject f, long now) {
    caller.requireSignature(SigningStrings.reject(f.proposalId(), f.reason()), f.sig(), NEED_KEY);
    bounded("reason", f.reason(), MAX_TEXT);
    return orExplain(
            proposals.rejectIfPending(f.proposalId(), caller.id(), now, f.sig(), f.reason()),
            () ->
                proposals.transition(
                    f.proposalId(),
                    now,
                    current -> {
                      if (current.isEmpty()) {
                        return Transition.refuse(invalid("PROPOSAL_NOT_FOUND"));
                      }
                      Proposal p = current.get();
                      if (p.status() != ProposalStatus.PENDING) {
                        return Transition.refuse(invalid("PROPOSAL_NOT_PENDING"));
                      }
                      if (!p.toAgent().equals(caller.id())) {
                        return Transition.refuse(invalid("NOT_PROPOSAL_RECIPIENT"));
                      }
                      Proposal rejected = p.rejected(now, f.sig(), f.reason());
                      return Transition.update(rejected, rejected);
                    }))
        .compose(
            p -> {
              JsonObject frame =
                  outcome("REJECT", p, now)
                      .put("reason", p.rejectReason())
                      .put("sig", p.responseSig());
              return notifyThenReply(p.fromAgent(), frame, now);
            });
  }

  // ------------------------------------------------------------------------------ COMPLETE

  Future<JsonObject> complete(Caller caller, ClientFrame.Complete f, long now) {
    caller.requireSignature(SigningStrings.complete(f.proposalId(), f.proof()), f.sig(), NEED_KEY);
    bounded("proof", f.proof(), MAX_TEXT);
    long acceptedNoLaterThan = minAgeMillis > 0 ? now - minAgeMillis : Long.MAX_VALUE;
    return orExplain(
            proposals.completeIfAccepted(
                f.proposalId(), caller.id(), now, f.proof(), f.sig(), acceptedNoLaterThan),
            () ->
                proposals.transition(
                    f.proposalId(),
                    now,
                    current -> {
                      Proposal p = acceptedByParty(current, caller);
                      long age = now - p.acceptedAt();
                      if (minAgeMillis > 0 && age < minAgeMillis) {
                        long remaining = (minAgeMillis - age + 999) / 1000;
                        return Transition.refuse(
                            new ProtocolException(
                                ErrorCode.RATE_LIMITED,
                                "Proposal must be at least "
                                    + minAgeMillis / 1000
                                    + "s old before completion ("
                                    + remaining
                                    + "s remaining)"));
                      }
                      Proposal completed = p.completed(now, caller.id(), f.proof(), f.sig());
                      return Transition.update(completed, completed);
                    }))
        .compose(
            p -> {
              JsonObject frame =
                  outcome("COMPLETE", p, now)
                      .put("completed_by", "@" + p.completedBy())
                      .put("completed_at", p.completedAt())
                      .put("proof", p.completionProof())
                      .put("sig", p.completionSig())
                      .put("elo_stakes", stakes(p))
                      .put("rating_changes", null);
              return notifyThenReply(otherParty(p, caller), frame, now);
            });
  }

  // ------------------------------------------------------------------------------- DISPUTE

  Future<JsonObject> dispute(Caller caller, ClientFrame.Dispute f, long now) {
    caller.requireSignature(SigningStrings.dispute(f.proposalId(), f.reason()), f.sig(), NEED_KEY);
    bounded("reason", f.reason(), MAX_TEXT);
    return orExplain(
            proposals.disputeIfAccepted(f.proposalId(), caller.id(), now, f.reason(), f.sig()),
            () ->
                proposals.transition(
                    f.proposalId(),
                    now,
                    current -> {
                      Proposal p = acceptedByParty(current, caller);
                      Proposal disputed = p.disputed(now, caller.id(), f.reason(), f.sig());
                      return Transition.update(disputed, disputed);
                    }))
        .compose(
            p -> {
              JsonObject frame =
                  outcome("DISPUTE", p, now)
                      .put("disputed_by", "@" + p.disputedBy())
                      .put("disputed_at", p.disputedAt())
                      .put("reason", p.disputeReason())
                      .put("sig", p.disputeSig())
                      .put("elo_stakes", stakes(p))
                      .put("rating_changes", null);
              return notifyThenReply(otherParty(p, caller), frame, now);
            });
  }

  /**
   * The one-statement change if it applied; otherwise the row-locked rule, which says why it did
   * not (or applies it, if the row changed in between).
   */
  private static Future<Proposal> orExplain(
      Future<Optional<Proposal>> direct, Supplier<Future<Proposal>> explained) {
    return direct.compose(
        done -> done.isPresent() ? Future.succeededFuture(done.get()) : explained.get());
  }

  private static Proposal acceptedByParty(Optional<Proposal> current, Caller caller) {
    Proposal p = current.orElseThrow(() -> invalid("PROPOSAL_NOT_FOUND"));
    if (p.status() != ProposalStatus.ACCEPTED) {
      throw invalid("PROPOSAL_NOT_ACCEPTED");
    }
    if (!p.fromAgent().equals(caller.id()) && !p.toAgent().equals(caller.id())) {
      throw invalid("NOT_PROPOSAL_PARTY");
    }
    return p;
  }

  // ------------------------------------------------------------------------ LIST_PROPOSALS

  Future<JsonObject> list(Caller caller, ClientFrame.ListProposals f, long now) {
    ProposalStatus status = f.status() == null ? null : ProposalStatus.fromWire(f.status());
    int limit = f.limit() == null ? LIST_LIMIT : Math.min(f.limit(), 500);
    return proposals
        .forAgent(caller.id(), status, limit)
        .map(
            list -> {
              JsonArray out = new JsonArray();
              for (Proposal p : list) {
                out.add(proposalFrame(p, now));
              }
              return MarketplaceFrames.reply(
                  MarketplaceFrames.frame("PROPOSALS", now).put("list", out));
            });
  }

  /**
   * Tells the other party, then answers the caller: once the caller sees its echo, the other party
   * has the frame or it is queued for its next login.
   */
  private Future<JsonObject> notifyThenReply(String otherParty, JsonObject frame, long now) {
    return notifier.toAgent(otherParty, frame, true, now).map(v -> MarketplaceFrames.reply(frame));
  }

  // ------------------------------------------------------------------------------- handover

  /**
   * What an agent missed while offline, then its open proposals, in that order. Proposals that
   * changed at or after {@code onlineSince} reached the agent live and are not sent again.
   */
  Future<Void> handOver(String agentId, long onlineSince, long now) {
    return notifier
        .handOverNotices(agentId, now)
        .compose(v -> proposals.openFor(agentId, now))
        .compose(
            open -> {
              Future<Void> chain = Future.succeededFuture();
              for (Proposal p : open) {
                if (p.updatedAt() >= onlineSince) {
                  continue;
                }
                JsonObject frame = proposalFrame(p, now);
                chain = chain.compose(v -> notifier.deliverNow(agentId, frame).mapEmpty());
              }
              return chain;
            });
  }

  // -------------------------------------------------------------------------------- frames

  /** A proposal as the PROPOSAL frame shows it (field order of the reference). */
  static JsonObject proposalFrame(Proposal p, long now) {
    JsonObject frame =
        MarketplaceFrames.frame("PROPOSAL", now)
            .put("id", p.id())
            .put("from", "@" + p.fromAgent())
            .put("to", "@" + p.toAgent())
            .put("task", p.task())
            .put("amount", MarketplaceFrames.amount(p.amount()))
            .put("currency", p.currency())
            .put("payment_code", p.paymentCode())
            .put("terms", p.terms())
            .put("expires", p.expiresAt())
            .put("status", p.status().wire())
            .put("created_at", p.createdAt())
            .put("sig", p.sig())
            .put("elo_stake", p.proposerStake());
    if (p.status() != ProposalStatus.PENDING) {
      frame.put("updated_at", p.updatedAt());
    }
    return frame;
  }

  /** The head every ACCEPT, REJECT, COMPLETE and DISPUTE frame shares, in the reference's order. */
  private static JsonObject outcome(String type, Proposal p, long now) {
    return MarketplaceFrames.frame(type, now)
        .put("proposal_id", p.id())
        .put("status", p.status().wire())
        .put("updated_at", p.updatedAt())
        .put("from", "@" + p.fromAgent())
        .put("to", "@" + p.toAgent());
  }

  private static JsonObject stakes(Proposal p) {
    return new JsonObject()
        .put("proposer", p.proposerStake() == null ? 0L : p.proposerStake())
        .put("acceptor", p.acceptorStake() == null ? 0L : p.acceptorStake());
  }

  private static String otherParty(Proposal p, Caller caller) {
    return p.fromAgent().equals(caller.id()) ? p.toAgent() : p.fromAgent();
  }

  private static ProtocolException invalid(String token) {
    return new ProtocolException(ErrorCode.INVALID_PROPOSAL, token);
  }

  private static void bounded(String field, String value, int max) {
    if (value != null && value.length() > max) {
      throw ProtocolException.invalid(field + " may be at most " + max + " characters");
    }
    if (value != null && value.indexOf('\0') >= 0) {
      // Postgres cannot store NUL in text; refuse it here rather than fail in the database.
      throw ProtocolException.invalid(field + " may not contain NUL characters");
    }
  }

  /** A string field as parsed JSON, for the or-empty slots of a signing string. */
  private static JsonNode text(String value) {
    return value == null ? null : TextNode.valueOf(value);
  }

  private static String hex(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
