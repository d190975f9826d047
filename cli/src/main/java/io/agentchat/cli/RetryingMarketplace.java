package io.agentchat.cli;

import io.agentchat.marketplace.Marketplace;
import io.agentchat.marketplace.MarketplaceOptions;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The marketplace of a running server, started beside the relay and retried in the background until
 * it runs: a database that is down must not take the chat with it. Until the marketplace runs, the
 * relay answers marketplace frames with SERVICE_UNAVAILABLE on its own. Thread-safe.
 */
final class RetryingMarketplace {
  private static final Logger log = LoggerFactory.getLogger("agentchat.serve");

  private final Vertx vertx;
  private final MarketplaceOptions options;
  private final long retryMs;
  private final String secret;
  private final Promise<Void> firstAttempt = Promise.promise();
  private Future<Marketplace> attempt;
  private long retryTimer = -1;
  private int failures;
  private boolean closing;

  private RetryingMarketplace(
      Vertx vertx, MarketplaceOptions options, Duration retry, String secret) {
    this.vertx = vertx;
    this.options = options;
    this.retryMs = Math.max(1, retry.toMillis());
    this.secret = secret == null || secret.isEmpty() ? null : secret;
  }

  /**
   * Starts the marketplace now and, each time it fails, again after {@code retry}.
   *
   * @param secret text never to be logged (the database password), or null
   */
  static RetryingMarketplace start(
      Vertx vertx, MarketplaceOptions options, Duration retry, String secret) {
    RetryingMarketplace marketplace = new RetryingMarketplace(vertx, options, retry, secret);
    marketplace.tryStart();
    return marketplace;
  }

  /** Completes (never fails) once the first attempt has succeeded or failed. */
  Future<Void> firstAttempt() {
    return firstAttempt.future();
  }

  private synchronized void tryStart() {
    if (closing) {
      return;
    }
    Future<Marketplace> started;
    try {
      started = Marketplace.start(vertx, options);
    } catch (RuntimeException e) {
      started = Future.failedFuture(e);
    }
    attempt = started;
    started.onComplete(this::onAttempt);
  }

  private synchronized void onAttempt(AsyncResult<Marketplace> result) {
    if (result.succeeded()) {
      log.atInfo()
          .addKeyValue("event", "marketplace_ready")
          .addKeyValue("database", scrub(result.result().databaseDescription()))
          .addKeyValue("attempts", failures + 1)
          .log("marketplace ready");
    } else {
      failures++;
      log.atError()
          .addKeyValue("event", "marketplace_unavailable")
          .addKeyValue("error", scrub(describe(result.cause())))
          .addKeyValue("attempts", failures)
          .addKeyValue("retry_in_ms", retryMs)
          .log("marketplace cannot start; chat keeps working, retrying");
      if (!closing) {
        retryTimer = vertx.setTimer(retryMs, id -> tryStart());
      }
    }
    firstAttempt.tryComplete();
  }

  /**
   * Stops retrying and closes the marketplace (stopping an embedded database), waiting for an
   * attempt in progress first. Idempotent.
   */
  synchronized Future<Void> close() {
    closing = true;
    vertx.cancelTimer(retryTimer);
    Future<Marketplace> last = attempt;
    attempt = null;
    if (last == null) {
      return Future.succeededFuture();
    }
    return last.transform(
        ar ->
            ar.succeeded()
                ? ar.result()
                    .close()
                    .onSuccess(
                        v ->
                            log.atInfo()
                                .addKeyValue("event", "marketplace_stopped")
                                .log("marketplace stopped"))
                : Future.succeededFuture());
  }

  private String scrub(String text) {
    return secret == null || text == null ? text : text.replace(secret, "****");
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }
}
