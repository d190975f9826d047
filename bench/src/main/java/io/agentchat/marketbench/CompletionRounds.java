package io.agentchat.marketbench;

import io.agentchat.bench.core.AgentSocket;
import io.agentchat.bench.core.ClientLoop;
import io.agentchat.bench.core.FrameScan;
import io.agentchat.bench.core.LoadFailure;
import io.agentchat.bench.core.PacedSteps;
import io.agentchat.bench.core.Refusal;
import io.agentchat.client.LoginHandshake;
import io.agentchat.identity.AgentKeyPair;
import io.agentchat.protocol.SigningStrings;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Keyed agents on one loop that deal with each other by a {@link RoundRobin}: set-up opens one
 * accepted deal (PROPOSAL, then ACCEPT) for every pair of each of {@code rounds} rounds; the
 * measured run then sends only COMPLETEs, round by round, and a deal is done when both parties hold
 * its COMPLETE. Until the rounds wrap, every deal is between a pair that never completed one
 * before, so the reputation plug-in's pair cooldown holds none of them.
 *
 * <p>An agent takes part in one deal at a time, in both phases: no two deals in flight lock the
 * same standings row, and every frame an agent receives (an ERROR too) belongs to its current deal.
 * A deal starts as soon as both its parties have finished their previous round, so pairs do not
 * wait for a whole round to end, and about {@code agents / 2} deals are in flight. Confined to its
 * loop.
 */
final class CompletionRounds implements AgentSocket.Listener {
  private static final BigDecimal AMOUNT = BigDecimal.valueOf(5);
  private static final String CURRENCY = "TEST";
  private static final String PROOF = "done";

  /** The member of {@code rating_changes} that says the pair cooldown held the ratings. */
  private static final String COOLDOWN = "\"_cooldown\"";

  private enum Step {
    OPEN,
    COMPLETE
  }

  /** One deal of the schedule, shared by its two parties. */
  private static final class Deal {
    final int proposer;
    final int recipient;
    final String task;
    String proposalId;
    boolean failed;
    long startedAt;
    boolean proposerHolds;
    boolean recipientHolds;
    boolean cooldown;
    long timer = -1;

    Deal(int proposer, int recipient, String task) {
      this.proposer = proposer;
      this.recipient = recipient;
      this.task = task;
    }

    int other(int agent) {
      return agent == proposer ? recipient : proposer;
    }
  }

  /** What the completion phase counted beyond the loop's stats. */
  record Tally(long cooldownsInWindow, long cooldowns, long ranOutAt, int socketsClosed) {}

  private final ClientLoop loop;
  private final MarketBenchOptions options;
  private final String label;
  private final int agents;
  private final int rounds;
  private final AgentSocket[] sockets;
  private final String[] ids;
  private final Map<AgentSocket, Integer> indexOf = new IdentityHashMap<>();

  // Each agent signs on the loop: one Ed25519 signature costs tens of microseconds, and signing
  // here keeps a deal's steps in order without a hop to a worker and back.
  private final Map<AgentSocket, AgentKeyPair> keysOf = new IdentityHashMap<>();
  private final Deal[][] deals;
  private final Deal[] current;
  private final int[] nextRound;
  private Step step = Step.OPEN;
  private long until = Long.MAX_VALUE;
  private boolean stopping;
  private int inFlight;
  private Promise<Void> phase;
  private String firstLoginFailure;
  private int loggedIn;
  private long cooldownsInWindow;
  private long cooldowns;
  private long ranOutAt;
  private int socketsClosed;

  /**
   * @param label unique within the run; part of every agent name and task text
   * @param agents even, at least 2
   * @param rounds deals per agent
   */
  CompletionRounds(
      ClientLoop loop, MarketBenchOptions options, String label, int agents, int rounds) {
    this.loop = loop;
    this.options = options;
    this.label = label;
    this.agents = agents;
    this.rounds = rounds;
    this.sockets = new AgentSocket[agents];
    this.ids = new String[agents];
    this.current = new Deal[agents];
    this.nextRound = new int[agents];
    this.deals = new Deal[agents][rounds];
    RoundRobin schedule = new RoundRobin(agents);
    for (int r = 0; r < rounds; r++) {
      for (int a = 0; a < agents; a++) {
        int b = schedule.partner(a, r);
        if (a < b) {
          // Each side proposes in every other round, so both roles go to every agent.
          Deal d =
              r % 2 == 0
                  ? new Deal(a, b, "bench " + label + " r" + r + " " + a + "-" + b)
                  : new Deal(b, a, "bench " + label + " r" + r + " " + b + "-" + a);
          deals[a][r] = d;
          deals[b][r] = d;
        }
      }
    }
  }

  /** Rounds before a pair deals again. */
  int distinctRounds() {
    return agents - 1;
  }

  /** Deals the schedule holds: {@code agents / 2 × rounds}. */
  int deals() {
    return agents / 2 * rounds;
  }

  /**
   * Generates each agent's key on a worker and logs it in, at most {@code concurrency} at once;
   * call on the loop.
   *
   * @return fails with the first login's failure unless every agent logged in
   */
  Future<Void> login(int concurrency, long deadline) {
    List<Integer> all = IntStream.range(0, agents).boxed().toList();
    return PacedSteps.run(loop.vertx(), all, this::login, 0, concurrency, deadline)
        .compose(
            v ->
                loggedIn == agents
                    ? Future.<Void>succeededFuture()
                    : Future.<Void>failedFuture(
                        "only "
                            + loggedIn
                            + " of "
                            + agents
                            + " agents logged in (first failure: "
                            + (firstLoginFailure == null ? "set-up timed out" : firstLoginFailure)
                            + ")"));
  }

  private Future<Void> login(int agent) {
    return loop.vertx()
        .executeBlocking(AgentKeyPair::generate, false)
        .compose(
            keys -> {
              AgentSocket socket =
                  new AgentSocket(loop, new LoginHandshake(label + "a" + agent, keys));
              sockets[agent] = socket;
              indexOf.put(socket, agent);
              keysOf.put(socket, keys);
              return socket.login(options.requestTimeout());
            })
        .<Void>map(
            welcome -> {
              ids[agent] = FrameScan.string(welcome, "agent_id");
              loggedIn++;
              return null;
            })
        .onFailure(
            e -> {
              if (firstLoginFailure == null) {
                firstLoginFailure = "agent " + agent + ": " + LoadFailure.describe(e);
              }
            });
  }

  /**
   * Opens every deal of the schedule: PROPOSAL, then ACCEPT, recorded as set-up steps in the loop's
   * stats; call on the loop.
   *
   * @return completes when every deal has opened or failed to
   */
  Future<Void> open() {
    return run(Step.OPEN, Long.MAX_VALUE);
  }

  /**
   * Completes the opened deals round by round, starting none after {@code until}; call on the loop.
   *
   * @return completes when the deals in flight at {@code until} have ended, or the deals ran out
   */
  Future<Void> complete(long until) {
    return run(Step.COMPLETE, until);
  }

  /** What the completion phase counted; call on the loop after it ended. */
  Tally tally() {
    return new Tally(cooldownsInWindow, cooldowns, ranOutAt, socketsClosed);
  }

  private Future<Void> run(Step next, long until) {
    step = next;
    this.until = until;
    stopping = false;
    inFlight = 0;
    Arrays.fill(current, null);
    Arrays.fill(nextRound, 0);
    phase = Promise.promise();
    for (AgentSocket socket : sockets) {
      socket.listener(this);
    }
    for (int a = 0; a < agents; a++) {
      tryStart(a);
    }
    endIfIdle();
    return phase.future();
  }

  /** Starts the agent's next deal if its partner is free and at the same round. */
  private void tryStart(int agent) {
    if (stopping || current[agent] != null) {
      return;
    }
    int round = nextRound[agent];
    long now = System.nanoTime();
    if (round >= rounds) {
      if (step == Step.COMPLETE && now < until && ranOutAt == 0) {
        ranOutAt = now;
      }
      return;
    }
    Deal d = deals[agent][round];
    int other = d.other(agent);
    if (current[other] != null || nextRound[other] != round) {
      return;
    }
    if (now >= until) {
      stopping = true;
      return;
    }
    if (step == Step.COMPLETE && d.failed) {
      advance(d); // never opened: nothing to complete
      return;
    }
    start(d, now);
  }

  private void start(Deal d, long now) {
    current[d.proposer] = d;
    current[d.recipient] = d;
    inFlight++;
    d.proposerHolds = false;
    d.recipientHolds = false;
    d.startedAt = now;
    long timeoutMs = options.requestTimeout().toMillis();
    d.timer =
        loop.vertx()
            .setTimer(
                timeoutMs,
                t -> {
                  d.timer = -1;
                  fail(d, "TIMEOUT", step + " not done within " + timeoutMs + " ms");
                });
    if (step == Step.OPEN) {
      propose(d);
    } else {
      completeDeal(d);
    }
  }

  private void propose(Deal d) {
    String to = ids[d.recipient];
    AgentSocket proposer = sockets[d.proposer];
    proposer.send(
        new JsonObject()
            .put("type", "PROPOSAL")
            .put("to", to)
            .put("task", d.task)
            .put("amount", AMOUNT.intValue())
            .put("currency", CURRENCY)
            .put(
                "sig",
                keysOf
                    .get(proposer)
                    .sign(
                        SigningStrings.proposal(
                            to, d.task, AMOUNT, CURRENCY, (String) null, (Long) null, (Long) null)))
            .encode());
  }

  private void accept(Deal d) {
    AgentSocket recipient = sockets[d.recipient];
    recipient.send(
        new JsonObject()
            .put("type", "ACCEPT")
            .put("proposal_id", d.proposalId)
            .put(
                "sig",
                keysOf
                    .get(recipient)
                    .sign(SigningStrings.accept(d.proposalId, (String) null, (Long) null)))
            .encode());
  }

  /** The proposer completes. */
  private void completeDeal(Deal d) {
    AgentSocket proposer = sockets[d.proposer];
    proposer.send(
        new JsonObject()
            .put("type", "COMPLETE")
            .put("proposal_id", d.proposalId)
            .put("proof", PROOF)
            .put("sig", keysOf.get(proposer).sign(SigningStrings.complete(d.proposalId, PROOF)))
            .encode());
  }

  @Override
  public void onFrame(AgentSocket from, String text) {
    Integer who = indexOf.get(from);
    Deal d = who == null ? null : current[who];
    String type = d == null ? null : FrameScan.type(text);
    if (type == null) {
      return;
    }
    switch (type) {
      case "PROPOSAL" -> {
        if (step == Step.OPEN && who == d.recipient && d.proposalId == null) {
          JsonObject p = FrameScan.parse(text);
          if (p != null
              && d.task.equals(p.getString("task"))
              && ids[d.proposer].equals(p.getString("from"))) {
            d.proposalId = p.getString("id");
            accept(d);
          }
        }
      }
      case "ACCEPT" -> {
        if (step == Step.OPEN && about(d, text)) {
          holds(d, who);
        }
      }
      case "COMPLETE" -> {
        if (step == Step.COMPLETE && about(d, text)) {
          d.cooldown |= text.contains(COOLDOWN);
          holds(d, who);
        }
      }
      case "ERROR" -> {
        Refusal refusal = Refusal.of(text);
        fail(d, refusal.code(), refusal.message());
      }
      default -> {
        // Echoes (PROPOSAL to the proposer) and other traffic.
      }
    }
  }

  @Override
  public void onClosed(AgentSocket from, String why) {
    loop.stats().error("CLOSED", why);
    socketsClosed++;
    // Its deals cannot go on; those in flight end by their timers.
    stopping = true;
    endIfIdle();
  }

  private static boolean about(Deal d, String text) {
    String id = FrameScan.firstString(text, "proposal_id");
    return id != null && id.equals(d.proposalId);
  }

  private void holds(Deal d, int who) {
    d.proposerHolds |= who == d.proposer;
    d.recipientHolds |= who == d.recipient;
    if (!d.proposerHolds || !d.recipientHolds) {
      return;
    }
    long now = System.nanoTime();
    if (step == Step.OPEN) {
      loop.stats().setupDone(now - d.startedAt);
    } else {
      boolean counted = loop.stats().completedAt(d.startedAt, now);
      if (d.cooldown) {
        cooldowns++;
        cooldownsInWindow += counted ? 1 : 0;
      }
    }
    end(d);
  }

  private void fail(Deal d, String code, String message) {
    loop.stats().error(code, message);
    if (step == Step.OPEN) {
      d.failed = true;
      loop.stats().setupFailed(d.task + ": " + code + " " + message);
    }
    end(d);
  }

  private void end(Deal d) {
    if (d.timer >= 0) {
      loop.vertx().cancelTimer(d.timer);
      d.timer = -1;
    }
    inFlight--;
    current[d.proposer] = null;
    current[d.recipient] = null;
    advance(d);
    endIfIdle();
  }

  private void advance(Deal d) {
    nextRound[d.proposer]++;
    nextRound[d.recipient]++;
    tryStart(d.proposer);
    tryStart(d.recipient);
  }

  /**
   * Nothing in flight means nothing more can start: the lowest round left always has both its
   * parties free, and the party that freed last already tried to start it.
   */
  private void endIfIdle() {
    if (inFlight == 0 && phase != null) {
      phase.tryComplete();
    }
  }
}
