package io.agentchat.server;

import io.agentchat.marketplace.Marketplace;
import io.agentchat.marketplace.ProposalCensus;
import io.agentchat.marketplace.db.Database;
import io.agentchat.marketplace.spi.Schema;
import io.agentchat.marketplace.spi.Settlement;
import io.agentchat.relay.HealthReport;
import io.agentchat.relay.HealthReport.Part;
import io.agentchat.relay.HealthReport.State;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parts behind the relay: the shared database (every module's schema migrated), then the
 * marketplace with its settlement plug-ins. Started beside the relay and retried in the background
 * until they run: a database that is down must not take the chat with it. Until the marketplace
 * runs, the relay answers marketplace frames with SERVICE_UNAVAILABLE on its own. Thread-safe.
 */
final class MarketplaceSupervisor {
  private static final Logger log = LoggerFactory.getLogger("agentchat.serve");

  /** A database that does not answer {@code SELECT 1} within this is reported unavailable. */
  private static final long PING_TIMEOUT_MS = 1_500;

  private final Vertx vertx;
  private final ServerConfig config;
  private final Promise<Void> firstAttempt = Promise.promise();
  private final Promise<Void> ready = Promise.promise();

  private Future<Running> attempt;
  private Running running;
  private long retryTimer = -1;
  private int failures;
  private String lastError;
  private boolean closing;

  /** The database and the marketplace on it, both started. */
  private record Running(Database database, Marketplace marketplace) {}

  MarketplaceSupervisor(Vertx vertx, ServerConfig config) {
    this.vertx = vertx;
    this.config = config;
  }

  /** Starts now and, each time a start fails, again after the configured retry interval. */
  synchronized void start() {
    if (closing) {
      return;
    }
    Future<Running> started;
    try {
      started = startOnce();
    } catch (RuntimeException e) {
      started = Future.failedFuture(e);
    }
    attempt = started;
    started.onComplete(this::onAttempt);
  }

  /** Completes (never fails) once the first attempt has succeeded or failed. */
  Future<Void> firstAttempt() {
    return firstAttempt.future();
  }

  /** The marketplace now, or null while it is not running. */
  synchronized Marketplace marketplace() {
    return running == null ? null : running.marketplace();
  }

  /** Completes when the database and the marketplace first run. */
  Future<Void> ready() {
    return ready.future();
  }

  /** Every module's schema: the marketplace's, then each plug-in's, in wiring order. */
  private List<Schema> schemas() {
    List<Schema> schemas = new ArrayList<>(List.of(Marketplace.SCHEMA));
    for (Settlement s : config.marketplace().settlements()) {
      s.schema().ifPresent(schemas::add);
    }
    return schemas;
  }

  private Future<Running> startOnce() {
    return Database.start(vertx, config.database(), schemas())
        .compose(
            db ->
                Marketplace.start(vertx, db, config.marketplace())
                    .map(m -> new Running(db, m))
                    .recover(e -> db.close().transform(ignored -> Future.failedFuture(e))));
  }

  private synchronized void onAttempt(AsyncResult<Running> result) {
    if (result.succeeded()) {
      running = result.result();
      lastError = null;
      if (closing) {
        // close() was called while this attempt ran; it waits on the attempt and closes it.
        firstAttempt.tryComplete();
        return;
      }
      log.atInfo()
          .addKeyValue("event", "marketplace_ready")
          .addKeyValue("database", scrub(running.database().description()))
          .addKeyValue("attempts", failures + 1)
          .log("marketplace ready");
      ready.tryComplete();
    } else {
      failures++;
      lastError = scrub(describe(result.cause()));
      log.atError()
          .addKeyValue("event", "marketplace_unavailable")
          .addKeyValue("error", lastError)
          .addKeyValue("attempts", failures)
          .addKeyValue("retry_in_ms", config.retry().toMillis())
          .log("marketplace cannot start; chat keeps working, retrying");
      if (!closing) {
        retryTimer = vertx.setTimer(config.retry().toMillis(), id -> start());
      }
    }
    firstAttempt.tryComplete();
  }

  /**
   * The database's and the marketplace's part of {@code /health}, with the proposal census when the
   * marketplace runs. A running database is asked {@code SELECT 1}, so one that went away since is
   * reported unavailable.
   */
  Future<HealthReport> report() {
    Running now;
    String error;
    synchronized (this) {
      now = running;
      error = lastError;
    }
    if (now == null) {
      State state = error == null ? State.STARTING : State.UNAVAILABLE;
      String detail = error == null ? "starting" : error + " (retrying)";
      return Future.succeededFuture(
          new HealthReport(
              List.of(new Part("database", state, detail), new Part("marketplace", state, null)),
              Map.of()));
    }
    Future<Part> database =
        now.database()
            .pool()
            .query("SELECT 1")
            .execute()
            .timeout(PING_TIMEOUT_MS, TimeUnit.MILLISECONDS)
            .map(ok -> new Part("database", State.READY, scrub(now.database().description())))
            .otherwise(
                e ->
                    new Part(
                        "database",
                        State.UNAVAILABLE,
                        "cannot reach "
                            + scrub(now.database().description())
                            + ": "
                            + describe(e)));
    Future<ProposalCensus> census =
        now.marketplace().census().timeout(PING_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    return Future.join(database, census)
        .transform(
            ignored -> {
              Map<String, Object> sections = new LinkedHashMap<>();
              if (census.succeeded()) {
                ProposalCensus c = census.result();
                Map<String, Object> proposals = new LinkedHashMap<>();
                proposals.put("total", c.total());
                proposals.put("byStatus", c.byStatus());
                proposals.put("agents", c.agents());
                sections.put("proposals", proposals);
              }
              Part marketplace =
                  new Part(
                      "marketplace",
                      database.result().state(),
                      database.result().state() == State.READY
                          ? null
                          : "its database is unavailable");
              return Future.succeededFuture(
                  new HealthReport(List.of(database.result(), marketplace), sections));
            });
  }

  /**
   * Stops retrying and closes the marketplace, then the database (stopping an embedded one),
   * waiting for an attempt in progress first. Idempotent.
   */
  synchronized Future<Void> close() {
    closing = true;
    vertx.cancelTimer(retryTimer);
    Future<Running> last = attempt;
    attempt = null;
    running = null;
    ready.tryFail("the server is stopping");
    if (last == null) {
      return Future.succeededFuture();
    }
    return last.transform(
        ar ->
            ar.succeeded()
                ? ar.result()
                    .marketplace()
                    .close()
                    .eventually(() -> ar.result().database().close())
                    .onSuccess(
                        v ->
                            log.atInfo()
                                .addKeyValue("event", "marketplace_stopped")
                                .log("marketplace stopped"))
                : Future.succeededFuture());
  }

  private String scrub(String text) {
    String secret = config.secret();
    return secret == null || text == null ? text : text.replace(secret, "****");
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }
}
