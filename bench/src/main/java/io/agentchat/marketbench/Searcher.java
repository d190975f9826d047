package io.agentchat.marketbench;

import io.agentchat.bench.core.AgentSocket;
import io.agentchat.bench.core.ClientLoop;
import io.agentchat.bench.core.FrameScan;
import io.agentchat.bench.core.Refusal;
import io.agentchat.client.LoginHandshake;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One searching connection: keeps {@code --concurrency} SEARCH_SKILLS in flight (closed loop) until
 * the end of the run, matching each SEARCH_RESULTS to its request by {@code query_id}. Queries are
 * 3-8 character fragments of the vocabulary, a quarter of them with a {@code max_rate} and a
 * quarter with a {@code currency} filter. A request unanswered after {@code --request-timeout}
 * counts as a TIMEOUT and is replaced; a refused one (ERROR) is replaced after a short pause.
 * Confined to its loop.
 */
final class Searcher implements AgentSocket.Listener {
  private static final long SWEEP_MS = 100;

  /** Pause after an ERROR, so a refusing server is not hammered in a tight loop. */
  private static final long RETRY_PAUSE_MS = 10;

  private final ClientLoop loop;
  private final MarketBenchOptions options;
  private final AgentSocket connection;
  private final String prefix;
  private final SplittableRandom random;

  /** Requests in flight, oldest first: query_id → send time (nanos). */
  private final LinkedHashMap<String, Long> inFlight = new LinkedHashMap<>();

  private final Promise<Void> stopped = Promise.promise();
  private long until;
  private long seq;
  private long sweepTimer = -1;
  private long matchTotal;
  private long emptyResults;

  /**
   * An ephemeral agent called {@code name} on {@code loop}.
   *
   * @param seed of its query generator, so that reruns ask the same queries
   */
  Searcher(ClientLoop loop, MarketBenchOptions options, String name, long seed) {
    this.loop = loop;
    this.options = options;
    this.connection = new AgentSocket(loop, new LoginHandshake(name, null));
    this.prefix = name + "-";
    this.random = new SplittableRandom(seed);
  }

  /** Logs the searcher in; call on the loop. */
  Future<Void> login() {
    return connection.login(options.requestTimeout()).mapEmpty();
  }

  /**
   * Starts searching; call on the loop.
   *
   * @param until {@link System#nanoTime} after which no request is sent
   * @return completes when the last request in flight after {@code until} is answered or timed out,
   *     or the socket closed
   */
  Future<Void> run(long until) {
    this.until = until;
    connection.listener(this);
    sweepTimer = loop.vertx().setPeriodic(SWEEP_MS, t -> sweep());
    for (int i = 0; i < options.concurrency(); i++) {
      issue();
    }
    return stopped.future();
  }

  /** What the searches counted in the window matched; call on the loop after the run. */
  Matches matches() {
    return new Matches(matchTotal, emptyResults);
  }

  @Override
  public void onFrame(AgentSocket from, String text) {
    String type = FrameScan.type(text);
    if ("SEARCH_RESULTS".equals(type)) {
      String id = FrameScan.string(text, "query_id");
      Long sent = id == null ? null : inFlight.remove(id);
      if (sent == null) {
        return; // answered after it timed out, or not ours
      }
      if (loop.stats().completedAt(sent, System.nanoTime())) {
        long total = FrameScan.lastLong(text, "total");
        matchTotal += Math.max(0, total);
        emptyResults += total == 0 ? 1 : 0;
      }
      issue();
    } else if ("ERROR".equals(type)) {
      Refusal refusal = Refusal.of(text);
      loop.stats().error(refusal.code(), refusal.message());
      // An ERROR names no query_id; the oldest request is the best guess at the refused one.
      Iterator<String> oldest = inFlight.keySet().iterator();
      if (oldest.hasNext()) {
        oldest.next();
        oldest.remove();
        loop.vertx().setTimer(RETRY_PAUSE_MS, t -> issue());
      }
    }
  }

  @Override
  public void onClosed(AgentSocket from, String why) {
    loop.stats().error("CLOSED", why);
    inFlight.clear();
    stop();
  }

  private void issue() {
    if (System.nanoTime() >= until) {
      if (inFlight.isEmpty()) {
        stop();
      }
      return;
    }
    if (!connection.isOpen()) {
      stop();
      return;
    }
    String id = prefix + seq++;
    JsonObject query = new JsonObject().put("capability", SkillVocabulary.fragment(random));
    int filters = random.nextInt(4);
    if (filters == 1) {
      query.put("max_rate", 20 + random.nextInt(181));
    } else if (filters == 2) {
      query.put("currency", random.nextBoolean() ? "TEST" : "test");
    }
    query.put("limit", MarketBenchOptions.SEARCH_LIMIT);
    inFlight.put(id, System.nanoTime());
    connection.send(
        new JsonObject()
            .put("type", "SEARCH_SKILLS")
            .put("query", query)
            .put("query_id", id)
            .encode());
  }

  private void sweep() {
    long limit = System.nanoTime() - options.requestTimeout().toNanos();
    int expired = 0;
    for (Iterator<Map.Entry<String, Long>> it = inFlight.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Long> e = it.next();
      if (e.getValue() > limit) {
        break; // oldest first: the rest are younger
      }
      it.remove();
      expired++;
      loop.stats()
          .error(
              "TIMEOUT", "no SEARCH_RESULTS within " + options.requestTimeout().toMillis() + " ms");
    }
    for (int i = 0; i < expired; i++) {
      issue();
    }
    if (System.nanoTime() >= until && inFlight.isEmpty()) {
      stop();
    }
  }

  private void stop() {
    if (stopped.tryComplete()) {
      loop.vertx().cancelTimer(sweepTimer);
    }
  }

  /**
   * What the searches counted in the window matched.
   *
   * @param total the sum of SEARCH_RESULTS.total
   * @param empty results that matched nothing
   */
  record Matches(long total, long empty) {}
}
