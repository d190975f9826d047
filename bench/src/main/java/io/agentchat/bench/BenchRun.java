package io.agentchat.bench;

import static io.agentchat.bench.core.ReportNumbers.mib;
import static io.agentchat.bench.core.ReportNumbers.millis;
import static io.agentchat.bench.core.ReportNumbers.plain;

import io.agentchat.bench.BenchLoop.Tally;
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
import io.vertx.core.Future;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One bench run, driven from the calling thread: log in, join, send for warm-up plus the measured
 * window, drain, hold, report. The connections live on the run's own {@link ClientLoops}, one
 * {@link BenchLoop} per {@code --event-loops}. Every phase has a bound, so the run always ends; the
 * client is closed before {@link #run} returns.
 */
public final class BenchRun {
  private static final long NANOS = 1_000_000_000L;
  private static final long POLL_MS = 50;
  private static final long QUIET_NANOS = 300_000_000L;

  private final BenchOptions options;
  private final Progress progress;
  private final RunStamp stamp = RunStamp.now();
  private final long epoch = System.nanoTime();
  private final List<String> notes = new ArrayList<>();
  private ClientLoops<BenchLoop> loops;

  private BenchRun(BenchOptions options, PrintStream progress) {
    this.options = options;
    this.progress = new Progress("bench", progress);
  }

  /**
   * Runs the bench described by {@code options}, writing one progress line per phase to {@code
   * progress}.
   *
   * @throws IllegalArgumentException for invalid options or an unreadable {@code --server-pid}
   * @throws LoadFailure when the connections or joins could not all be set up, or a phase did not
   *     finish in time
   */
  public static BenchReport run(BenchOptions options, PrintStream progress)
      throws LoadFailure, InterruptedException {
    options.validate();
    return new BenchRun(options, progress).execute();
  }

  private BenchReport execute() throws LoadFailure, InterruptedException {
    ProcessSampler server =
        options.serverPid() > 0 ? ProcessSampler.start(options.serverPid(), 250) : null;
    BenchContent content = new BenchContent(stamp.id(), options.channel());
    try (ClientLoops<BenchLoop> started =
        ClientLoops.start(
            options.eventLoops(), true, i -> new BenchLoop(options, content, epoch), progress)) {
      loops = started;
      List<List<BenchConnection>> members = new ArrayList<>();
      List<List<BenchConnection>> senders = new ArrayList<>();
      for (int i = 0; i < options.eventLoops(); i++) {
        members.add(new ArrayList<>());
        senders.add(new ArrayList<>());
      }
      for (int i = 0; i < options.connections(); i++) {
        int l = i % loops.size();
        boolean sender = i < options.senders();
        BenchConnection c = loops.get(l).add("bench" + stamp.id() + "-" + i, sender ? i : -1);
        if (i < options.members()) {
          members.get(l).add(c);
        }
        if (sender) {
          senders.get(l).add(c);
        }
      }
      return measure(server, members, senders);
    } finally {
      if (server != null) {
        server.close();
      }
    }
  }

  private BenchReport measure(
      ProcessSampler server,
      List<List<BenchConnection>> members,
      List<List<BenchConnection>> senders)
      throws LoadFailure, InterruptedException {
    int n = options.connections();
    if (options.identity() == BenchOptions.Identity.ED25519) {
      progress.say("generating %d Ed25519 key pairs", n);
      loops.ask(BenchLoop::generateKeys, options.setupTimeout(), "generating keys");
    }
    ProcessSampler.Memory memStart = server == null ? null : server.sample();

    // ---- login
    progress.say(
        "logging in %d %s connections to %s",
        n, options.identity().name().toLowerCase(Locale.ROOT), options.server());
    CpuMark loginCpu = CpuMark.now(server, 0);
    long loginStart = System.nanoTime();
    long deadline = loginStart + options.setupTimeout().toNanos();
    double ratePerLoop = options.connectRate() / loops.size();
    int pendingPerLoop = Math.max(1, options.maxPendingLogins() / loops.size());
    loops.ask(
        l -> l.loginAll(ratePerLoop, pendingPerLoop, deadline),
        options.setupTimeout().plus(options.loginTimeout()),
        "logging in");
    LoopStats login = loops.stats();
    int loggedIn = (int) login.setupDone();
    double loginSeconds = Math.max(1, login.lastSetupDone() - loginStart) / (double) NANOS;
    CpuShares loginCpuPct = CpuMark.now(server, 0).since(loginCpu);
    BenchReport.Logins logins =
        new BenchReport.Logins(
            n,
            loggedIn,
            loginSeconds,
            loggedIn / loginSeconds,
            millis(login.setupLatency().percentile(50)),
            millis(login.setupLatency().percentile(99)),
            millis(login.setupLatency().max()),
            loginCpuPct.server(),
            loginCpuPct.bench(),
            loginCpuPct.machine());
    progress.say(
        "logged in %d of %d in %.3f s (%.1f/s)", loggedIn, n, loginSeconds, logins.perSecond());
    if (loggedIn < n) {
      throw new LoadFailure(
          String.format(
              Locale.ROOT,
              "only %d of %d connections logged in to %s (first failure: %s)%s",
              loggedIn,
              n,
              options.server(),
              login.firstSetupFailure(),
              fdHint(loggedIn)));
    }
    ProcessSampler.Memory memLogin = server == null ? null : server.sample();

    // ---- join
    int m = options.members();
    if (m > 0) {
      progress.say("joining %d members to %s", m, options.channel());
      BenchConnection first = members.get(0).remove(0);
      all(
          List.of(loops.get(0).joinFirst(first)),
          options.loginTimeout().plusSeconds(5),
          "creating or joining " + options.channel());
      long joinDeadline = System.nanoTime() + options.setupTimeout().toNanos();
      List<Future<Void>> joins = new ArrayList<>();
      for (int i = 0; i < loops.size(); i++) {
        joins.add(loops.get(i).joinAll(members.get(i), pendingPerLoop, joinDeadline));
      }
      all(joins, options.setupTimeout().plus(options.loginTimeout()), "joining");
      Tally joined = tally();
      if (joined.joined() < m) {
        throw new LoadFailure(
            String.format(
                Locale.ROOT,
                "only %d of %d members joined %s (first failure: %s)",
                joined.joined(),
                m,
                options.channel(),
                joined.stats().firstSetupFailure()));
      }
    }

    // ---- send
    BenchReport.Traffic traffic = null;
    if (options.sending()) {
      settle();
      traffic = send(server, senders);
    }

    // ---- hold
    if (options.hold().toMillis() > 0) {
      progress.say("holding %d connections open for %d s", n, options.hold().toSeconds());
      Thread.sleep(options.hold().toMillis());
    }

    Tally end = tally();
    BenchReport.ServerProcess proc = null;
    if (server != null) {
      ProcessSampler.Memory memEnd = server.sample();
      proc =
          new BenchReport.ServerProcess(
              server.pid(),
              mib(memStart.rssKib()),
              mib(memLogin.rssKib()),
              mib(memEnd.rssKib()),
              mib(server.peakRssKib()),
              mib(memEnd.hwmKib()),
              (memLogin.rssKib() - memStart.rssKib()) / (double) n,
              server.exited());
    }
    addNotes(end.stats(), traffic);
    return new BenchReport(
        options.server().toString(),
        stamp.id(),
        stamp.startedAt(),
        options.identity().name().toLowerCase(Locale.ROOT),
        options.eventLoops(),
        loops.transport(),
        logins,
        traffic,
        end.stats().errors(),
        end.stats().errorSamples(),
        end.stats().closedByServer(),
        end.stats().closes(),
        end.open(),
        options.hold().toMillis() / 1000.0,
        proc,
        List.copyOf(notes));
  }

  private BenchReport.Traffic send(ProcessSampler server, List<List<BenchConnection>> senders)
      throws LoadFailure, InterruptedException {
    double rate = options.rate();
    int s = options.senders();
    double perSender = rate / s;
    progress.say(
        "sending %s msgs/s from %d senders (%.2f msgs/s each) to %d members: warmup %d s,"
            + " window %d s",
        plain(rate),
        s,
        perSender,
        options.members(),
        options.warmup().toSeconds(),
        options.duration().toSeconds());
    if (perSender > 1) {
      progress.say(
          "note: %.2f msgs/s per sender exceeds a default server's MSG limit (1/s, burst 10);"
              + " start the server with higher limits (see --help)",
          perSender);
    }
    long start = now() + 100_000_000L;
    long wStart = start + options.warmup().toNanos();
    long wEnd = wStart + options.duration().toNanos();
    List<Future<Void>> sending = new ArrayList<>();
    for (int i = 0; i < loops.size(); i++) {
      double loopRate = rate * senders.get(i).size() / s;
      sending.add(loops.get(i).send(senders.get(i), loopRate, start, wStart, wEnd));
    }
    sleepUntil(wStart);
    CpuMark windowStart = CpuMark.now(server, 0);
    sleepUntil(wEnd);
    CpuShares cpu = CpuMark.now(server, 0).since(windowStart);
    all(sending, Duration.ofSeconds(30), "sending");

    // Deliveries still in flight at the end of the window belong to it: wait for them.
    long members = options.members();
    long drainEnd = now() + options.drain().toNanos();
    long[] p = progress();
    while (p[1] < p[0] * members && now() < drainEnd) {
      Thread.sleep(POLL_MS);
      p = progress();
    }
    Tally st = tally();
    double window = options.duration().toNanos() / (double) NANOS;
    long expected = st.windowSends() * members;
    long received = st.stats().completed();
    long lost = Math.max(0, expected - received);
    LatencyHistogram h = st.stats().latency();
    progress.say(
        "window done: %d sends, %d of %d deliveries", st.windowSends(), received, expected);
    return new BenchReport.Traffic(
        options.channel(),
        options.members(),
        s,
        rate,
        options.warmup().toNanos() / (double) NANOS,
        window,
        options.drain().toNanos() / (double) NANOS,
        st.sends(),
        st.windowSends(),
        st.windowSends() / window,
        expected,
        received,
        lost,
        expected == 0 ? 0 : 100.0 * lost / expected,
        st.arrivedInWindow(),
        st.arrivedInWindow() / window,
        h.count(),
        millis(h.percentile(50)),
        millis(h.percentile(99)),
        millis(h.percentile(99.9)),
        millis(h.max()),
        st.writeFailures(),
        cpu.server(),
        cpu.bench(),
        cpu.machine());
  }

  /**
   * Waits until no frame has arrived for a moment. Every JOIN makes the server tell each earlier
   * member (AGENT_JOINED), so M joins queue M²/2 frames; measuring while that backlog drains would
   * charge it to message latency.
   */
  private void settle() throws LoadFailure, InterruptedException {
    long began = now();
    long deadline = began + options.setupTimeout().toNanos();
    while (now() < deadline) {
      long last = 0;
      for (long frame : loops.ask(BenchLoop::lastFrame, "reading counters")) {
        last = Math.max(last, frame);
      }
      if (now() - last >= QUIET_NANOS) {
        break;
      }
      Thread.sleep(POLL_MS);
    }
    progress.say("set-up traffic settled after %.3f s", (now() - began) / (double) NANOS);
  }

  private void addNotes(LoopStats end, BenchReport.Traffic traffic) {
    long limited = end.errors().getOrDefault("RATE_LIMITED", 0L);
    if (limited > 0) {
      double perSender = options.rate() / Math.max(1, options.senders());
      long msgRate = Math.max(10, (long) Math.ceil(perSender * 2));
      long frameLimit = Math.max(1000, (long) Math.ceil(perSender * 10 * 2));
      notes.add(
          String.format(
              Locale.ROOT,
              "the server refused %d frames with RATE_LIMITED at %.2f msgs/s per sender (a default"
                  + " server allows 1 MSG/s per connection, burst 10, and 60 frames per 10 s);"
                  + " start it with e.g. `agentchat serve --msg-rate %d --msg-burst %d"
                  + " --frame-limit %d`",
              limited,
              perSender,
              msgRate,
              msgRate,
              frameLimit));
    }
    if (end.closedByServer() > 0) {
      notes.add(
          end.closedByServer()
              + " connections were closed by the server "
              + end.closes()
              + ": a slow-consumer cut-off (the bench reading too slowly) or an idle timeout");
    }
    if (traffic != null && traffic.sendsPerSecond() < 0.95 * options.rate()) {
      notes.add(
          String.format(
              Locale.ROOT,
              "sends fell short of the target (%.1f of %s msgs/s):"
                  + " the bench client could not keep up",
              traffic.sendsPerSecond(),
              plain(options.rate())));
    }
    if (traffic != null
        && !Double.isNaN(traffic.benchCpuPercent())
        && traffic.benchCpuPercent() >= 90.0 * options.eventLoops()) {
      notes.add(
          String.format(
              Locale.ROOT,
              "the bench client used %.0f%% of a core with %d event"
                  + " loop(s): it may be the bottleneck, so these figures are a lower bound for the"
                  + " server; give the bench more --event-loops and cores",
              traffic.benchCpuPercent(),
              options.eventLoops()));
    }
    if (traffic != null) {
      double others =
          traffic.machineCpuPercent()
              - traffic.benchCpuPercent()
              - (Double.isNaN(traffic.serverCpuPercent()) ? 0 : traffic.serverCpuPercent());
      if (others > 25) {
        notes.add(
            String.format(
                Locale.ROOT,
                "other processes used %.0f%% of a core during the"
                    + " window%s: the figures are disturbed, run again on a quiet machine",
                others,
                options.serverPid() > 0 ? "" : " (the server included: pass --server-pid)"));
      }
    }
    if (end.firstSocketError() != null) {
      notes.add("first socket error: " + end.firstSocketError());
    }
  }

  // ------------------------------------------------------------------ helpers

  private Tally tally() throws LoadFailure, InterruptedException {
    return Tally.sum(loops.ask(BenchLoop::tally, "reading counters"));
  }

  private long[] progress() throws LoadFailure, InterruptedException {
    long[] sum = new long[2];
    for (long[] p : loops.ask(BenchLoop::progress, "reading counters")) {
      sum[0] += p[0];
      sum[1] += p[1];
    }
    return sum;
  }

  private String fdHint(int connected) {
    return connected > 900 && connected < options.connections()
        ? "; for thousands of connections both processes need file descriptors (ulimit -n 65536)"
        : "";
  }

  private static void all(List<? extends Future<?>> futures, Duration bound, String what)
      throws LoadFailure, InterruptedException {
    Phase.await(Future.all(futures), bound, what);
  }

  private void sleepUntil(long at) throws InterruptedException {
    Phase.sleepUntil(epoch + at);
  }

  private long now() {
    return System.nanoTime() - epoch;
  }
}
