package io.agentchat.marketbench;

import io.agentchat.bench.core.AgentSocket;
import io.agentchat.bench.core.ClientLoop;
import io.agentchat.bench.core.FrameScan;
import io.agentchat.bench.core.Refusal;
import io.agentchat.client.LoginHandshake;
import io.agentchat.identity.AgentKeyPair;
import io.agentchat.protocol.SigningStrings;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;

/**
 * Two keyed agents on their own sockets running proposal round trips in a closed loop: the proposer
 * sends PROPOSAL (a new task each time), the recipient answers the PROPOSAL it receives with
 * ACCEPT, the proposer answers the ACCEPT it receives with COMPLETE, and the round trip ends when
 * both parties hold the COMPLETE. Frames are matched by proposal id, so a late frame of an
 * abandoned round trip is ignored. An ERROR or a timeout abandons the round trip, is counted by
 * code, and the next starts after a short pause. Confined to its loop.
 */
final class ProposalPair implements AgentSocket.Listener {
  private static final BigDecimal AMOUNT = BigDecimal.valueOf(5);
  private static final String CURRENCY = "TEST";
  private static final String PROOF = "done";

  /** Pause after a failed round trip, so a refusing server is not hammered in a tight loop. */
  private static final long RETRY_PAUSE_MS = 10;

  private enum Phase {
    IDLE,
    PROPOSED,
    ACCEPTED,
    COMPLETING
  }

  private final ClientLoop loop;
  private final MarketBenchOptions options;
  private final String label;

  // The pair signs on its loop: one Ed25519 signature costs tens of microseconds, and signing here
  // keeps the pair's steps in order without a hop to a worker and back.
  private final AgentKeyPair proposerKeys;
  private final AgentKeyPair recipientKeys;
  private final AgentSocket proposer;
  private final AgentSocket recipient;
  private final Promise<Void> stopped = Promise.promise();
  private String proposerId;
  private String recipientId;
  private Phase phase = Phase.IDLE;
  private long until;
  private long iteration;
  private String task;
  private String proposalId;
  private long startedAt;
  private boolean proposerDone;
  private boolean recipientDone;
  private long timer = -1;

  /**
   * A pair named after {@code label}, whose agents use these keys.
   *
   * @param label unique within the run; it is part of every task text
   */
  ProposalPair(
      ClientLoop loop,
      MarketBenchOptions options,
      String label,
      AgentKeyPair proposerKeys,
      AgentKeyPair recipientKeys) {
    this.loop = loop;
    this.options = options;
    this.label = label;
    this.proposerKeys = proposerKeys;
    this.recipientKeys = recipientKeys;
    this.proposer = new AgentSocket(loop, new LoginHandshake(label + "p", proposerKeys));
    this.recipient = new AgentSocket(loop, new LoginHandshake(label + "a", recipientKeys));
  }

  /** Logs the recipient in, then the proposer, learning their agent ids; call on the loop. */
  Future<Void> login() {
    return recipient
        .login(options.requestTimeout())
        .compose(
            welcome -> {
              recipientId = FrameScan.string(welcome, "agent_id");
              return proposer.login(options.requestTimeout());
            })
        .map(
            welcome -> {
              proposerId = FrameScan.string(welcome, "agent_id");
              return null;
            });
  }

  /**
   * Runs round trips until {@code until}; call on the loop.
   *
   * @return completes when the round trip in flight at {@code until} has ended, or a socket closed
   */
  Future<Void> run(long until) {
    this.until = until;
    proposer.listener(this);
    recipient.listener(this);
    next();
    return stopped.future();
  }

  @Override
  public void onFrame(AgentSocket from, String text) {
    String type = FrameScan.type(text);
    if (type == null) {
      return;
    }
    switch (type) {
      case "PROPOSAL" -> {
        if (from == recipient && phase == Phase.PROPOSED) {
          received(FrameScan.parse(text));
        }
      }
      case "ACCEPT" -> {
        if (from == proposer && phase == Phase.ACCEPTED && matches(text, "proposal_id")) {
          phase = Phase.COMPLETING;
          proposer.send(
              new JsonObject()
                  .put("type", "COMPLETE")
                  .put("proposal_id", proposalId)
                  .put("proof", PROOF)
                  .put("sig", proposerKeys.sign(SigningStrings.complete(proposalId, PROOF)))
                  .encode());
        }
      }
      case "COMPLETE" -> {
        if (phase == Phase.COMPLETING && matches(text, "proposal_id")) {
          proposerDone |= from == proposer;
          recipientDone |= from == recipient;
          if (proposerDone && recipientDone) {
            loop.stats().completedAt(startedAt, System.nanoTime());
            finish(0);
          }
        }
      }
      case "ERROR" -> {
        Refusal refusal = Refusal.of(text);
        loop.stats().error(refusal.code(), refusal.message());
        if (phase != Phase.IDLE) {
          finish(RETRY_PAUSE_MS);
        }
      }
      default -> {
        // Echoes (PROPOSAL to the proposer, ACCEPT to the recipient) and other traffic.
      }
    }
  }

  @Override
  public void onClosed(AgentSocket from, String why) {
    loop.stats().error("CLOSED", why);
    phase = Phase.IDLE;
    cancelTimer();
    stopped.tryComplete();
  }

  private void next() {
    if (System.nanoTime() >= until) {
      stopped.tryComplete();
      return;
    }
    iteration++;
    task = "bench " + label + " #" + iteration;
    proposalId = null;
    proposerDone = false;
    recipientDone = false;
    phase = Phase.PROPOSED;
    startedAt = System.nanoTime();
    long timeoutMs = options.requestTimeout().toMillis();
    timer =
        loop.vertx()
            .setTimer(
                timeoutMs,
                t -> {
                  timer = -1;
                  loop.stats()
                      .error(
                          "TIMEOUT",
                          "round trip not done within "
                              + timeoutMs
                              + " ms (stuck in "
                              + phase
                              + ")");
                  finish(0);
                });
    String to = recipientId;
    proposer.send(
        new JsonObject()
            .put("type", "PROPOSAL")
            .put("to", to)
            .put("task", task)
            .put("amount", AMOUNT.intValue())
            .put("currency", CURRENCY)
            .put(
                "sig",
                proposerKeys.sign(
                    SigningStrings.proposal(
                        to, task, AMOUNT, CURRENCY, (String) null, (Long) null, (Long) null)))
            .encode());
  }

  private void received(JsonObject proposal) {
    if (proposal == null
        || !task.equals(proposal.getString("task"))
        || !proposerId.equals(proposal.getString("from"))) {
      return;
    }
    proposalId = proposal.getString("id");
    phase = Phase.ACCEPTED;
    recipient.send(
        new JsonObject()
            .put("type", "ACCEPT")
            .put("proposal_id", proposalId)
            .put(
                "sig",
                recipientKeys.sign(SigningStrings.accept(proposalId, (String) null, (Long) null)))
            .encode());
  }

  private boolean matches(String text, String field) {
    String id = FrameScan.firstString(text, field);
    return id != null && id.equals(proposalId);
  }

  private void finish(long pauseMs) {
    phase = Phase.IDLE;
    cancelTimer();
    if (pauseMs > 0) {
      loop.vertx().setTimer(pauseMs, t -> next());
    } else {
      next();
    }
  }

  private void cancelTimer() {
    if (timer >= 0) {
      loop.vertx().cancelTimer(timer);
      timer = -1;
    }
  }
}
