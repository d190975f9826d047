package io.agentchat.marketbench;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;

/**
 * Everything a marketplace bench run needs: the server, the scenario, its load shape and the bounds
 * that make every phase end by itself. Builder-style setters carry the defaults of {@code agentchat
 * market-bench}; not thread-safe, the run reads it once before it starts.
 */
public final class MarketBenchOptions {
  /** What the run measures. */
  public enum Scenario {
    /** Register skills, then measure SEARCH_SKILLS → SEARCH_RESULTS latency. */
    SEARCH,
    /** Measure PROPOSAL → ACCEPT → COMPLETE round trips between pairs of keyed agents. */
    PROPOSALS,
    /**
     * Open accepted deals between keyed agents (PROPOSAL, ACCEPT), then measure COMPLETE alone:
     * completions/s and latency until both parties hold the COMPLETE.
     */
    COMPLETIONS
  }

  /** Skills one REGISTER_SKILLS may carry on this server (SPEC §7.1). */
  public static final int MAX_SKILLS_PER_REGISTRATION = 100;

  /** The search limit every query asks for. */
  public static final int SEARCH_LIMIT = 50;

  private URI server;
  private Scenario scenario = Scenario.SEARCH;
  private int skills = 100_000;
  private int agents = 1000;
  private boolean skipSetup;
  private int searchers = 8;
  private int concurrency = 1;
  private int pairs = 50;
  private int rounds = 100;
  private Duration warmup = Duration.ofSeconds(5);
  private Duration duration = Duration.ofSeconds(20);
  private int setupConcurrency = 32;
  private Duration requestTimeout = Duration.ofSeconds(10);
  private Duration setupTimeout = Duration.ofSeconds(600);
  private int eventLoops = 1;
  private long seed = 42;
  private long serverPid;
  private long databasePid;

  /**
   * Checks the options together.
   *
   * @throws IllegalArgumentException with a message naming the flag to fix
   */
  public void validate() {
    if (server == null) {
      throw new IllegalArgumentException("a server URL is required, e.g. ws://127.0.0.1:6667");
    }
    if (!"ws".equals(server.getScheme()) && !"wss".equals(server.getScheme())
        || server.getHost() == null) {
      throw new IllegalArgumentException(
          "<server-url> must be ws://host:port or wss://host:port," + " got " + server);
    }
    positive(agents, "--agents");
    positive(skills, "--skills");
    positive(searchers, "--searchers");
    positive(pairs, "--pairs");
    positive(rounds, "--rounds");
    if (scenario == Scenario.COMPLETIONS && pairs < eventLoops) {
      throw new IllegalArgumentException(
          "--pairs ("
              + pairs
              + ") must be at least --event-loops ("
              + eventLoops
              + "): each loop completes deals among its own agents");
    }
    positive(setupConcurrency, "--setup-concurrency");
    if (concurrency < 1 || concurrency > 1000) {
      throw new IllegalArgumentException("--concurrency must be 1-1000, got " + concurrency);
    }
    if (eventLoops < 1 || eventLoops > 64) {
      throw new IllegalArgumentException("--event-loops must be 1-64, got " + eventLoops);
    }
    if (scenario == Scenario.SEARCH && !skipSetup) {
      if (agents > skills) {
        throw new IllegalArgumentException(
            "--agents ("
                + agents
                + ") must not exceed --skills ("
                + skills
                + "): every agent registers at least one skill");
      }
      if (skillsPerAgent() > MAX_SKILLS_PER_REGISTRATION) {
        throw new IllegalArgumentException(
            "--skills / --agents must be at most "
                + MAX_SKILLS_PER_REGISTRATION
                + " (the server's limit per REGISTER_SKILLS); use"
                + " --agents "
                + ceilDiv(skills, MAX_SKILLS_PER_REGISTRATION)
                + " or more");
      }
    }
    if (warmup.isNegative()) {
      throw new IllegalArgumentException("--warmup must not be negative");
    }
    if (duration.isZero() || duration.isNegative()) {
      throw new IllegalArgumentException("--duration must be more than 0 seconds");
    }
    if (requestTimeout.isZero()
        || requestTimeout.isNegative()
        || setupTimeout.isZero()
        || setupTimeout.isNegative()) {
      throw new IllegalArgumentException(
          "--request-timeout and --setup-timeout must be more than 0 seconds");
    }
    if (serverPid < 0 || databasePid < 0) {
      throw new IllegalArgumentException("--server-pid and --db-pid must be positive");
    }
  }

  /** The most skills one agent registers: they are spread as evenly as possible. */
  int skillsPerAgent() {
    return ceilDiv(skills, agents);
  }

  /** How many skills agent {@code index} registers. */
  int skillsOf(int index) {
    return skills / agents + (index < skills % agents ? 1 : 0);
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }

  private static void positive(int value, String flag) {
    if (value < 1) {
      throw new IllegalArgumentException(flag + " must be at least 1, got " + value);
    }
  }

  /** Sets the server from its URL text. */
  public MarketBenchOptions server(String url) {
    try {
      server = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("invalid server URL " + url + ": " + e.getReason());
    }
    return this;
  }

  public URI server() {
    return server;
  }

  public Scenario scenario() {
    return scenario;
  }

  public MarketBenchOptions scenario(Scenario v) {
    scenario = v;
    return this;
  }

  public int skills() {
    return skills;
  }

  public MarketBenchOptions skills(int v) {
    skills = v;
    return this;
  }

  public int agents() {
    return agents;
  }

  public MarketBenchOptions agents(int v) {
    agents = v;
    return this;
  }

  /** Search an already seeded server: register nothing. */
  public boolean skipSetup() {
    return skipSetup;
  }

  public MarketBenchOptions skipSetup(boolean v) {
    skipSetup = v;
    return this;
  }

  public int searchers() {
    return searchers;
  }

  public MarketBenchOptions searchers(int v) {
    searchers = v;
    return this;
  }

  /** SEARCH_SKILLS requests each searcher keeps in flight (closed loop). */
  public int concurrency() {
    return concurrency;
  }

  public MarketBenchOptions concurrency(int v) {
    concurrency = v;
    return this;
  }

  public int pairs() {
    return pairs;
  }

  public MarketBenchOptions pairs(int v) {
    pairs = v;
    return this;
  }

  /**
   * Completions: deals each agent opens in set-up, one per round of a round robin among the {@code
   * 2 × pairs} agents of its loop; up to {@code 2 × pairs - 1} rounds every deal has a pair of its
   * own.
   */
  public int rounds() {
    return rounds;
  }

  public MarketBenchOptions rounds(int v) {
    rounds = v;
    return this;
  }

  public Duration warmup() {
    return warmup;
  }

  public MarketBenchOptions warmup(Duration v) {
    warmup = v;
    return this;
  }

  public Duration duration() {
    return duration;
  }

  public MarketBenchOptions duration(Duration v) {
    duration = v;
    return this;
  }

  /** Registrations, or pair logins, in flight at once during set-up. */
  public int setupConcurrency() {
    return setupConcurrency;
  }

  public MarketBenchOptions setupConcurrency(int v) {
    setupConcurrency = v;
    return this;
  }

  /** Bound on one login, one search, one registration and one round trip. */
  public Duration requestTimeout() {
    return requestTimeout;
  }

  public MarketBenchOptions requestTimeout(Duration v) {
    requestTimeout = v;
    return this;
  }

  /** Bound on the whole set-up phase (key generation, logins, registrations). */
  public Duration setupTimeout() {
    return setupTimeout;
  }

  public MarketBenchOptions setupTimeout(Duration v) {
    setupTimeout = v;
    return this;
  }

  public int eventLoops() {
    return eventLoops;
  }

  public MarketBenchOptions eventLoops(int v) {
    eventLoops = v;
    return this;
  }

  /** Seed of the skill and query generators, so runs are repeatable. */
  public long seed() {
    return seed;
  }

  public MarketBenchOptions seed(long v) {
    seed = v;
    return this;
  }

  /** The server's process id for RSS and CPU sampling; 0 = none. */
  public long serverPid() {
    return serverPid;
  }

  public MarketBenchOptions serverPid(long v) {
    serverPid = v;
    return this;
  }

  /** A local Postgres postmaster whose CPU (with its backends') is sampled; 0 = none. */
  public long databasePid() {
    return databasePid;
  }

  public MarketBenchOptions databasePid(long v) {
    databasePid = v;
    return this;
  }
}
