package io.agentchat.relay;

import java.time.Duration;

/**
 * Everything an operator can tune about a relay, with the defaults {@code agentchat serve} uses.
 * Limits are named here, each with a flag in the CLI, so nothing in the server buffers or accepts
 * without a bound. Mutable builder-style setters; not thread-safe, copy before sharing.
 */
public final class RelayOptions {
  /** Default listening port (the reference's). */
  public static final int DEFAULT_PORT = 6667;

  /** Default bind address: loopback only; expose with {@code --host 0.0.0.0}. */
  public static final String DEFAULT_HOST = "127.0.0.1";

  /** Default server name shown in WELCOME. */
  public static final String DEFAULT_NAME = "agentchat";

  /** Replay depth per channel as {@code agentchat serve} sets it. */
  public static final int DEFAULT_BUFFER_SIZE = 20;

  /** Sustained MSG rate per connection, messages per second. */
  public static final double DEFAULT_MSG_RATE = 1.0;

  /** MSG burst per connection. */
  public static final int DEFAULT_MSG_BURST = 10;

  /** Largest WebSocket message accepted; bigger ones close the connection with 1009. */
  public static final int DEFAULT_MAX_FRAME_BYTES = 2 * 1024 * 1024;

  /** Frames allowed per connection in any 10 s window after login (the reference's cap). */
  public static final int DEFAULT_FRAME_WINDOW_LIMIT = 60;

  /** Frames allowed in any 10 s window before login; more closes the connection (1008). */
  public static final int DEFAULT_PRE_AUTH_FRAME_LIMIT = 10;

  /** Bytes queued toward one reader before it is cut off as a slow consumer. */
  public static final int DEFAULT_MAX_OUTBOUND_BYTES = 4 * 1024 * 1024;

  /** Channels that may exist at once (built-in ones included). */
  public static final int DEFAULT_MAX_CHANNELS = 1000;

  /** Open connections allowed from one IP address; 0 for no cap (the reference's default). */
  public static final int DEFAULT_MAX_CONNECTIONS_PER_IP = 0;

  /** How long a login challenge may go unanswered (the reference's CHALLENGE_TIMEOUT_MS). */
  public static final long DEFAULT_CHALLENGE_TIMEOUT_SECONDS = 60;

  /** How long a peer verification (VERIFY_REQUEST) waits for the target's answer. */
  public static final long DEFAULT_VERIFICATION_TIMEOUT_SECONDS = 30;

  /** The longest a login or a peer verification may be left waiting. */
  private static final Duration MAX_WAIT = Duration.ofDays(1);

  /** How long {@code /health} waits for the other parts' report before calling them unknown. */
  public static final long HEALTH_TIMEOUT_MS = 2_000;

  /** About 25,000 receipts in one import; larger files are split by the client. */
  public static final int DEFAULT_MAX_API_BODY_BYTES = 64 * 1024 * 1024;

  private int port = DEFAULT_PORT;
  private String host = DEFAULT_HOST;
  private String name = DEFAULT_NAME;
  private int bufferSize = DEFAULT_BUFFER_SIZE;
  private double msgRate = DEFAULT_MSG_RATE;
  private int msgBurst = DEFAULT_MSG_BURST;
  private int maxFrameBytes = DEFAULT_MAX_FRAME_BYTES;
  private int frameWindowLimit = DEFAULT_FRAME_WINDOW_LIMIT;
  private int preAuthFrameLimit = DEFAULT_PRE_AUTH_FRAME_LIMIT;
  private int maxOutboundBytes = DEFAULT_MAX_OUTBOUND_BYTES;
  private int maxChannels = DEFAULT_MAX_CHANNELS;
  private int maxConnectionsPerIp = DEFAULT_MAX_CONNECTIONS_PER_IP;
  private boolean logMessages;
  private String certPath;
  private String keyPath;
  private int eventLoops = Math.max(1, Runtime.getRuntime().availableProcessors());
  private Duration challengeTimeout = Duration.ofSeconds(DEFAULT_CHALLENGE_TIMEOUT_SECONDS);
  private Duration maxClockSkew = Duration.ofMinutes(5);
  private Duration heartbeatInterval = Duration.ofSeconds(30);
  private Duration verifyRequestTimeout = Duration.ofSeconds(DEFAULT_VERIFICATION_TIMEOUT_SECONDS);
  private HealthSource healthSource;
  private HttpApi httpApi;
  private int maxApiBodyBytes = DEFAULT_MAX_API_BODY_BYTES;
  private Duration nickInterval = Duration.ofSeconds(30);

  /** A copy, so a running server never sees later changes. */
  public RelayOptions copy() {
    RelayOptions o = new RelayOptions();
    o.port = port;
    o.host = host;
    o.name = name;
    o.bufferSize = bufferSize;
    o.msgRate = msgRate;
    o.msgBurst = msgBurst;
    o.maxFrameBytes = maxFrameBytes;
    o.frameWindowLimit = frameWindowLimit;
    o.preAuthFrameLimit = preAuthFrameLimit;
    o.maxOutboundBytes = maxOutboundBytes;
    o.maxChannels = maxChannels;
    o.maxConnectionsPerIp = maxConnectionsPerIp;
    o.logMessages = logMessages;
    o.certPath = certPath;
    o.keyPath = keyPath;
    o.eventLoops = eventLoops;
    o.challengeTimeout = challengeTimeout;
    o.maxClockSkew = maxClockSkew;
    o.heartbeatInterval = heartbeatInterval;
    o.verifyRequestTimeout = verifyRequestTimeout;
    o.healthSource = healthSource;
    o.httpApi = httpApi;
    o.maxApiBodyBytes = maxApiBodyBytes;
    o.nickInterval = nickInterval;
    return o;
  }

  /**
   * Checks the options together.
   *
   * @throws IllegalArgumentException with a message an operator can act on
   */
  public void validate() {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("--port must be 0-65535, got " + port);
    }
    if (maxApiBodyBytes < 1) {
      throw new IllegalArgumentException("the HTTP API's body limit must be positive");
    }
    if (bufferSize < 0) {
      throw new IllegalArgumentException("--buffer-size must be 0 or more");
    }
    if (!(msgRate > 0)) {
      throw new IllegalArgumentException("--msg-rate must be greater than 0");
    }
    if (msgBurst < 1) {
      throw new IllegalArgumentException("--msg-burst must be at least 1");
    }
    if (maxFrameBytes < 1024) {
      throw new IllegalArgumentException("--max-frame-bytes must be at least 1024");
    }
    if (frameWindowLimit < 1 || preAuthFrameLimit < 1) {
      throw new IllegalArgumentException("frame window limits must be at least 1");
    }
    if (maxOutboundBytes < 64 * 1024) {
      throw new IllegalArgumentException("--max-outbound-bytes must be at least 65536");
    }
    if (maxConnectionsPerIp < 0) {
      throw new IllegalArgumentException("--max-connections-per-ip must be 0 (no cap) or more");
    }
    if ((certPath == null) != (keyPath == null)) {
      throw new IllegalArgumentException("--cert and --key go together: give both or neither");
    }
    if (eventLoops < 1) {
      throw new IllegalArgumentException("event loops must be at least 1");
    }
    if (challengeTimeout.toMillis() < 1 || challengeTimeout.compareTo(MAX_WAIT) > 0) {
      throw new IllegalArgumentException("--challenge-timeout must be positive and at most 1 day");
    }
    if (verifyRequestTimeout.toMillis() < 1 || verifyRequestTimeout.compareTo(MAX_WAIT) > 0) {
      throw new IllegalArgumentException(
          "--verification-timeout must be positive and at most 1 day");
    }
  }

  public int port() {
    return port;
  }

  public RelayOptions port(int v) {
    port = v;
    return this;
  }

  public String host() {
    return host;
  }

  public RelayOptions host(String v) {
    host = v;
    return this;
  }

  public String name() {
    return name;
  }

  public RelayOptions name(String v) {
    name = v;
    return this;
  }

  public int bufferSize() {
    return bufferSize;
  }

  public RelayOptions bufferSize(int v) {
    bufferSize = v;
    return this;
  }

  public double msgRate() {
    return msgRate;
  }

  public RelayOptions msgRate(double v) {
    msgRate = v;
    return this;
  }

  public int msgBurst() {
    return msgBurst;
  }

  public RelayOptions msgBurst(int v) {
    msgBurst = v;
    return this;
  }

  public int maxFrameBytes() {
    return maxFrameBytes;
  }

  public RelayOptions maxFrameBytes(int v) {
    maxFrameBytes = v;
    return this;
  }

  public int frameWindowLimit() {
    return frameWindowLimit;
  }

  public RelayOptions frameWindowLimit(int v) {
    frameWindowLimit = v;
    return this;
  }

  public int preAuthFrameLimit() {
    return preAuthFrameLimit;
  }

  public RelayOptions preAuthFrameLimit(int v) {
    preAuthFrameLimit = v;
    return this;
  }

  public int maxOutboundBytes() {
    return maxOutboundBytes;
  }

  public RelayOptions maxOutboundBytes(int v) {
    maxOutboundBytes = v;
    return this;
  }

  public int maxChannels() {
    return maxChannels;
  }

  public RelayOptions maxChannels(int v) {
    maxChannels = v;
    return this;
  }

  public int maxConnectionsPerIp() {
    return maxConnectionsPerIp;
  }

  public RelayOptions maxConnectionsPerIp(int v) {
    maxConnectionsPerIp = v;
    return this;
  }

  public boolean logMessages() {
    return logMessages;
  }

  public RelayOptions logMessages(boolean v) {
    logMessages = v;
    return this;
  }

  public String certPath() {
    return certPath;
  }

  public RelayOptions certPath(String v) {
    certPath = v;
    return this;
  }

  public String keyPath() {
    return keyPath;
  }

  public RelayOptions keyPath(String v) {
    keyPath = v;
    return this;
  }

  public int eventLoops() {
    return eventLoops;
  }

  public RelayOptions eventLoops(int v) {
    eventLoops = v;
    return this;
  }

  public Duration challengeTimeout() {
    return challengeTimeout;
  }

  public RelayOptions challengeTimeout(Duration v) {
    challengeTimeout = v;
    return this;
  }

  public Duration maxClockSkew() {
    return maxClockSkew;
  }

  public RelayOptions maxClockSkew(Duration v) {
    maxClockSkew = v;
    return this;
  }

  public Duration heartbeatInterval() {
    return heartbeatInterval;
  }

  public RelayOptions heartbeatInterval(Duration v) {
    heartbeatInterval = v;
    return this;
  }

  public Duration verifyRequestTimeout() {
    return verifyRequestTimeout;
  }

  public RelayOptions verifyRequestTimeout(Duration v) {
    verifyRequestTimeout = v;
    return this;
  }

  /**
   * The server's other parts, for {@code /health}; null when the relay runs alone (then it is
   * healthy as soon as it listens).
   */
  public HealthSource healthSource() {
    return healthSource;
  }

  public RelayOptions healthSource(HealthSource v) {
    healthSource = v;
    return this;
  }

  /** The public HTTP API under {@code /v1/}, or null when the relay serves none (404). */
  public HttpApi httpApi() {
    return httpApi;
  }

  public RelayOptions httpApi(HttpApi v) {
    httpApi = v;
    return this;
  }

  /** The largest request body the HTTP API takes (a receipts import); larger gets a 413. */
  public int maxApiBodyBytes() {
    return maxApiBodyBytes;
  }

  public RelayOptions maxApiBodyBytes(int v) {
    maxApiBodyBytes = v;
    return this;
  }

  public Duration nickInterval() {
    return nickInterval;
  }

  public RelayOptions nickInterval(Duration v) {
    nickInterval = v;
    return this;
  }
}
