package io.agentchat.bench;

import io.agentchat.bench.core.ClientLoop;
import io.agentchat.bench.core.LoadFailure;
import io.agentchat.bench.core.LoopStats;
import io.agentchat.identity.AgentKeyPair;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;

/**
 * The bench connections that live on one event loop, with the fan-out counters the common {@link
 * LoopStats} do not keep: sends, arrivals in the window, joins. Like every {@link ClientLoop}, its
 * methods called from the run's thread hop onto the loop first, so the counters need no locks.
 */
final class BenchLoop extends ClientLoop {
  private final BenchOptions options;
  private final BenchContent content;
  private final long epoch;
  private final List<BenchConnection> connections = new ArrayList<>();
  private long lastFrame;
  private long arrivedInWindow;
  private long sends;
  private long windowSends;
  private long writeFailures;
  private int joined;

  BenchLoop(BenchOptions options, BenchContent content, long epoch) {
    super(options.server(), options.insecure(), options.loginTimeout());
    this.options = options;
    this.content = content;
    this.epoch = epoch;
  }

  // ------------------------------------------------------------------ set-up (before any phase)

  /** Adds a connection; called before the first phase. */
  BenchConnection add(String name, int senderIndex) {
    BenchConnection c = new BenchConnection(this, name, senderIndex);
    connections.add(c);
    return c;
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
   * {@code maxPending} logins in flight, and starting none after {@code deadline} ({@link
   * System#nanoTime}).
   *
   * @return completes once every started login has settled; failures are counted, not raised
   */
  Future<Void> loginAll(double rate, int maxPending, long deadline) {
    return paced(
        connections,
        c -> c.login().onFailure(e -> stats().setupFailed(LoadFailure.describe(e))),
        rate,
        maxPending,
        deadline);
  }

  /** Joins {@code members} to the channel, at most {@code maxPending} joins in flight. */
  Future<Void> joinAll(List<BenchConnection> members, int maxPending, long deadline) {
    return paced(members, this::join, 0, maxPending, deadline);
  }

  /** Joins one connection first, creating the channel if the server does not know it. */
  Future<Void> joinFirst(BenchConnection first) {
    return call(
        () ->
            first
                .join(options.channel(), true)
                .onSuccess(v -> joined++)
                .onFailure(e -> stats().setupFailed(LoadFailure.describe(e))));
  }

  /**
   * Sends from {@code senders} at {@code rate} msgs/s from {@code start} until {@code wEnd}, one
   * batch per tick, rotating across the senders; counts sends stamped inside the window.
   *
   * @return completes when sending stops at {@code wEnd}
   */
  Future<Void> send(
      List<BenchConnection> senders, double rate, long start, long wStart, long wEnd) {
    return call(
        () -> {
          stats().window(wStart, wEnd);
          if (senders.isEmpty()) {
            return Future.succeededFuture();
          }
          return new SendSchedule(senders, rate, start, wEnd).run();
        });
  }

  /** Counters for the drain wait: {sends in window, deliveries of those}. */
  Future<long[]> progress() {
    return call(() -> Future.succeededFuture(new long[] {windowSends, stats().completed()}));
  }

  /** When this loop last received any frame, on the run's clock. */
  Future<Long> lastFrame() {
    return call(() -> Future.succeededFuture(lastFrame));
  }

  /** A copy of every counter. */
  Future<Tally> tally() {
    return call(
        () ->
            Future.succeededFuture(
                new Tally(
                    stats().copy(),
                    arrivedInWindow,
                    sends,
                    windowSends,
                    writeFailures,
                    joined,
                    openSockets())));
  }

  // ------------------------------------------------------------------ loop-confined callbacks

  BenchOptions options() {
    return options;
  }

  BenchContent content() {
    return content;
  }

  /** Nanoseconds since the run's epoch, the clock every bench timestamp uses. */
  long now() {
    return System.nanoTime() - epoch;
  }

  /** Notes that a frame arrived; the run waits for quiet before it starts sending. */
  void received() {
    lastFrame = now();
  }

  /** Counts a delivery of a bench message; its latency counts when it was sent in the window. */
  void delivered(long sentNanos) {
    long now = now();
    LoopStats stats = stats();
    stats.completed(now - sentNanos, stats.inWindow(sentNanos));
    if (stats.inWindow(now)) {
      arrivedInWindow++;
    }
  }

  void writeFailed() {
    writeFailures++;
  }

  private Future<Void> join(BenchConnection member) {
    return member
        .join(options.channel(), false)
        .onSuccess(v -> joined++)
        .onFailure(e -> stats().setupFailed(LoadFailure.describe(e)));
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
      LoopStats stats = stats();
      for (long i = 0; i < due; i++) {
        BenchConnection c = senders.get(next);
        next = next + 1 == senders.size() ? 0 : next + 1;
        long at = now();
        c.sendBench(at);
        sent++;
        sends++;
        if (stats.inWindow(at)) {
          windowSends++;
        }
      }
    }
  }

  /**
   * One loop's counters, copied at one instant: the common ones and the fan-out's own.
   *
   * @param stats deliveries are its completed operations, logins its set-up steps
   * @param open sockets open at the copy
   */
  record Tally(
      LoopStats stats,
      long arrivedInWindow,
      long sends,
      long windowSends,
      long writeFailures,
      int joined,
      int open) {

    /** The tallies of every loop added together. */
    static Tally sum(List<Tally> all) {
      LoopStats stats = new LoopStats();
      long arrived = 0;
      long sends = 0;
      long windowSends = 0;
      long writeFailures = 0;
      int joined = 0;
      int open = 0;
      for (Tally t : all) {
        stats.add(t.stats());
        arrived += t.arrivedInWindow();
        sends += t.sends();
        windowSends += t.windowSends();
        writeFailures += t.writeFailures();
        joined += t.joined();
        open += t.open();
      }
      return new Tally(stats, arrived, sends, windowSends, writeFailures, joined, open);
    }
  }
}
