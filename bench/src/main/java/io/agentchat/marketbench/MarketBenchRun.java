package io.agentchat.marketbench;

import static io.agentchat.bench.core.ReportNumbers.mib;
import static io.agentchat.bench.core.ReportNumbers.millis;
import static io.agentchat.bench.core.ReportNumbers.seconds;

import io.agentchat.bench.core.ClientLoop;
import io.agentchat.bench.core.ClientLoops;
import io.agentchat.bench.core.CpuMark;
import io.agentchat.bench.core.CpuShares;
import io.agentchat.bench.core.LatencyHistogram;
import io.agentchat.bench.core.LoadFailure;
import io.agentchat.bench.core.LoopStats;
import io.agentchat.bench.core.Phase;
import io.agentchat.bench.core.ProcessSampler;
import io.agentchat.bench.core.Progress;
import io.agentchat.bench.core.RunStamp;
import io.agentchat.identity.AgentKeyPair;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.LongFunction;

/**
 * One marketplace bench run, driven from the calling thread: set up (register skills, or log pairs
 * in), run the workers for warm-up plus the measured window, let the requests in flight finish,
 * report. Workers live on the run's own {@link ClientLoops}, spread over {@code --event-loops}
 * loops. Every phase has a bound, so the run always ends, and the client is closed before {@link
 * #run} returns.
 */
public final class MarketBenchRun {
  private static final long NANOS = 1_000_000_000L;

  /** Time between starting the workers and the start of the warm-up. */
  private static final long LEAD_NANOS = 100_000_000L;

  private final MarketBenchOptions options;
  private final Progress progress;
  private final RunStamp stamp = RunStamp.now();

  /** How each worker runs, with the loop it lives on. */
  private final List<Worker> workers = new ArrayList<>();

  private final List<Searcher> searchers = new ArrayList<>();

  /** The completions scenario's schedules, with the loop each lives on. */
  private final List<Schedule> schedules = new ArrayList<>();

  private final List<String> notes = new ArrayList<>();
  private ClientLoops<ClientLoop> loops;
  private ProcessSampler probe;

  private MarketBenchRun(MarketBenchOptions options, PrintStream progress) {
    this.options = options;
    this.progress = new Progress("market-bench", progress);
  }

  /**
   * Runs the scenario described by {@code options}, writing one progress line per phase to {@code
   * progress} (null for none).
   *
   * @throws IllegalArgumentException for invalid options or an unreadable {@code --server-pid}
   * @throws LoadFailure when set-up fails (a registration, a login) or a phase does not finish
   */
  public static MarketBenchReport run(MarketBenchOptions options, PrintStream progress)
      throws LoadFailure, InterruptedException {
    options.validate();
    return new MarketBenchRun(options, progress).execute();
  }

  private MarketBenchReport execute() throws LoadFailure, InterruptedException {
    probe = options.serverPid() > 0 ? ProcessSampler.start(options.serverPid(), 250) : null;
    // NIO, not epoll: the marketplace figures in BENCHMARKS.md were measured with this client on
    // NIO, and a cheaper client transport would shift them.
    try (ClientLoops<ClientLoop> started =
        ClientLoops.start(
            options.eventLoops(),
            false,
            i -> new ClientLoop(options.server(), false, options.requestTimeout()),
            progress)) {
      loops = started;
      return measure();
    } finally {
      if (probe != null) {
        probe.close();
      }
    }
  }

  private MarketBenchReport measure() throws LoadFailure, InterruptedException {
    ProcessSampler.Memory memStart = memory();
    boolean searching = options.scenario() == MarketBenchOptions.Scenario.SEARCH;
    boolean completing = options.scenario() == MarketBenchOptions.Scenario.COMPLETIONS;
    MarketBenchReport.Setup setup;
    if (completing) {
      setup = openDeals();
      progress.say(
          "completing deals, %d in flight: %d s warm-up, %d s window",
          options.pairs(), options.warmup().toSeconds(), options.duration().toSeconds());
    } else if (searching) {
      setup = options.skipSetup() ? null : registerSkills();
      connectSearchers();
      progress.say(
          "searching from %d connections, %d in flight each: %d s warm-up, %d s window",
          options.searchers(),
          options.concurrency(),
          options.warmup().toSeconds(),
          options.duration().toSeconds());
    } else {
      setup = connectPairs();
      progress.say(
          "running round trips on %d pairs: %d s warm-up, %d s window",
          options.pairs(), options.warmup().toSeconds(), options.duration().toSeconds());
    }
    ProcessSampler.Memory memSetup = memory();
    Window window = drive();
    LoopStats s = window.stats();
    long completed = s.completed();
    double seconds = seconds(options.duration());
    MarketBenchReport.Search search = null;
    if (searching) {
      Searcher.Matches matches = matches();
      search =
          new MarketBenchReport.Search(
              options.searchers(),
              options.concurrency(),
              seconds(options.warmup()),
              seconds,
              completed,
              completed / seconds,
              latency(s.latency()),
              completed == 0 ? 0 : matches.total() / (double) completed,
              completed == 0 ? 0 : 100.0 * matches.empty() / completed);
    }
    MarketBenchReport.Completions completions = completing ? completions(s, window) : null;
    MarketBenchReport.Proposals proposals =
        searching || completing
            ? null
            : new MarketBenchReport.Proposals(
                options.pairs(),
                seconds(options.warmup()),
                seconds,
                completed,
                completed / seconds,
                latency(s.latency()),
                (int) (long) s.errors().getOrDefault("CLOSED", 0L));
    addNotes(s);
    MarketBenchReport.ServerProcess server = null;
    if (probe != null) {
      ProcessSampler.Memory memEnd = probe.sample();
      server =
          new MarketBenchReport.ServerProcess(
              probe.pid(),
              mib(memStart.rssKib()),
              mib(memSetup.rssKib()),
              mib(memEnd.rssKib()),
              mib(probe.peakRssKib()),
              mib(memEnd.hwmKib()));
    }
    return new MarketBenchReport(
        options.server().toString(),
        options.scenario().name().toLowerCase(Locale.ROOT),
        stamp.id(),
        stamp.startedAt(),
        options.eventLoops(),
        setup,
        search,
        proposals,
        completions,
        s.errors(),
        s.errorSamples(),
        window.cpu(),
        server,
        List.copyOf(notes));
  }

  // ------------------------------------------------------------------ set-up

  private MarketBenchReport.Setup registerSkills() throws LoadFailure, InterruptedException {
    int agents = options.agents();
    progress.say(
        "registering %d skills from %d keyed agents (%d at a time)",
        options.skills(), agents, options.setupConcurrency());
    double elapsed =
        spreadSetUp(
            agents,
            "registering skills",
            l -> new SkillRegistrant(loops.get(l), options, stamp.id())::register);
    LoopStats s = loops.stats();
    if (s.setupDone() < agents) {
      throw new LoadFailure(
          String.format(
              Locale.ROOT,
              "only %d of %d agents registered their skills (first failure: %s)",
              s.setupDone(),
              agents,
              s.firstSetupFailure() == null ? "set-up timed out" : s.firstSetupFailure()));
    }
    progress.say(
        "registered %d skills in %.1f s (%.0f skills/s)",
        options.skills(), elapsed, options.skills() / elapsed);
    return new MarketBenchReport.Setup(
        "registrations",
        agents,
        s.setupDone(),
        s.setupFailed(),
        options.skills(),
        elapsed,
        s.setupDone() / elapsed,
        options.skills() / elapsed,
        latency(s.setupLatency()));
  }

  private void connectSearchers() throws LoadFailure, InterruptedException {
    progress.say("logging in %d searchers", options.searchers());
    List<Future<Void>> logins = new ArrayList<>();
    for (int i = 0; i < options.searchers(); i++) {
      ClientLoop loop = loops.get(i % loops.size());
      Searcher searcher =
          new Searcher(loop, options, "mb" + stamp.id() + "s" + i, options.seed() * 7919 + i);
      searchers.add(searcher);
      workers.add(new Worker(loop, searcher::run));
      logins.add(loop.call(searcher::login));
    }
    try {
      Phase.await(
          Future.all(logins), options.requestTimeout().plusSeconds(5), "logging in searchers");
    } catch (LoadFailure e) {
      throw new LoadFailure("a searcher could not log in: " + e.getMessage());
    }
  }

  private MarketBenchReport.Setup connectPairs() throws LoadFailure, InterruptedException {
    int n = options.pairs();
    progress.say(
        "logging in %d pairs of keyed agents (%d at a time)", n, options.setupConcurrency());
    List<List<ProposalPair>> pairsByLoop = new ArrayList<>();
    loops.all().forEach(l -> pairsByLoop.add(new ArrayList<>()));
    double elapsed =
        spreadSetUp(
            n, "logging in pairs", l -> i -> connectPair(loops.get(l), i, pairsByLoop.get(l)));
    for (int l = 0; l < loops.size(); l++) {
      for (ProposalPair pair : pairsByLoop.get(l)) {
        workers.add(new Worker(loops.get(l), pair::run));
      }
    }
    LoopStats s = loops.stats();
    if (s.setupDone() < n) {
      throw new LoadFailure(
          String.format(
              Locale.ROOT,
              "only %d of %d pairs logged in (first failure: %s)",
              s.setupDone(),
              n,
              s.firstSetupFailure() == null ? "set-up timed out" : s.firstSetupFailure()));
    }
    progress.say("logged in %d pairs in %.1f s", n, elapsed);
    return new MarketBenchReport.Setup(
        "pair logins",
        n,
        s.setupDone(),
        s.setupFailed(),
        0,
        elapsed,
        s.setupDone() / elapsed,
        0,
        latency(s.setupLatency()));
  }

  /**
   * Completions: splits the pairs over the loops, logs each loop's agents in, then opens every deal
   * of each loop's round robin (PROPOSAL, ACCEPT), all loops at once.
   */
  private MarketBenchReport.Setup openDeals() throws LoadFailure, InterruptedException {
    int deals = 0;
    for (int l = 0; l < loops.size(); l++) {
      int pairs = options.pairs() / loops.size() + (l < options.pairs() % loops.size() ? 1 : 0);
      CompletionRounds rounds =
          new CompletionRounds(
              loops.get(l), options, "mb" + stamp.id() + "c" + l, 2 * pairs, options.rounds());
      schedules.add(new Schedule(loops.get(l), rounds));
      workers.add(new Worker(loops.get(l), rounds::complete));
      deals += rounds.deals();
    }
    progress.say(
        "logging in %d keyed agents (%d at a time)",
        2 * options.pairs(), options.setupConcurrency());
    long started = System.nanoTime();
    long deadline = started + options.setupTimeout().toNanos();
    int perLoop = Math.max(1, options.setupConcurrency() / loops.size());
    List<Future<Void>> logins = new ArrayList<>();
    for (Schedule sc : schedules) {
      logins.add(sc.loop().call(() -> sc.rounds().login(perLoop, deadline)));
    }
    Duration bound = options.setupTimeout().plus(options.requestTimeout());
    Phase.await(Future.all(logins), bound, "logging in agents");
    progress.say(
        "logged in %d agents in %.1f s; opening %d deals (PROPOSAL + ACCEPT), %d per agent",
        2 * options.pairs(),
        (System.nanoTime() - started) / (double) NANOS,
        deals,
        options.rounds());
    started = System.nanoTime();
    List<Future<Void>> opening = new ArrayList<>();
    for (Schedule sc : schedules) {
      opening.add(sc.loop().call(sc.rounds()::open));
    }
    Phase.await(Future.join(opening), bound, "opening deals");
    double elapsed = (System.nanoTime() - started) / (double) NANOS;
    LoopStats s = loops.stats();
    if (s.setupDone() < deals) {
      throw new LoadFailure(
          String.format(
              Locale.ROOT,
              "only %d of %d deals were accepted (first failure: %s)",
              s.setupDone(),
              deals,
              s.firstSetupFailure() == null ? "set-up timed out" : s.firstSetupFailure()));
    }
    progress.say("opened %d deals in %.1f s (%.0f/s)", deals, elapsed, deals / elapsed);
    return new MarketBenchReport.Setup(
        "accepted deals",
        deals,
        s.setupDone(),
        s.setupFailed(),
        0,
        elapsed,
        s.setupDone() / elapsed,
        0,
        latency(s.setupLatency()));
  }

  /**
   * Runs the set-up step for indexes 0 to {@code count - 1}, spread round-robin over the loops with
   * at most {@code --setup-concurrency} in flight in all, and waits for them.
   *
   * @param stepFor the step for the loop at that position in {@link #loops}
   * @return seconds taken
   */
  private double spreadSetUp(
      int count, String what, IntFunction<Function<Integer, Future<?>>> stepFor)
      throws LoadFailure, InterruptedException {
    List<List<Integer>> byLoop = new ArrayList<>();
    loops.all().forEach(l -> byLoop.add(new ArrayList<>()));
    for (int i = 0; i < count; i++) {
      byLoop.get(i % loops.size()).add(i);
    }
    long started = System.nanoTime();
    long deadline = started + options.setupTimeout().toNanos();
    int perLoop = Math.max(1, options.setupConcurrency() / loops.size());
    List<Future<Void>> all = new ArrayList<>();
    for (int l = 0; l < loops.size(); l++) {
      all.add(loops.get(l).paced(byLoop.get(l), stepFor.apply(l), 0, perLoop, deadline));
    }
    Phase.await(Future.join(all), options.setupTimeout().plus(options.requestTimeout()), what);
    return (System.nanoTime() - started) / (double) NANOS;
  }

  /** Generates the pair's keys on a worker, then logs both agents in; on the pair's loop. */
  private Future<Void> connectPair(ClientLoop loop, int index, List<ProposalPair> pairs) {
    long started = System.nanoTime();
    return loop.vertx()
        .executeBlocking(
            () -> new AgentKeyPair[] {AgentKeyPair.generate(), AgentKeyPair.generate()}, false)
        .compose(
            keys -> {
              ProposalPair pair =
                  new ProposalPair(
                      loop, options, "mb" + stamp.id() + "p" + index, keys[0], keys[1]);
              pairs.add(pair);
              return pair.login();
            })
        .onSuccess(v -> loop.stats().setupDone(System.nanoTime() - started))
        .onFailure(e -> loop.stats().setupFailed("pair " + index + ": " + LoadFailure.describe(e)));
  }

  // ------------------------------------------------------------------ load

  /**
   * Starts every worker, samples CPU at the window's edges, and waits (bounded) for the requests
   * still in flight at the end of the window.
   */
  private Window drive() throws LoadFailure, InterruptedException {
    long start = System.nanoTime() + LEAD_NANOS;
    long windowStart = start + options.warmup().toNanos();
    long windowEnd = windowStart + options.duration().toNanos();
    loops.window(windowStart, windowEnd);
    List<Future<Void>> running = new ArrayList<>();
    for (Worker w : workers) {
      // Each worker begins at the start, not when it is handed out: a short schedule (the
      // completions scenario) would otherwise run out in the lead, before its window opens.
      running.add(w.loop().call(() -> startAt(w, start, windowEnd)));
    }
    Phase.sleepUntil(windowStart);
    CpuMark before = CpuMark.now(probe, options.databasePid());
    Phase.sleepUntil(windowEnd);
    CpuShares cpu = CpuMark.now(probe, options.databasePid()).since(before);
    try {
      Phase.await(
          Future.join(running),
          options.requestTimeout().plusSeconds(2),
          "waiting for requests in flight");
    } catch (LoadFailure e) {
      notes.add("some requests were still in flight when the bench stopped waiting");
    }
    return new Window(loops.stats(), cpu, windowEnd);
  }

  private static Future<Void> startAt(Worker w, long start, long windowEnd) {
    long delayMs = Math.max(1, (start - System.nanoTime()) / 1_000_000L);
    Promise<Void> begun = Promise.promise();
    w.loop().vertx().setTimer(delayMs, t -> begun.complete());
    return begun.future().compose(v -> w.run().apply(windowEnd));
  }

  /** The completion window's figures, with what each schedule counted, read on its loop. */
  private MarketBenchReport.Completions completions(LoopStats s, Window window)
      throws LoadFailure, InterruptedException {
    long cooldowns = 0;
    long ranOutAt = 0;
    int closed = 0;
    int distinct = Integer.MAX_VALUE;
    for (Schedule sc : schedules) {
      CompletionRounds.Tally t =
          Phase.await(
              sc.loop().call(() -> Future.succeededFuture(sc.rounds().tally())),
              Duration.ofSeconds(10),
              "reading counters");
      cooldowns += t.cooldownsInWindow();
      closed += t.socketsClosed();
      if (t.ranOutAt() != 0) {
        ranOutAt = ranOutAt == 0 ? t.ranOutAt() : Math.min(ranOutAt, t.ranOutAt());
      }
      distinct = Math.min(distinct, sc.rounds().distinctRounds());
    }
    double seconds = seconds(options.duration());
    double ranOut = ranOutAt == 0 ? 0 : Math.max(0, (window.end() - ranOutAt) / (double) NANOS);
    if (ranOut > 0) {
      notes.add(
          String.format(
              Locale.ROOT,
              "the opened deals ran out %.1f s before the window ended, so the rate understates"
                  + " the server: raise --rounds",
              ranOut));
    }
    return new MarketBenchReport.Completions(
        options.pairs(),
        options.rounds(),
        distinct,
        seconds(options.warmup()),
        seconds,
        s.completed(),
        s.completed() / seconds,
        latency(s.latency()),
        cooldowns,
        ranOut,
        closed);
  }

  /** What the searchers' window searches matched, each read on its loop. */
  private Searcher.Matches matches() throws LoadFailure, InterruptedException {
    long total = 0;
    long empty = 0;
    for (int i = 0; i < searchers.size(); i++) {
      Searcher searcher = searchers.get(i);
      Searcher.Matches m =
          Phase.await(
              loops.get(i % loops.size()).call(() -> Future.succeededFuture(searcher.matches())),
              Duration.ofSeconds(10),
              "reading counters");
      total += m.total();
      empty += m.empty();
    }
    return new Searcher.Matches(total, empty);
  }

  private void addNotes(LoopStats s) {
    String limited = s.errorSamples().get("RATE_LIMITED");
    if (limited != null && limited.startsWith("Proposal must be at least")) {
      notes.add("COMPLETE was refused for age: start the server with --min-proposal-age 0");
    } else if (limited != null) {
      notes.add(
          "the server rate-limited the bench: start it with a high --frame-limit"
              + " (frames per 10 s per connection), e.g. --frame-limit 1000000");
    }
    if (s.errors().containsKey("SERVICE_UNAVAILABLE")) {
      notes.add(
          "the marketplace answered SERVICE_UNAVAILABLE: is it running, and its database"
              + " reachable?");
    }
  }

  // ------------------------------------------------------------------ helpers

  private ProcessSampler.Memory memory() {
    return probe == null ? null : probe.sample();
  }

  private static MarketBenchReport.Latency latency(LatencyHistogram h) {
    return new MarketBenchReport.Latency(
        millis(h.percentile(50)),
        millis(h.percentile(99)),
        millis(h.percentile(99.9)),
        millis(h.max()));
  }

  /** One worker: where it lives and how it runs until a deadline. */
  private record Worker(ClientLoop loop, LongFunction<Future<Void>> run) {}

  /** The merged counters after the window, the window's CPU shares and its end (nanoTime). */
  private record Window(LoopStats stats, CpuShares cpu, long end) {}

  /** A completions schedule and the loop it lives on. */
  private record Schedule(ClientLoop loop, CompletionRounds rounds) {}
}
