package io.agentchat.bench.core;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.transport.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * The bench client of one run: its own {@link Vertx} with one event loop per {@link ClientLoop}.
 * The run's thread drives it; closing it closes every socket from the client side, then the Vertx.
 *
 * @param <L> the scenario's loop type
 */
public final class ClientLoops<L extends ClientLoop> implements AutoCloseable {
  private static final Duration ASK_BOUND = Duration.ofSeconds(30);
  private static final long CLOSE_SECONDS = 15;

  private final Vertx vertx;
  private final List<L> loops;
  private final Progress progress;

  private ClientLoops(Vertx vertx, List<L> loops, Progress progress) {
    this.vertx = vertx;
    this.loops = loops;
    this.progress = progress;
  }

  /**
   * Starts a Vertx with {@code count} event loops and deploys one loop made by {@code newLoop} on
   * each.
   *
   * @param nativeTransport prefer Netty's native transport (epoll), which costs less CPU per frame
   *     than NIO; Vert.x falls back to NIO where it cannot load
   * @throws LoadFailure when a loop does not start in time; the Vertx is closed then
   */
  public static <L extends ClientLoop> ClientLoops<L> start(
      int count, boolean nativeTransport, IntFunction<L> newLoop, Progress progress)
      throws LoadFailure, InterruptedException {
    Vertx vertx =
        Vertx.vertx(
            new VertxOptions()
                .setEventLoopPoolSize(count)
                .setPreferNativeTransport(nativeTransport)
                .setWorkerPoolSize(Math.max(2, Runtime.getRuntime().availableProcessors())));
    if (nativeTransport && !vertx.isNativeTransportEnabled()) {
      Throwable why = vertx.unavailableNativeTransportCause();
      progress.say(
          "native transport unavailable, using nio: %s",
          why == null ? "unknown" : LoadFailure.describe(why));
    }
    ClientLoops<L> started = new ClientLoops<>(vertx, new ArrayList<>(), progress);
    try {
      for (int i = 0; i < count; i++) {
        L loop = newLoop.apply(i);
        // One at a time: each deployment takes the next event loop, so each loop gets its own.
        Phase.await(vertx.deployVerticle(loop), ASK_BOUND, "starting the bench client");
        started.loops.add(loop);
      }
    } catch (LoadFailure | InterruptedException | RuntimeException e) {
      started.close();
      throw e;
    }
    return started;
  }

  /** The loops, in the order they were made. */
  public List<L> all() {
    return loops;
  }

  /** The loop at {@code index}. */
  public L get(int index) {
    return loops.get(index);
  }

  /** How many loops there are. */
  public int size() {
    return loops.size();
  }

  /** Netty's transport under the sockets: epoll, or nio when native was not asked for or failed. */
  public String transport() {
    return vertx.isNativeTransportEnabled() ? Transport.nativeTransport().name() : "nio";
  }

  /**
   * Asks every loop the same question and waits at most 30 s for all the answers.
   *
   * @param what the phase, as a failure names it
   * @return the answers, in loop order
   */
  public <T> List<T> ask(Function<L, Future<T>> question, String what)
      throws LoadFailure, InterruptedException {
    return ask(question, ASK_BOUND, what);
  }

  /** Like {@link #ask(Function, String)} for a whole phase, which may take up to {@code bound}. */
  public <T> List<T> ask(Function<L, Future<T>> question, Duration bound, String what)
      throws LoadFailure, InterruptedException {
    List<Future<T>> answers = new ArrayList<>();
    for (L loop : loops) {
      answers.add(question.apply(loop));
    }
    return Phase.await(Future.all(answers), bound, what).list();
  }

  /** Every loop's counters, copied on its loop and added together. */
  public LoopStats stats() throws LoadFailure, InterruptedException {
    LoopStats total = new LoopStats();
    for (LoopStats s : ask(ClientLoop::snapshot, "reading counters")) {
      total.add(s);
    }
    return total;
  }

  /** Sets the measured window on every loop. */
  public void window(long start, long end) throws LoadFailure, InterruptedException {
    ask(loop -> loop.window(start, end), "starting the window");
  }

  /**
   * Closes every socket from the client side, then the Vertx, each within 15 s; problems are
   * reported as progress, since the run is over either way.
   */
  @Override
  public void close() {
    try {
      Future.join(loops.stream().map(ClientLoop::closeAll).toList())
          .await(CLOSE_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      progress.say("closing connections: %s", LoadFailure.describe(e));
    }
    try {
      vertx.close().await(CLOSE_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      progress.say("closing the bench client: %s", LoadFailure.describe(e));
    }
  }
}
