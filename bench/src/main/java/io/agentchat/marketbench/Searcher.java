package io.agentchat.marketbench;

import io.agentchat.bench.core.FrameScan;
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
final class Searcher implements MarketConnection.Listener {
  private static final long SWEEP_MS = 100;

  /** Pause after an ERROR, so a refusing server is not hammered in a tight loop. */
  private static final long RETRY_PAUSE_MS = 10;

  private final MarketLoop loop;
  private final MarketConnection connection;
  private final String prefix;
  private final SplittableRandom random;

  /** Requests in flight, oldest first: query_id → send time (nanos). */
  private final LinkedHashMap<String, Long> inFlight = new LinkedHashMap<>();

  private final Promise<Void> stopped = Promise.promise();
  private long until;
  private long seq;
  private long sweepTimer = -1;

  Searcher(MarketLoop loop, MarketConnection connection, String prefix, long seed) {
    this.loop = loop;
    this.connection = connection;
    this.prefix = prefix;
    this.random = new SplittableRandom(seed);
  }

  MarketConnection connection() {
    return connection;
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
    for (int i = 0; i < loop.options().concurrency(); i++) {
      issue();
    }
    return stopped.future();
  }

  @Override
  public void onFrame(MarketConnection from, String type, String text) {
    if ("SEARCH_RESULTS".equals(type)) {
      String id = FrameScan.string(text, "query_id");
      Long sent = id == null ? null : inFlight.remove(id);
      if (sent == null) {
        return; // answered after it timed out, or not ours
      }
      if (loop.stats().completed(sent, System.nanoTime())) {
        long total = FrameScan.lastLong(text, "total");
        loop.stats().matchTotal += Math.max(0, total);
        loop.stats().emptyResults += total == 0 ? 1 : 0;
      }
      issue();
    } else if ("ERROR".equals(type)) {
      JsonObject error = FrameScan.parse(text);
      loop.stats()
          .error(String.valueOf(error.getValue("code")), String.valueOf(error.getValue("message")));
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
  public void onClosed(MarketConnection from, String why) {
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
    if (!connection.send(
        new JsonObject()
            .put("type", "SEARCH_SKILLS")
            .put("query", query)
            .put("query_id", id)
            .encode())) {
      inFlight.remove(id);
      stop();
    }
  }

  private void sweep() {
    long limit = System.nanoTime() - loop.options().requestTimeout().toNanos();
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
              "TIMEOUT",
              "no SEARCH_RESULTS within " + loop.options().requestTimeout().toMillis() + " ms");
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
}
