package io.agentchat.bench;

import io.agentchat.bench.core.LatencyHistogram;
import io.agentchat.bench.core.LoadFailure;
import io.agentchat.identity.AgentKeyPair;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The bench connections that live on one event loop, with that loop's counters. Every method the
 * run calls from its own thread hops onto the loop first, so the counters need no locks; the run
 * merges each loop's {@link Stats} at the end.
 */
final class BenchLoop extends VerticleBase {
  private final BenchOptions options;
  private final BenchContent content;
  private final long epoch;
  private final List<BenchConnection> connections = new ArrayList<>();

  /** Kept in a field: an unreferenced client is closed by a cleaner when collected. */
  private WebSocketClient client;

  private WebSocketConnectOptions connectOptions;

  private final LatencyHistogram latency = new LatencyHistogram();
  private final LatencyHistogram loginLatency = new LatencyHistogram();
  private final Map<String, Long> errors = new TreeMap<>();
  private final Map<String, String> errorSamples = new TreeMap<>();
  private final Map<String, Long> closes = new TreeMap<>();
  private long lastFrame;
  private long windowStart = Long.MAX_VALUE;
  private long windowEnd = Long.MAX_VALUE;
  private long deliveries;
  private long windowDeliveries;
  private long arrivedInWindow;
  private long sends;
  private long windowSends;
  private long writeFailures;
  private int loggedIn;
  private long lastWelcome;
  private int joined;
  private int closedByServer;
  private String firstFailure;
  private String firstSocketError;

  BenchLoop(BenchOptions options, BenchContent content, long epoch) {
    this.options = options;
    this.content = content;
    this.epoch = epoch;
  }

  @Override
  public Future<?> start() {
    URI server = options.server();
    boolean tls = "wss".equals(server.getScheme());
    int port = server.getPort() > 0 ? server.getPort() : tls ? 443 : 80;
    String path =
        server.getRawPath() == null || server.getRawPath().isEmpty() ? "/" : server.getRawPath();
    if (server.getRawQuery() != null) {
      path += "?" + server.getRawQuery();
    }
    WebSocketClientOptions clientOptions =
        new WebSocketClientOptions()
            .setMaxConnections(Math.max(50, connections.size() + 16))
            .setConnectTimeout((int) options.loginTimeout().toMillis())
            // JOINED lists every member: 60 KiB per 1,000 members, beyond the 64 KiB default.
            .setMaxFrameSize(16 * 1024 * 1024)
            .setMaxMessageSize(16 * 1024 * 1024);
    if (tls && options.insecure()) {
      clientOptions.setTrustAll(true).setVerifyHost(false);
    }
    client = vertx.createWebSocketClient(clientOptions);
    connectOptions =
        new WebSocketConnectOptions()
            .setHost(server.getHost())
            .setPort(port)
            .setSsl(tls)
            .setURI(path);
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    return client == null ? Future.succeededFuture() : client.close();
  }

  // ------------------------------------------------------------------ set-up (before deploy)

  /** Adds a connection; called before the loop is deployed. */
  BenchConnection add(String name, int senderIndex) {
    BenchConnection c = new BenchConnection(this, name, senderIndex);
    connections.add(c);
    return c;
  }

  List<BenchConnection> connections() {
    return connections;
  }

  // ------------------------------------------------------------------ phases (any thread)

  /** Generates one Ed25519 key pair per connection on worker threads. */
  Future<Void> generateKeys() {
    return call(
        () -> {
          List<Future<?>> all = new ArrayList<>();
          for (BenchConnection c : connections) {
            all.add(vertx.executeBlocking(AgentKeyPair::generate, false).onSuccess(c::keys));
          }
          return Future.all(all).mapEmpty();
        });
  }

  /**
   * Logs every connection in, starting at most {@code rate} per second (0 = unlimited) with at most
   * {@code maxPending} logins in flight, and starting none after {@code deadline}.
   *
   * @return completes once every started login has settled; failures are counted, not raised
   */
  Future<Void> loginAll(double rate, int maxPending, long deadline) {
    return call(() -> pace(connections, BenchConnection::login, rate, maxPending, deadline));
  }

  /** Joins {@code members} to the channel, at most {@code maxPending} joins in flight. */
  Future<Void> joinAll(List<BenchConnection> members, int maxPending, long deadline) {
    return call(
        () ->
            pace(
                members,
                c -> c.join(options.channel(), false).onSuccess(v -> joined++),
                0,
                maxPending,
                deadline));
  }

  /** Joins one connection first, creating the channel if the server does not know it. */
  Future<Void> joinFirst(BenchConnection first) {
    return call(() -> first.join(options.channel(), true).onSuccess(v -> joined++));
  }

  /**
   * Sends from {@code senders} at {@code rate} msgs/s from {@code start} until {@code end}, one
   * batch per tick, rotating across the senders; counts sends stamped inside the window.
   *
   * @return completes when sending stops at {@code end}
   */
  Future<Void> send(
      List<BenchConnection> senders, double rate, long start, long wStart, long wEnd) {
    return call(
        () -> {
          windowStart = wStart;
          windowEnd = wEnd;
          if (senders.isEmpty()) {
            return Future.succeededFuture();
          }
          return new SendSchedule(senders, rate, start, wEnd).run();
        });
  }

  /** Counters for the drain wait: {sends in window, deliveries of those}. */
  Future<long[]> progress() {
    return call(() -> Future.succeededFuture(new long[] {windowSends, windowDeliveries}));
  }

  /** When this loop last received any frame, on the run's clock. */
  Future<Long> lastFrame() {
    return call(() -> Future.succeededFuture(lastFrame));
  }

  /** A copy of every counter. */
  Future<Stats> stats() {
    return call(
        () -> {
          int open = 0;
          for (BenchConnection c : connections) {
            open += c.isOpen() ? 1 : 0;
          }
          return Future.succeededFuture(
              new Stats(
                  latency.copy(),
                  loginLatency.copy(),
                  new TreeMap<>(errors),
                  new TreeMap<>(errorSamples),
                  new TreeMap<>(closes),
                  deliveries,
                  windowDeliveries,
                  arrivedInWindow,
                  sends,
                  windowSends,
                  writeFailures,
                  loggedIn,
                  lastWelcome,
                  joined,
                  closedByServer,
                  open,
                  firstFailure,
                  firstSocketError));
        });
  }

  /** Closes every socket from the client side. */
  Future<Void> closeAll() {
    return call(
        () -> {
          List<Future<?>> all = new ArrayList<>();
          for (BenchConnection c : connections) {
            all.add(c.close());
          }
          return Future.join(all).mapEmpty();
        });
  }

  // ------------------------------------------------------------------ loop-confined callbacks

  BenchOptions options() {
    return options;
  }

  BenchContent content() {
    return content;
  }

  io.vertx.core.Vertx vertx() {
    return vertx;
  }

  WebSocketClient client() {
    return client;
  }

  WebSocketConnectOptions connectOptions() {
    return connectOptions;
  }

  /** Nanoseconds since the run's epoch, the clock every bench timestamp uses. */
  long now() {
    return System.nanoTime() - epoch;
  }

  /** Notes that a frame arrived; the run waits for quiet before it starts sending. */
  void received() {
    lastFrame = now();
  }

  void delivered(long sentNanos) {
    long now = now();
    deliveries++;
    if (sentNanos >= windowStart && sentNanos < windowEnd) {
      windowDeliveries++;
      latency.record(now - sentNanos);
    }
    if (now >= windowStart && now < windowEnd) {
      arrivedInWindow++;
    }
  }

  void loggedIn(long latencyNanos) {
    loggedIn++;
    lastWelcome = now();
    loginLatency.record(latencyNanos);
  }

  void error(String code, String message) {
    errors.merge(code, 1L, Long::sum);
    errorSamples.putIfAbsent(code, message);
  }

  void closedByServer(short code, String reason) {
    closedByServer++;
    closes.merge(code + (reason.isEmpty() ? "" : " " + reason), 1L, Long::sum);
  }

  void writeFailed() {
    writeFailures++;
  }

  void socketException(Throwable e) {
    if (firstSocketError == null) {
      firstSocketError = LoadFailure.describe(e);
    }
  }

  // ------------------------------------------------------------------ helpers

  private <T> Future<Void> pace(
      List<T> items, Function<T, Future<Void>> start, double rate, int maxPending, long deadline) {
    return new Pacer<>(items, start, rate, maxPending, deadline).run();
  }

  private <T> Future<T> call(Supplier<Future<T>> action) {
    Promise<T> result = Promise.promise();
    context.runOnContext(
        v -> {
          try {
            action.get().onComplete(result);
          } catch (RuntimeException e) {
            result.fail(e);
          }
        });
    return result.future();
  }

  /**
   * Starts one asynchronous step per item (a login, a join) at a limited rate with a bounded number
   * in flight; a periodic timer paces the rate and notices the deadline, each completion starts the
   * next. Completes once nothing is in flight and nothing more may start.
   */
  private final class Pacer<T> {
    private final List<T> items;
    private final Function<T, Future<Void>> step;
    private final double rate;
    private final int maxPending;
    private final long deadline;
    private final long began = now();
    private final Promise<Void> done = Promise.promise();
    private long timer = -1;
    private int next;
    private int pending;

    Pacer(
        List<T> items, Function<T, Future<Void>> step, double rate, int maxPending, long deadline) {
      this.items = items;
      this.step = step;
      this.rate = rate;
      this.maxPending = maxPending;
      this.deadline = deadline;
    }

    Future<Void> run() {
      if (items.isEmpty()) {
        return Future.succeededFuture();
      }
      timer = vertx.setPeriodic(rate > 0 ? Math.max(1, (long) (1000 / rate)) : 100, id -> pump());
      pump();
      return done.future();
    }

    private void pump() {
      long now = now();
      long allowed = rate <= 0 ? Long.MAX_VALUE : (long) ((now - began) * rate / 1e9) + 1;
      while (next < items.size() && pending < maxPending && next < allowed && now < deadline) {
        pending++;
        step.apply(items.get(next++))
            .onComplete(
                ar -> {
                  pending--;
                  if (ar.failed() && firstFailure == null) {
                    firstFailure = LoadFailure.describe(ar.cause());
                  }
                  pump();
                });
      }
      boolean exhausted = next == items.size() || now >= deadline;
      if (exhausted && pending == 0 && done.tryComplete()) {
        vertx.cancelTimer(timer);
      }
    }
  }

  /**
   * Paces sending with a periodic timer: each tick sends the messages due since the start at the
   * loop's share of the rate, rotating across its senders. A stalled loop catches up, but by at
   * most a tenth of a second of messages per tick.
   */
  private final class SendSchedule {
    private final List<BenchConnection> senders;
    private final double rate;
    private final long start;
    private final long end;
    private final long maxBatch;
    private final Promise<Void> done = Promise.promise();
    private long sent;
    private int next;

    SendSchedule(List<BenchConnection> senders, double rate, long start, long end) {
      this.senders = senders;
      this.rate = rate;
      this.start = start;
      this.end = end;
      this.maxBatch = Math.max(1, (long) Math.ceil(rate / 10));
    }

    Future<Void> run() {
      vertx.setPeriodic(Math.max(1, (start - now()) / 1_000_000), options.tickMs(), this::tick);
      return done.future();
    }

    private void tick(long timerId) {
      long now = now();
      if (now >= end) {
        vertx.cancelTimer(timerId);
        done.tryComplete();
        return;
      }
      long due = Math.min(maxBatch, (long) ((now - start) * rate / 1e9) - sent);
      for (long i = 0; i < due; i++) {
        BenchConnection c = senders.get(next);
        next = next + 1 == senders.size() ? 0 : next + 1;
        long at = now();
        c.sendBench(at);
        sent++;
        sends++;
        if (at >= windowStart && at < windowEnd) {
          windowSends++;
        }
      }
    }
  }

  /** One loop's counters, copied at one instant. */
  record Stats(
      LatencyHistogram latency,
      LatencyHistogram loginLatency,
      Map<String, Long> errors,
      Map<String, String> errorSamples,
      Map<String, Long> closes,
      long deliveries,
      long windowDeliveries,
      long arrivedInWindow,
      long sends,
      long windowSends,
      long writeFailures,
      int loggedIn,
      long lastWelcome,
      int joined,
      int closedByServer,
      int open,
      String firstFailure,
      String firstSocketError) {}
}
