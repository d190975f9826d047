package io.agentchat.marketbench;

import io.agentchat.bench.core.LoadCommand;
import io.agentchat.bench.core.ReportFlags;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code agentchat market-bench}: load-tests a server's marketplace over the wire protocol, with
 * skill search or proposal round trips, and reports throughput, latency, errors and, with {@code
 * --server-pid}, the server's memory and CPU. Progress goes to stderr, the report to stdout.
 */
@Command(
    name = "market-bench",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Load-test the marketplace of an AgentChat server over the wire protocol.",
      "  search:    keyed agents register --skills skills through REGISTER_SKILLS, then"
          + " --searchers connections run SEARCH_SKILLS (3-8 character fragments of the skill"
          + " vocabulary, some with max_rate/currency filters, limit 50) in a closed loop and"
          + " the bench reports searches/s and latency.",
      "  proposals: --pairs pairs of keyed agents loop PROPOSAL -> ACCEPT -> COMPLETE, each"
          + " agent on its own socket, and the bench reports round trips/s and latency.",
      "  completions: 2 x --pairs keyed agents open --rounds accepted deals each (PROPOSAL,"
          + " ACCEPT), one per round of a round robin, so each deal has a pair of its own until"
          + " the rounds wrap; then the measured run sends only signed COMPLETEs, each agent in"
          + " one deal at a time (--pairs in flight), and the bench reports completions/s, latency"
          + " until both parties hold the COMPLETE, and how many the pair cooldown held."
    },
    footer = {
      "",
      "Start the server with limits that let the load through, e.g. `agentchat serve"
          + " --min-proposal-age 0 --frame-limit 1000000`: a default server allows 60 frames per"
          + " 10 s per connection and refuses COMPLETE for 60 s after ACCEPT.",
      "Exit status: 0 report printed, 1 set-up failed or nothing completed, 2 invalid options."
    })
public final class MarketBenchCommand extends LoadCommand {
  @Option(
      names = "--scenario",
      paramLabel = "search|proposals|completions",
      required = true,
      description = "What to measure.")
  String scenario;

  @Option(
      names = "--skills",
      paramLabel = "N",
      defaultValue = "100000",
      description = "search: skills to register (default: ${DEFAULT-VALUE}).")
  int skills;

  @Option(
      names = "--agents",
      paramLabel = "A",
      defaultValue = "1000",
      description =
          "search: keyed agents sharing the skills, at most 100 each"
              + " (default: ${DEFAULT-VALUE}).")
  int agents;

  @Option(
      names = "--skip-setup",
      description = "search: register nothing; search an already seeded server.")
  boolean skipSetup;

  @Option(
      names = "--searchers",
      paramLabel = "S",
      defaultValue = "8",
      description = "search: searching connections (default: ${DEFAULT-VALUE}).")
  int searchers;

  @Option(
      names = "--concurrency",
      paramLabel = "C",
      defaultValue = "1",
      description = "search: requests in flight per searcher (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(
      names = "--pairs",
      paramLabel = "P",
      defaultValue = "50",
      description =
          "proposals: pairs of keyed agents; completions: deals in flight, among 2 x P agents"
              + " (default: ${DEFAULT-VALUE}).")
  int pairs;

  @Option(
      names = "--rounds",
      paramLabel = "R",
      defaultValue = "100",
      description =
          "completions: accepted deals each agent opens before the window, each with another"
              + " agent while R < 2 x P / event loops; the run stops early if they run out"
              + " (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(
      names = "--duration",
      paramLabel = "SECONDS",
      defaultValue = "20",
      description = "Measured window (default: ${DEFAULT-VALUE}).")
  double duration;

  @Option(
      names = "--warmup",
      paramLabel = "SECONDS",
      defaultValue = "5",
      description = "Load before the window, not measured (default: ${DEFAULT-VALUE}).")
  double warmup;

  @Option(
      names = "--setup-concurrency",
      paramLabel = "N",
      defaultValue = "32",
      description =
          "Registrations or pair logins in flight during set-up" + " (default: ${DEFAULT-VALUE}).")
  int setupConcurrency;

  @Option(
      names = "--request-timeout",
      paramLabel = "SECONDS",
      defaultValue = "10",
      description =
          "Bound on one login, registration, search or round trip"
              + " (default: ${DEFAULT-VALUE}).")
  double requestTimeout;

  @Option(
      names = "--setup-timeout",
      paramLabel = "SECONDS",
      defaultValue = "600",
      description = "Bound on the whole set-up phase (default: ${DEFAULT-VALUE}).")
  double setupTimeout;

  @Option(
      names = "--event-loops",
      paramLabel = "N",
      defaultValue = "1",
      description = "Event loops of the bench client (default: ${DEFAULT-VALUE}).")
  int eventLoops;

  @Option(
      names = "--seed",
      paramLabel = "N",
      defaultValue = "42",
      description = "Seed of the skill and query generators (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--server-pid",
      paramLabel = "PID",
      description = "Sample this local server process's VmRSS/VmHWM and CPU from /proc.")
  long serverPid;

  @Option(
      names = "--db-pid",
      paramLabel = "PID",
      description =
          "Sample the CPU of this local Postgres postmaster and its backends (the"
              + " embedded server's pid is the first line of <data-dir>/pg/postmaster.pid).")
  long databasePid;

  @Mixin ReportFlags report;

  /** A command whose flags picocli fills in. */
  public MarketBenchCommand() {
    super("market-bench");
  }

  /** Runs {@code agentchat market-bench} on its own. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new MarketBenchCommand()).execute(args));
  }

  @Override
  public Integer call() throws InterruptedException {
    return measure(report, progress -> MarketBenchRun.run(options(), progress));
  }

  MarketBenchOptions options() {
    return new MarketBenchOptions()
        .server(url)
        .scenario(scenario(scenario))
        .skills(skills)
        .agents(agents)
        .skipSetup(skipSetup)
        .searchers(searchers)
        .concurrency(concurrency)
        .pairs(pairs)
        .rounds(rounds)
        .duration(seconds(duration, "--duration"))
        .warmup(seconds(warmup, "--warmup"))
        .setupConcurrency(setupConcurrency)
        .requestTimeout(seconds(requestTimeout, "--request-timeout"))
        .setupTimeout(seconds(setupTimeout, "--setup-timeout"))
        .eventLoops(eventLoops)
        .seed(seed)
        .serverPid(serverPid)
        .databasePid(databasePid);
  }

  private static MarketBenchOptions.Scenario scenario(String value) {
    try {
      return MarketBenchOptions.Scenario.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--scenario must be search, proposals or completions, got " + value);
    }
  }
}
