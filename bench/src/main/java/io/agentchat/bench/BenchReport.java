package io.agentchat.bench;

import static io.agentchat.bench.core.ReportNumbers.json;
import static io.agentchat.bench.core.ReportNumbers.plain;

import io.agentchat.bench.core.LoadReport;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one bench run measured, printable as human text or as one JSON object. Times are in
 * milliseconds with three decimals, rates per second, memory in MiB; a CPU share is the percentage
 * of one core ({@code NaN}, JSON null, when unknown).
 *
 * @param transport the bench client's Netty transport: epoll, or nio when native is unavailable
 * @param traffic null when nothing was sent (idle or login-only run)
 * @param server null without {@code --server-pid}
 */
public record BenchReport(
    String url,
    String runId,
    String startedAt,
    String identity,
    int eventLoops,
    String transport,
    Logins logins,
    Traffic traffic,
    Map<String, Long> errors,
    Map<String, String> errorSamples,
    int closedByServer,
    Map<String, Long> closeReasons,
    int openAtEnd,
    double holdSeconds,
    ServerProcess server,
    List<String> notes)
    implements LoadReport {

  /** The login phase. */
  public record Logins(
      int requested,
      int connected,
      double elapsedSeconds,
      double perSecond,
      double p50Ms,
      double p99Ms,
      double maxMs,
      double serverCpuPercent,
      double benchCpuPercent,
      double machineCpuPercent) {}

  /**
   * The measured window of a sending run. {@code lost} counts deliveries of messages sent in the
   * window that had not arrived when the drain period after the window ended.
   */
  public record Traffic(
      String channel,
      int members,
      int senders,
      double targetRate,
      double warmupSeconds,
      double windowSeconds,
      double drainSeconds,
      long sends,
      long windowSends,
      double sendsPerSecond,
      long expected,
      long received,
      long lost,
      double lossPercent,
      long arrivedInWindow,
      double deliveriesPerSecond,
      long latencyCount,
      double p50Ms,
      double p99Ms,
      double p999Ms,
      double maxMs,
      long writeFailures,
      double serverCpuPercent,
      double benchCpuPercent,
      double machineCpuPercent) {}

  /** The server process's memory, sampled from /proc. */
  public record ServerProcess(
      long pid,
      double rssStartMiB,
      double rssAfterLoginMiB,
      double rssEndMiB,
      double rssPeakMiB,
      double hwmMiB,
      double perConnectionKiB,
      boolean exited) {}

  /** Deliveries of messages sent in the window that never arrived. */
  public long lost() {
    return traffic == null ? 0 : traffic.lost();
  }

  @Override
  public JsonObject toJson() {
    JsonObject o =
        new JsonObject()
            .put("url", url)
            .put("run", runId)
            .put("started_at", startedAt)
            .put("identity", identity)
            .put("event_loops", eventLoops)
            .put("transport", transport);
    o.put(
        "logins",
        new JsonObject()
            .put("requested", logins.requested())
            .put("connected", logins.connected())
            .put("elapsed_s", json(logins.elapsedSeconds()))
            .put("per_s", json(logins.perSecond()))
            .put(
                "latency_ms",
                new JsonObject()
                    .put("p50", json(logins.p50Ms()))
                    .put("p99", json(logins.p99Ms()))
                    .put("max", json(logins.maxMs())))
            .put("server_cpu_pct", json(logins.serverCpuPercent()))
            .put("bench_cpu_pct", json(logins.benchCpuPercent()))
            .put("machine_cpu_pct", json(logins.machineCpuPercent())));
    if (traffic != null) {
      Traffic t = traffic;
      o.put(
          "traffic",
          new JsonObject()
              .put("channel", t.channel())
              .put("members", t.members())
              .put("senders", t.senders())
              .put("target_rate", t.targetRate())
              .put("warmup_s", t.warmupSeconds())
              .put("window_s", t.windowSeconds())
              .put("drain_s", t.drainSeconds())
              .put("sends", t.sends())
              .put("window_sends", t.windowSends())
              .put("sends_per_s", json(t.sendsPerSecond()))
              .put("expected_deliveries", t.expected())
              .put("received_deliveries", t.received())
              .put("lost", t.lost())
              .put("loss_pct", json(t.lossPercent()))
              .put("arrived_in_window", t.arrivedInWindow())
              .put("deliveries_per_s", json(t.deliveriesPerSecond()))
              .put(
                  "latency_ms",
                  new JsonObject()
                      .put("count", t.latencyCount())
                      .put("p50", json(t.p50Ms()))
                      .put("p99", json(t.p99Ms()))
                      .put("p99_9", json(t.p999Ms()))
                      .put("max", json(t.maxMs())))
              .put("write_failures", t.writeFailures())
              .put("server_cpu_pct", json(t.serverCpuPercent()))
              .put("bench_cpu_pct", json(t.benchCpuPercent()))
              .put("machine_cpu_pct", json(t.machineCpuPercent())));
    }
    JsonObject errs = new JsonObject();
    errors.forEach(errs::put);
    o.put("errors", errs);
    JsonObject closes = new JsonObject();
    closeReasons.forEach(closes::put);
    o.put("closed_by_server", closedByServer)
        .put("close_reasons", closes)
        .put("open_at_end", openAtEnd)
        .put("hold_s", holdSeconds);
    if (server != null) {
      o.put(
          "server",
          new JsonObject()
              .put("pid", server.pid())
              .put("rss_start_mib", json(server.rssStartMiB()))
              .put("rss_after_login_mib", json(server.rssAfterLoginMiB()))
              .put("rss_end_mib", json(server.rssEndMiB()))
              .put("rss_peak_mib", json(server.rssPeakMiB()))
              .put("vm_hwm_mib", json(server.hwmMiB()))
              .put("per_connection_kib", json(server.perConnectionKiB()))
              .put("exited", server.exited()));
    }
    o.put("notes", new JsonArray(List.copyOf(notes)));
    return o;
  }

  /** The report as aligned human text, one fact per line. */
  @Override
  public String toText() {
    StringBuilder b = new StringBuilder();
    line(
        b,
        "server",
        "%s  (run %s, %s, bench event loops %d, %s)",
        url,
        runId,
        startedAt,
        eventLoops,
        transport);
    line(
        b,
        "logins",
        "%d of %d %s in %.3f s = %.1f logins/s",
        logins.connected(),
        logins.requested(),
        identity,
        logins.elapsedSeconds(),
        logins.perSecond());
    line(
        b,
        "login latency",
        "p50 %.3f ms  p99 %.3f ms  max %.3f ms%s",
        logins.p50Ms(),
        logins.p99Ms(),
        logins.maxMs(),
        cpu(logins.serverCpuPercent(), logins.benchCpuPercent(), logins.machineCpuPercent()));
    if (traffic != null) {
      Traffic t = traffic;
      line(
          b,
          "channel",
          "%s: %d members, %d senders, target %s msgs/s, warmup %s s, window %s s",
          t.channel(),
          t.members(),
          t.senders(),
          plain(t.targetRate()),
          plain(t.warmupSeconds()),
          plain(t.windowSeconds()));
      line(
          b,
          "sends",
          "%d in window = %.1f msgs/s achieved (%d in total, %d write failures)",
          t.windowSends(),
          t.sendsPerSecond(),
          t.sends(),
          t.writeFailures());
      line(
          b,
          "deliveries",
          "expected %d, received %d, lost %d (%.3f %%%s)",
          t.expected(),
          t.received(),
          t.lost(),
          t.lossPercent(),
          t.lost() == 0
              ? ""
              : ", not delivered within " + plain(t.drainSeconds()) + " s after the window");
      line(
          b,
          "throughput",
          "%.1f deliveries/s (%d arrived in the window)%s",
          t.deliveriesPerSecond(),
          t.arrivedInWindow(),
          cpu(t.serverCpuPercent(), t.benchCpuPercent(), t.machineCpuPercent()));
      line(
          b,
          "latency",
          "p50 %.3f ms  p99 %.3f ms  p99.9 %.3f ms  max %.3f ms  (%d samples)",
          t.p50Ms(),
          t.p99Ms(),
          t.p999Ms(),
          t.maxMs(),
          t.latencyCount());
    } else {
      line(b, "traffic", "none (rate 0: idle connections)");
    }
    if (errors.isEmpty()) {
      line(b, "errors", "none");
    } else {
      errors.forEach(
          (code, n) ->
              line(
                  b,
                  "errors",
                  "%s x%d (e.g. \"%s\")",
                  code,
                  n,
                  errorSamples.getOrDefault(code, "")));
    }
    line(
        b,
        "connections",
        "%d open at end%s%s",
        openAtEnd,
        holdSeconds > 0
            ? String.format(Locale.ROOT, " after holding %s s", plain(holdSeconds))
            : "",
        closedByServer == 0
            ? ", none closed by the server"
            : String.format(
                Locale.ROOT, ", %d closed by the server %s", closedByServer, closeReasons));
    if (server != null) {
      ServerProcess s = server;
      // Below ~1,000 connections JIT and heap warm-up swamp the per-connection share.
      String perConnection =
          logins.connected() >= 1000
              ? String.format(Locale.ROOT, ", ~%.1f KiB per connection", s.perConnectionKiB())
              : "";
      line(
          b,
          "server rss",
          "pid %d: %.1f MiB at start, %.1f after login, %.1f at end, peak %.1f"
              + " (VmHWM %.1f MiB)%s%s",
          s.pid(),
          s.rssStartMiB(),
          s.rssAfterLoginMiB(),
          s.rssEndMiB(),
          s.rssPeakMiB(),
          s.hwmMiB(),
          perConnection,
          s.exited() ? "  (PROCESS EXITED)" : "");
    }
    for (String n : notes) {
      line(b, "note", "%s", n);
    }
    return b.toString();
  }

  private static void line(StringBuilder b, String label, String format, Object... args) {
    b.append(String.format(Locale.ROOT, "%-14s", label))
        .append(String.format(Locale.ROOT, format, args))
        .append('\n');
  }

  private static String cpu(double server, double bench, double machine) {
    StringBuilder s = new StringBuilder();
    if (!Double.isNaN(server)) {
      s.append(String.format(Locale.ROOT, " server %.0f%%", server));
    }
    if (!Double.isNaN(bench)) {
      s.append(String.format(Locale.ROOT, " bench %.0f%%", bench));
    }
    if (!Double.isNaN(machine)) {
      s.append(String.format(Locale.ROOT, " machine %.0f%%", machine));
    }
    return s.length() == 0 ? "" : "  [cpu" + s + " of one core]";
  }
}
