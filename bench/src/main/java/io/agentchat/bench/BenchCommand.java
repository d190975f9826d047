package io.agentchat.bench;

import io.agentchat.bench.core.LoadCommand;
import io.agentchat.bench.core.ReportFlags;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code agentchat bench}: a load generator that drives any AgentChat server over the wire protocol
 * and reports logins/s, fan-out throughput, send-to-deliver latency, errors and, with {@code
 * --server-pid}, the server's memory. Diagnostics and progress go to stderr, the report to stdout.
 */
@Command(
    name = "bench",
    sortOptions = false,
    description = {
      "Load-test an AgentChat server over the wire protocol: open identified connections, join"
          + " them to one channel, send MSG frames at a fixed aggregate rate and measure"
          + " deliveries/s, loss and send-to-deliver latency."
    },
    footer = {
      "",
      "A default server allows 1 MSG/s per connection (burst 10) and 60 frames per 10 s: for"
          + " more than 1 msg/s per sender start it with e.g."
          + " `agentchat serve --msg-rate 1000 --msg-burst 1000 --frame-limit 1000` (frames per"
          + " 10 s must exceed 10 x the per-sender rate; keep it modest, the relay reserves memory"
          + " per connection in proportion to it).",
      "Thousands of connections need that many file descriptors in both processes"
          + " (`ulimit -n 65536`); one client address reaches ~28,000 ports of one server port.",
      "Exit status: 0 report printed, 1 the load could not be set up, 2 invalid options."
    })
public final class BenchCommand extends LoadCommand {
  @Option(
      names = "--connections",
      paramLabel = "N",
      defaultValue = "100",
      description = "Identified connections to open (default: ${DEFAULT-VALUE}).")
  int connections;

  @Option(
      names = "--identity",
      paramLabel = "ephemeral|ed25519",
      defaultValue = "ephemeral",
      description =
          "Log in ephemerally, or with a fresh Ed25519 key per connection answering the"
              + " CHALLENGE (default: ${DEFAULT-VALUE}).")
  String identity;

  @Option(
      names = "--connect-rate",
      paramLabel = "PER_S",
      defaultValue = "0",
      description = "Logins started per second; 0 = unlimited (default: ${DEFAULT-VALUE}).")
  double connectRate;

  @Option(
      names = "--max-pending-logins",
      paramLabel = "N",
      defaultValue = "200",
      description =
          "Logins in flight at once, so the server is not flooded"
              + " (default: ${DEFAULT-VALUE}).")
  int maxPendingLogins;

  @Option(
      names = "--members",
      paramLabel = "M",
      description = "Connections that join the channel (default: all).")
  Integer members;

  @Option(
      names = "--senders",
      paramLabel = "S",
      description = "Members that send (default: all members).")
  Integer senders;

  @Option(
      names = "--channel",
      paramLabel = "#NAME",
      defaultValue = "#bench",
      description = "Channel to join, created if missing (default: ${DEFAULT-VALUE}).")
  String channel;

  @Option(
      names = "--rate",
      paramLabel = "MSGS_PER_S",
      defaultValue = "50",
      description =
          "Aggregate MSG frames per second across senders; 0 = idle"
              + " (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(
      names = "--duration",
      paramLabel = "SECONDS",
      defaultValue = "10",
      description = "Measured window (default: ${DEFAULT-VALUE}).")
  double duration;

  @Option(
      names = "--warmup",
      paramLabel = "SECONDS",
      defaultValue = "2",
      description = "Sending before the window, excluded from stats (default: ${DEFAULT-VALUE}).")
  double warmup;

  @Option(
      names = "--drain",
      paramLabel = "SECONDS",
      defaultValue = "5",
      description =
          "Longest wait after the window for deliveries in flight"
              + " (default: ${DEFAULT-VALUE}).")
  double drain;

  @Option(
      names = "--hold",
      paramLabel = "SECONDS",
      defaultValue = "0",
      description =
          "Keep every connection open this long after the traffic (or right after"
              + " login when idle), sampling server memory (default: ${DEFAULT-VALUE}).")
  double hold;

  @Option(
      names = "--event-loops",
      paramLabel = "N",
      defaultValue = "1",
      description = "Event loops of the bench client (default: ${DEFAULT-VALUE}).")
  int eventLoops;

  @Option(
      names = "--tick-ms",
      paramLabel = "MS",
      defaultValue = "1",
      description =
          "Send pacing period; each tick sends the batch that is due"
              + " (default: ${DEFAULT-VALUE}).")
  int tickMs;

  @Option(
      names = "--login-timeout",
      paramLabel = "SECONDS",
      defaultValue = "30",
      description =
          "Bound on one connection's connect + login, and on one join"
              + " (default: ${DEFAULT-VALUE}).")
  double loginTimeout;

  @Option(
      names = "--setup-timeout",
      paramLabel = "SECONDS",
      defaultValue = "300",
      description =
          "Bound on the whole login phase and on the whole join phase"
              + " (default: ${DEFAULT-VALUE}).")
  double setupTimeout;

  @Option(
      names = "--server-pid",
      paramLabel = "PID",
      description = "Sample this local server process's VmRSS/VmHWM and CPU from /proc.")
  long serverPid;

  @Option(names = "--insecure", description = "Trust any TLS certificate (wss:// only).")
  boolean insecure;

  @Mixin ReportFlags report;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  boolean help;

  /** A command whose flags picocli fills in. */
  public BenchCommand() {
    super("bench");
  }

  /** Runs {@code agentchat bench} on its own. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchCommand()).execute(args));
  }

  @Override
  public Integer call() throws InterruptedException {
    return measure(report, progress -> BenchRun.run(options(), progress));
  }

  BenchOptions options() {
    BenchOptions o =
        new BenchOptions()
            .server(url)
            .connections(connections)
            .identity(identity(identity))
            .connectRate(connectRate)
            .maxPendingLogins(maxPendingLogins)
            .channel(channel)
            .rate(rate)
            .warmup(seconds(warmup, "--warmup"))
            .duration(seconds(duration, "--duration"))
            .drain(seconds(drain, "--drain"))
            .hold(seconds(hold, "--hold"))
            .eventLoops(eventLoops)
            .tickMs(tickMs)
            .loginTimeout(seconds(loginTimeout, "--login-timeout"))
            .setupTimeout(seconds(setupTimeout, "--setup-timeout"))
            .serverPid(serverPid)
            .insecure(insecure);
    if (members != null) {
      o.members(members);
    }
    if (senders != null) {
      o.senders(senders);
    }
    return o;
  }

  private static BenchOptions.Identity identity(String value) {
    try {
      return BenchOptions.Identity.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--identity must be ephemeral or ed25519, got " + value);
    }
  }
}
