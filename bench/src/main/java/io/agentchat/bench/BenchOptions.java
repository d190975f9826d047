package io.agentchat.bench;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Everything a bench run needs: the server address, the load shape and the bounds that make every
 * phase stop by itself. Builder-style setters with the defaults of {@code agentchat bench}; not
 * thread-safe, the run reads it once before starting.
 */
public final class BenchOptions {
  /** How each connection logs in. */
  public enum Identity {
    /** IDENTIFY without a key: WELCOME at once. */
    EPHEMERAL,
    /** A fresh Ed25519 key per connection, answering the CHALLENGE with a signature. */
    ED25519
  }

  public static final int DEFAULT_CONNECTIONS = 100;
  public static final String DEFAULT_CHANNEL = "#bench";
  public static final double DEFAULT_RATE = 50;
  public static final int DEFAULT_MAX_PENDING_LOGINS = 200;
  public static final int DEFAULT_TICK_MS = 1;

  private static final Pattern CHANNEL = Pattern.compile("#[A-Za-z0-9_-]{1,31}");

  private URI server;
  private int connections = DEFAULT_CONNECTIONS;
  private Identity identity = Identity.EPHEMERAL;
  private double connectRate;
  private int maxPendingLogins = DEFAULT_MAX_PENDING_LOGINS;
  private Integer members;
  private Integer senders;
  private String channel = DEFAULT_CHANNEL;
  private double rate = DEFAULT_RATE;
  private Duration warmup = Duration.ofSeconds(2);
  private Duration duration = Duration.ofSeconds(10);
  private Duration drain = Duration.ofSeconds(5);
  private Duration hold = Duration.ZERO;
  private Duration loginTimeout = Duration.ofSeconds(30);
  private Duration setupTimeout = Duration.ofSeconds(300);
  private int tickMs = DEFAULT_TICK_MS;
  private int eventLoops = 1;
  private long serverPid;
  private boolean insecure;

  /**
   * Checks the options together and fills the defaults that depend on others (members default to
   * all connections, senders to all members).
   *
   * @throws IllegalArgumentException with a message naming the flag to fix
   */
  public void validate() {
    if (server == null) {
      throw new IllegalArgumentException("a server URL is required, e.g. ws://127.0.0.1:6667");
    }
    String scheme = server.getScheme();
    if (!"ws".equals(scheme) && !"wss".equals(scheme)) {
      throw new IllegalArgumentException("server URL must start with ws:// or wss://: " + server);
    }
    if (server.getHost() == null) {
      throw new IllegalArgumentException("server URL has no host: " + server);
    }
    if (connections < 1) {
      throw new IllegalArgumentException("--connections must be at least 1");
    }
    if (members == null) {
      members = connections;
    }
    if (members < 0 || members > connections) {
      throw new IllegalArgumentException("--members must be 0.." + connections);
    }
    if (senders == null) {
      senders = members;
    }
    if (senders < 0 || senders > members) {
      throw new IllegalArgumentException(
          "--senders must be 0.." + members + " (senders are members)");
    }
    if (!CHANNEL.matcher(channel).matches()) {
      throw new IllegalArgumentException(
          "--channel must be '#' followed by 1-31 of [A-Za-z0-9_-], got " + channel);
    }
    if (rate < 0 || connectRate < 0) {
      throw new IllegalArgumentException("--rate and --connect-rate must not be negative");
    }
    if (rate > 0 && senders == 0) {
      throw new IllegalArgumentException(
          "--rate > 0 needs at least one sender (--senders, --members)");
    }
    if (maxPendingLogins < 1) {
      throw new IllegalArgumentException("--max-pending-logins must be at least 1");
    }
    if (eventLoops < 1) {
      throw new IllegalArgumentException("--event-loops must be at least 1");
    }
    if (tickMs < 1 || tickMs > 1000) {
      throw new IllegalArgumentException("--tick-ms must be 1..1000");
    }
    if (warmup.isNegative() || duration.isNegative() || drain.isNegative() || hold.isNegative()) {
      throw new IllegalArgumentException("durations must not be negative");
    }
    if (rate > 0 && duration.isZero()) {
      throw new IllegalArgumentException("--duration must be positive when --rate > 0");
    }
    if (loginTimeout.isZero()
        || setupTimeout.isZero()
        || loginTimeout.isNegative()
        || setupTimeout.isNegative()) {
      throw new IllegalArgumentException("--login-timeout and --setup-timeout must be positive");
    }
    if (serverPid < 0) {
      throw new IllegalArgumentException("--server-pid must be positive");
    }
  }

  /** Parses a {@code ws://} or {@code wss://} URL. */
  public static URI parseServer(String url) {
    try {
      return new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a URL: " + url);
    }
  }

  /** True when messages are sent at all (otherwise the run is an idle or login test). */
  public boolean sending() {
    return rate > 0 && senders() > 0;
  }

  public URI server() {
    return server;
  }

  public BenchOptions server(URI v) {
    server = v;
    return this;
  }

  public BenchOptions server(String url) {
    server = parseServer(url);
    return this;
  }

  public int connections() {
    return connections;
  }

  public BenchOptions connections(int v) {
    connections = v;
    return this;
  }

  public Identity identity() {
    return identity;
  }

  public BenchOptions identity(Identity v) {
    identity = v;
    return this;
  }

  /** Logins started per second across all loops; 0 = as fast as the pending cap allows. */
  public double connectRate() {
    return connectRate;
  }

  public BenchOptions connectRate(double v) {
    connectRate = v;
    return this;
  }

  public int maxPendingLogins() {
    return maxPendingLogins;
  }

  public BenchOptions maxPendingLogins(int v) {
    maxPendingLogins = v;
    return this;
  }

  public int members() {
    return members == null ? connections : members;
  }

  public BenchOptions members(int v) {
    members = v;
    return this;
  }

  public int senders() {
    return senders == null ? members() : senders;
  }

  public BenchOptions senders(int v) {
    senders = v;
    return this;
  }

  public String channel() {
    return channel;
  }

  public BenchOptions channel(String v) {
    channel = v;
    return this;
  }

  /** Aggregate MSG frames per second across all senders; 0 = idle. */
  public double rate() {
    return rate;
  }

  public BenchOptions rate(double v) {
    rate = v;
    return this;
  }

  public Duration warmup() {
    return warmup;
  }

  public BenchOptions warmup(Duration v) {
    warmup = v;
    return this;
  }

  public Duration duration() {
    return duration;
  }

  public BenchOptions duration(Duration v) {
    duration = v;
    return this;
  }

  /** How long to wait after the window for deliveries still in flight. */
  public Duration drain() {
    return drain;
  }

  public BenchOptions drain(Duration v) {
    drain = v;
    return this;
  }

  public Duration hold() {
    return hold;
  }

  public BenchOptions hold(Duration v) {
    hold = v;
    return this;
  }

  public Duration loginTimeout() {
    return loginTimeout;
  }

  public BenchOptions loginTimeout(Duration v) {
    loginTimeout = v;
    return this;
  }

  /** Bound on the whole login phase and on the whole join phase. */
  public Duration setupTimeout() {
    return setupTimeout;
  }

  public BenchOptions setupTimeout(Duration v) {
    setupTimeout = v;
    return this;
  }

  public int tickMs() {
    return tickMs;
  }

  public BenchOptions tickMs(int v) {
    tickMs = v;
    return this;
  }

  public int eventLoops() {
    return eventLoops;
  }

  public BenchOptions eventLoops(int v) {
    eventLoops = v;
    return this;
  }

  /** The server's process id for RSS and CPU sampling; 0 = none. */
  public long serverPid() {
    return serverPid;
  }

  public BenchOptions serverPid(long v) {
    serverPid = v;
    return this;
  }

  /** Trust any TLS certificate (wss:// to a self-signed loopback server). */
  public boolean insecure() {
    return insecure;
  }

  public BenchOptions insecure(boolean v) {
    insecure = v;
    return this;
  }
}
