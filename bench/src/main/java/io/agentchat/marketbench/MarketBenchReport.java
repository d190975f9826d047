package io.agentchat.marketbench;

import static io.agentchat.bench.core.ReportNumbers.json;

import io.agentchat.bench.core.CpuShares;
import io.agentchat.bench.core.LoadReport;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one marketplace bench run measured, printable as human text or as one JSON object. Times are
 * milliseconds, rates per second, memory MiB; a CPU share is a percentage of one core over the
 * measured window ({@code NaN}, JSON null, when unknown).
 *
 * @param setup null when set-up was skipped
 * @param search null unless the scenario is search
 * @param proposals null unless the scenario is proposals
 * @param completions null unless the scenario is completions
 * @param errors refusals, timeouts and closes by code, over warm-up, window and drain
 * @param server null without {@code --server-pid}
 */
public record MarketBenchReport(
    String url,
    String scenario,
    String runId,
    String startedAt,
    int eventLoops,
    Setup setup,
    Search search,
    Proposals proposals,
    Completions completions,
    Map<String, Long> errors,
    Map<String, String> errorSamples,
    CpuShares cpu,
    ServerProcess server,
    List<String> notes)
    implements LoadReport {

  /**
   * The set-up phase: skill registrations (search), pair logins (proposals) or accepted deals
   * (completions).
   *
   * @param skills skills registered (0 for pairs)
   * @param latency one REGISTER_SKILLS → SKILLS_REGISTERED, one pair's two logins, or one PROPOSAL
   *     until both parties hold the ACCEPT
   */
  public record Setup(
      String what,
      int requested,
      long done,
      long failed,
      long skills,
      double seconds,
      double perSecond,
      double skillsPerSecond,
      Latency latency) {}

  /** The search window: completed searches, their rate and latency, and how much they matched. */
  public record Search(
      int searchers,
      int concurrency,
      double warmupSeconds,
      double windowSeconds,
      long searches,
      double perSecond,
      Latency latency,
      double meanMatches,
      double emptyPercent) {}

  /** The proposal window: completed round trips, their rate and latency. */
  public record Proposals(
      int pairs,
      double warmupSeconds,
      double windowSeconds,
      long roundTrips,
      double perSecond,
      Latency latency,
      int pairsStopped) {}

  /**
   * The completion window: COMPLETEs that both parties held in it, their rate and latency.
   *
   * @param pairs deals in flight at most (each agent is in one at a time)
   * @param rounds accepted deals each agent opened in set-up
   * @param distinctRounds rounds before a pair deals again: a deal of a later round may be held by
   *     the pair cooldown
   * @param cooldowns completions in the window whose {@code rating_changes} carried {@code
   *     _cooldown}: the pair had completed a deal less than an hour before, so no rating moved
   * @param ranOutSeconds how long before the end of the window the opened deals ran out (0 when
   *     they lasted); then the rate understates what the server can do
   */
  public record Completions(
      int pairs,
      int rounds,
      int distinctRounds,
      double warmupSeconds,
      double windowSeconds,
      long completions,
      double perSecond,
      Latency latency,
      long cooldowns,
      double ranOutSeconds,
      int socketsClosed) {}

  /** Latency percentiles in milliseconds. */
  public record Latency(double p50, double p99, double p999, double max) {}

  /** The server's memory from /proc, MiB. */
  public record ServerProcess(
      long pid, double rssStart, double rssAfterSetup, double rssEnd, double rssPeak, double hwm) {}

  /** Operations completed in the measured window: searches, round trips or completions. */
  public long measured() {
    if (search != null) {
      return search.searches();
    }
    if (proposals != null) {
      return proposals.roundTrips();
    }
    return completions != null ? completions.completions() : 0;
  }

  /** A run in which no search or round trip completed in the window failed, whatever it printed. */
  @Override
  public String shortfall() {
    return measured() > 0
        ? null
        : "nothing completed in the measured window (errors: "
            + (errors.isEmpty() ? "none" : errors)
            + ")";
  }

  @Override
  public JsonObject toJson() {
    JsonObject o =
        new JsonObject()
            .put("url", url)
            .put("scenario", scenario)
            .put("run", runId)
            .put("started_at", startedAt)
            .put("event_loops", eventLoops);
    if (setup != null) {
      o.put(
          "setup",
          new JsonObject()
              .put("what", setup.what())
              .put("requested", setup.requested())
              .put("done", setup.done())
              .put("failed", setup.failed())
              .put("skills", setup.skills())
              .put("seconds", json(setup.seconds()))
              .put("per_s", json(setup.perSecond()))
              .put("skills_per_s", json(setup.skillsPerSecond()))
              .put("latency_ms", latency(setup.latency())));
    }
    if (search != null) {
      Search s = search;
      o.put(
          "search",
          new JsonObject()
              .put("searchers", s.searchers())
              .put("concurrency", s.concurrency())
              .put("warmup_s", s.warmupSeconds())
              .put("window_s", s.windowSeconds())
              .put("searches", s.searches())
              .put("per_s", json(s.perSecond()))
              .put("latency_ms", latency(s.latency()))
              .put("mean_matches", json(s.meanMatches()))
              .put("empty_pct", json(s.emptyPercent())));
    }
    if (proposals != null) {
      Proposals p = proposals;
      o.put(
          "proposals",
          new JsonObject()
              .put("pairs", p.pairs())
              .put("warmup_s", p.warmupSeconds())
              .put("window_s", p.windowSeconds())
              .put("round_trips", p.roundTrips())
              .put("per_s", json(p.perSecond()))
              .put("latency_ms", latency(p.latency()))
              .put("pairs_stopped", p.pairsStopped()));
    }
    if (completions != null) {
      Completions c = completions;
      o.put(
          "completions",
          new JsonObject()
              .put("pairs", c.pairs())
              .put("rounds", c.rounds())
              .put("distinct_rounds", c.distinctRounds())
              .put("warmup_s", c.warmupSeconds())
              .put("window_s", c.windowSeconds())
              .put("completions", c.completions())
              .put("per_s", json(c.perSecond()))
              .put("latency_ms", latency(c.latency()))
              .put("cooldowns", c.cooldowns())
              .put("ran_out_s", json(c.ranOutSeconds()))
              .put("sockets_closed", c.socketsClosed()));
    }
    o.put("errors", new JsonObject(new LinkedHashMap<String, Object>(errors)));
    o.put("error_samples", new JsonObject(new LinkedHashMap<String, Object>(errorSamples)));
    o.put(
        "cpu_pct",
        new JsonObject()
            .put("server", json(cpu.server()))
            .put("database", json(cpu.database()))
            .put("bench", json(cpu.bench()))
            .put("machine", json(cpu.machine()))
            .put("other", json(cpu.other())));
    if (server != null) {
      o.put(
          "server",
          new JsonObject()
              .put("pid", server.pid())
              .put("rss_start_mib", json(server.rssStart()))
              .put("rss_after_setup_mib", json(server.rssAfterSetup()))
              .put("rss_end_mib", json(server.rssEnd()))
              .put("rss_peak_mib", json(server.rssPeak()))
              .put("hwm_mib", json(server.hwm())));
    }
    o.put("notes", new JsonArray(List.copyOf(notes)));
    return o;
  }

  @Override
  public String toText() {
    StringBuilder t = new StringBuilder();
    line(
        t,
        "market-bench %s against %s (run %s, %s, %d client event loop%s)",
        scenario,
        url,
        runId,
        startedAt,
        eventLoops,
        eventLoops == 1 ? "" : "s");
    if (setup != null) {
      if (setup.skills() > 0) {
        line(
            t,
            "setup      %d/%d agents registered %d skills in %.3f s: %.0f skills/s,"
                + " %.1f registrations/s",
            setup.done(),
            setup.requested(),
            setup.skills(),
            setup.seconds(),
            setup.skillsPerSecond(),
            setup.perSecond());
        line(t, "           REGISTER_SKILLS -> SKILLS_REGISTERED %s", text(setup.latency()));
      } else {
        line(
            t,
            "setup      %d/%d %s in %.3f s (%.1f/s), each %s",
            setup.done(),
            setup.requested(),
            setup.what(),
            setup.seconds(),
            setup.perSecond(),
            text(setup.latency()));
      }
    }
    if (search != null) {
      Search s = search;
      line(
          t,
          "search     %d searchers x %d in flight, %.0f s window after %.0f s warm-up",
          s.searchers(),
          s.concurrency(),
          s.windowSeconds(),
          s.warmupSeconds());
      line(t, "           %d searches, %.1f searches/s", s.searches(), s.perSecond());
      line(t, "           SEARCH_SKILLS -> SEARCH_RESULTS %s", text(s.latency()));
      line(
          t,
          "           %.1f matching skills per query on average, %.1f %% matched none",
          s.meanMatches(),
          s.emptyPercent());
    }
    if (proposals != null) {
      Proposals p = proposals;
      line(
          t,
          "proposals  %d pairs, %.0f s window after %.0f s warm-up",
          p.pairs(),
          p.windowSeconds(),
          p.warmupSeconds());
      line(t, "           %d round trips, %.1f round trips/s", p.roundTrips(), p.perSecond());
      line(t, "           PROPOSAL -> both hold COMPLETE %s", text(p.latency()));
      if (p.pairsStopped() > 0) {
        line(t, "           %d pairs stopped early (socket closed)", p.pairsStopped());
      }
    }
    if (completions != null) {
      Completions c = completions;
      line(
          t,
          "completions %d pairs in flight, %d rounds of deals (%d distinct), %.0f s window after"
              + " %.0f s warm-up",
          c.pairs(),
          c.rounds(),
          c.distinctRounds(),
          c.windowSeconds(),
          c.warmupSeconds());
      line(t, "           %d completions, %.1f completions/s", c.completions(), c.perSecond());
      line(t, "           COMPLETE -> both hold COMPLETE %s", text(c.latency()));
      line(
          t,
          "           %d held by the pair cooldown (%.1f %%)",
          c.cooldowns(),
          c.completions() == 0 ? 0 : 100.0 * c.cooldowns() / c.completions());
      if (c.ranOutSeconds() > 0) {
        line(
            t,
            "           the opened deals ran out %.1f s before the window ended: raise --rounds",
            c.ranOutSeconds());
      }
      if (c.socketsClosed() > 0) {
        line(t, "           %d sockets closed by the server", c.socketsClosed());
      }
    }
    line(
        t,
        "cpu        server %s, database %s, bench %s, other %s; machine %s"
            + " (%% of one core, measured window)",
        pct(cpu.server()),
        pct(cpu.database()),
        pct(cpu.bench()),
        pct(cpu.other()),
        pct(cpu.machine()));
    if (server != null) {
      line(
          t,
          "server     pid %d: RSS %.1f MiB at start, %.1f after setup, %.1f at end;"
              + " peak %.1f, VmHWM %.1f",
          server.pid(),
          server.rssStart(),
          server.rssAfterSetup(),
          server.rssEnd(),
          server.rssPeak(),
          server.hwm());
    }
    if (errors.isEmpty()) {
      line(t, "errors     none");
    } else {
      errors.forEach(
          (code, n) -> line(t, "errors     %s x%d (e.g. \"%s\")", code, n, errorSamples.get(code)));
    }
    notes.forEach(n -> line(t, "note       %s", n));
    return t.toString();
  }

  private static JsonObject latency(Latency l) {
    return new JsonObject()
        .put("p50", json(l.p50()))
        .put("p99", json(l.p99()))
        .put("p99_9", json(l.p999()))
        .put("max", json(l.max()));
  }

  private static String text(Latency l) {
    return String.format(
        Locale.ROOT,
        "p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.3f ms",
        l.p50(),
        l.p99(),
        l.p999(),
        l.max());
  }

  private static String pct(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.0f %%", v);
  }

  private static void line(StringBuilder t, String format, Object... args) {
    t.append(String.format(Locale.ROOT, format, args)).append('\n');
  }
}
