package io.agentchat.marketplace.impl;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentchat.marketplace.spi.ProposalView;
import io.agentchat.marketplace.spi.ReleaseReason;
import io.agentchat.marketplace.spi.Settlement;
import io.agentchat.marketplace.spi.SettlementContext;
import io.agentchat.marketplace.spi.SettlementOutcome;
import io.agentchat.marketplace.spi.StandingChange;
import io.agentchat.marketplace.store.AgentRepository;
import io.agentchat.marketplace.store.NewProposal;
import io.agentchat.marketplace.store.Proposal;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The settlement plug-ins the server assembly wired in, called one after another, in its order, on
 * the verb's connection. With none, every call completes at once.
 */
final class Settlements {
  /** A crude bound on {@link #pubkeys}: a refill costs one query per pair of parties. */
  private static final int MAX_CACHED_KEYS = 100_000;

  private final List<Settlement> plugins;
  private final AgentRepository agents = new AgentRepository();

  /**
   * Public key PEMs by bare agent id, as read from {@code agents}. An id is derived from the exact
   * PEM text its agent logged in with (SHA-256), so the key on record for an id never changes: once
   * read, it is kept, which spares every ACCEPT, COMPLETE and DISPUTE a query.
   */
  private final Map<String, String> pubkeys = new ConcurrentHashMap<>();

  Settlements(List<Settlement> plugins) {
    this.plugins = List.copyOf(plugins);
  }

  /** Whether no plug-in was wired in: then no verb has anything to settle. */
  boolean isEmpty() {
    return plugins.isEmpty();
  }

  /** Whether a plug-in verifies payments before a COMPLETE's transaction. */
  boolean verifiesPayments() {
    return plugins.stream().anyMatch(Settlement::verifiesPayments);
  }

  /** Starts every plug-in, in order. */
  Future<Void> start(SettlementContext context) {
    return each(p -> p.start(context));
  }

  /** Stops every plug-in, in reverse order, whatever each one's stop does. */
  Future<Void> stop() {
    Future<Void> chain = Future.succeededFuture();
    for (int i = plugins.size() - 1; i >= 0; i--) {
      Settlement p = plugins.get(i);
      chain = chain.eventually(p::stop);
    }
    return chain.otherwiseEmpty();
  }

  Future<Void> checkTerms(NewProposal p, SqlConnection tx) {
    if (plugins.isEmpty()) {
      return Future.succeededFuture();
    }
    return keys(tx, p.fromAgent(), p.toAgent())
        .compose(keys -> each(s -> s.checkTerms(view(p, keys), tx)));
  }

  Future<Void> accept(Proposal p, SqlConnection tx) {
    return plugins.isEmpty()
        ? Future.succeededFuture()
        : viewOf(p, tx).compose(v -> each(s -> s.accept(v, tx)));
  }

  Future<Void> release(Proposal p, ReleaseReason reason, SqlConnection tx) {
    return plugins.isEmpty()
        ? Future.succeededFuture()
        : viewOf(p, tx).compose(v -> each(s -> s.release(v, reason, tx)));
  }

  /** Releases each proposal in turn. */
  Future<Void> releaseAll(List<Proposal> ended, ReleaseReason reason, SqlConnection tx) {
    Future<Void> chain = Future.succeededFuture();
    for (Proposal p : ended) {
      chain = chain.compose(v -> release(p, reason, tx));
    }
    return chain;
  }

  /**
   * COMPLETE, before its transaction: each plug-in checks the payment the deal names, in order.
   *
   * @param p the proposal as read before the transaction, still accepted
   * @param proof the proof the COMPLETE carries
   * @return the payment verified (null when no plug-in verified one)
   */
  Future<JsonNode> verifyPayment(Proposal p, String proof, SqlClient client) {
    if (!verifiesPayments()) {
      return Future.succeededFuture(null);
    }
    return keys(client, p.fromAgent(), p.toAgent())
        .compose(
            keys -> {
              ProposalView v = view(p, keys);
              Future<JsonNode> chain = Future.succeededFuture(null);
              for (Settlement s : plugins) {
                if (!s.verifiesPayments()) {
                  continue;
                }
                chain =
                    chain.compose(
                        sofar ->
                            s.verifyPayment(v, proof)
                                .map(added -> only("payment", sofar, added, s)));
              }
              return chain;
            });
  }

  /**
   * COMPLETE, in its transaction. A payment verified before it, or settled by a plug-in in it,
   * reaches the plug-ins after that one in {@link ProposalView#payment}: the reputation plug-in
   * puts it in the receipt.
   */
  Future<SettlementOutcome> complete(Proposal p, JsonNode verified, SqlConnection tx) {
    if (plugins.isEmpty()) {
      return Future.succeededFuture(SettlementOutcome.NONE);
    }
    return viewOf(p, tx)
        .compose(
            first -> {
              ProposalView[] view = {first.withPayment(verified)};
              Future<SettlementOutcome> chain =
                  Future.succeededFuture(
                      verified == null
                          ? SettlementOutcome.NONE
                          : new SettlementOutcome(null, verified, List.of()));
              for (Settlement s : plugins) {
                chain =
                    chain.compose(
                        sofar ->
                            s.complete(view[0], tx)
                                .map(
                                    added -> {
                                      SettlementOutcome merged =
                                          merge(
                                              sofar,
                                              added == null ? SettlementOutcome.NONE : added,
                                              s);
                                      view[0] = view[0].withPayment(merged.payment());
                                      return merged;
                                    }));
              }
              return chain;
            });
  }

  Future<SettlementOutcome> dispute(Proposal p, SqlConnection tx) {
    return plugins.isEmpty()
        ? Future.succeededFuture(SettlementOutcome.NONE)
        : viewOf(p, tx).compose(v -> settle(s -> s.dispute(v, tx)));
  }

  /** The view plug-ins get, with the parties' public keys as this server knows them. */
  private Future<ProposalView> viewOf(Proposal p, SqlConnection tx) {
    return keys(tx, p.fromAgent(), p.toAgent()).map(keys -> view(p, keys));
  }

  private Future<Map<String, String>> keys(SqlClient client, String from, String to) {
    String fromKey = pubkeys.get(from);
    String toKey = pubkeys.get(to);
    if (fromKey != null && toKey != null) {
      Map<String, String> known = new HashMap<>(4);
      known.put(from, fromKey);
      known.put(to, toKey);
      return Future.succeededFuture(known);
    }
    return agents
        .pubkeys(client, List.of(from, to))
        .onSuccess(
            read -> {
              if (pubkeys.size() >= MAX_CACHED_KEYS) {
                pubkeys.clear();
              }
              pubkeys.putAll(read);
            });
  }

  private Future<Void> each(Function<Settlement, Future<Void>> call) {
    Future<Void> chain = Future.succeededFuture();
    for (Settlement p : plugins) {
      chain = chain.compose(v -> call.apply(p));
    }
    return chain;
  }

  /** Calls each plug-in and merges what they add: one owner per frame member. */
  private Future<SettlementOutcome> settle(Function<Settlement, Future<SettlementOutcome>> call) {
    Future<SettlementOutcome> chain = Future.succeededFuture(SettlementOutcome.NONE);
    for (Settlement p : plugins) {
      chain =
          chain.compose(
              sofar ->
                  call.apply(p)
                      .map(
                          added ->
                              merge(sofar, added == null ? SettlementOutcome.NONE : added, p)));
    }
    return chain;
  }

  private static SettlementOutcome merge(
      SettlementOutcome sofar, SettlementOutcome added, Settlement by) {
    List<StandingChange> standings = new ArrayList<>(sofar.standingChanges());
    standings.addAll(added.standingChanges());
    return new SettlementOutcome(
        only("rating_changes", sofar.ratingChanges(), added.ratingChanges(), by),
        only("payment", sofar.payment(), added.payment(), by),
        standings);
  }

  private static JsonNode only(String member, JsonNode sofar, JsonNode added, Settlement by) {
    if (sofar != null && added != null) {
      throw new IllegalStateException(
          "Two settlement plug-ins set " + member + "; the second is " + by.name());
    }
    return sofar != null ? sofar : added;
  }

  static ProposalView view(Proposal p, Map<String, String> keys) {
    return new ProposalView(
        p.id(),
        p.fromAgent(),
        p.toAgent(),
        p.task(),
        p.amount(),
        p.currency(),
        p.paymentCode(),
        p.terms(),
        p.status().wire(),
        p.createdAt(),
        p.expiresAt(),
        p.acceptedAt(),
        p.proposerStake(),
        p.acceptorStake(),
        p.responsePaymentCode(),
        p.completedBy(),
        p.completionProof(),
        p.disputedBy(),
        p.disputeReason(),
        p.updatedAt(),
        p.completedAt(),
        p.disputedAt(),
        p.sig(),
        p.responseSig(),
        p.completionSig(),
        p.disputeSig(),
        p.capability(),
        p.expiresIn(),
        keys.get(p.fromAgent()),
        keys.get(p.toAgent()),
        p.disputeSettledAt(),
        p.disputeSettlement(),
        p.contestedBy(),
        p.contestedAt(),
        p.contestReason(),
        p.contestSig(),
        null);
  }

  static ProposalView view(NewProposal p, Map<String, String> keys) {
    return new ProposalView(
        p.id(),
        p.fromAgent(),
        p.toAgent(),
        p.task(),
        p.amount(),
        p.currency(),
        p.paymentCode(),
        p.terms(),
        "pending",
        p.createdAt(),
        p.expiresAt(),
        null,
        p.proposerStake(),
        null,
        null,
        null,
        null,
        null,
        null,
        p.createdAt(),
        null,
        null,
        p.sig(),
        null,
        null,
        null,
        p.capability(),
        p.expiresIn(),
        keys.get(p.fromAgent()),
        keys.get(p.toAgent()),
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }
}
