package io.agentchat.cli;

import io.agentchat.identity.AgentKey;
import io.agentchat.marketplace.MarketplaceOptions;
import io.agentchat.marketplace.db.DatabaseAddress;
import io.agentchat.marketplace.db.DatabaseConfig;
import io.agentchat.relay.RelayOptions;
import io.agentchat.reputation.Reputation;
import io.agentchat.reputation.ReputationOptions;
import io.agentchat.server.AgentChatServer;
import io.agentchat.server.ServerConfig;
import io.agentchat.wallet.Currencies;
import io.agentchat.wallet.CurrencySettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code agentchat serve}: runs an {@link AgentChatServer} (the relay, the database and the
 * marketplace behind it) until the process is told to stop (SIGTERM or Ctrl-C), then closes every
 * socket with a close frame, stops the marketplace (and its embedded database) and exits 0. Prints
 * the relay's URL on stdout once the relay runs and the marketplace's first start has succeeded or
 * failed; everything else is logged as JSON lines on stderr. A marketplace that cannot start is
 * retried every 5 s while the chat works.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Run a relay server with the skills and proposals marketplace.")
final class ServeCommand extends AgentChatBaseCommand {
  private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);
  private static final long START_WAIT_SECONDS = 30;
  private static final long STOP_WAIT_SECONDS = 10;

  /** How long the URL waits for the marketplace's first start (initdb runs on first use). */
  private static final long MARKETPLACE_FIRST_WAIT_SECONDS = 90;

  private static final String DB_URL_ENV = "AGENTCHAT_DB_URL";

  private static final String DURATION_HELP = "A bare number is seconds; or 500ms, 1.5s, 2m.";
  private static final DurationConverter DURATIONS = new DurationConverter();

  @Option(
      names = {"-p", "--port"},
      paramLabel = "PORT",
      defaultValue = "" + RelayOptions.DEFAULT_PORT,
      description = "Port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = {"-H", "--host"},
      paramLabel = "HOST",
      defaultValue = RelayOptions.DEFAULT_HOST,
      description = "Address to bind; 0.0.0.0 for every interface (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = {"-n", "--name"},
      paramLabel = "NAME",
      defaultValue = RelayOptions.DEFAULT_NAME,
      description = "Server name sent in WELCOME (default: ${DEFAULT-VALUE}).")
  String serverName;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      defaultValue = "${sys:user.home}/.agentchat/server",
      description = "Directory for server data, created if missing (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(
      names = "--db",
      paramLabel = "URL",
      description =
          "Marketplace database, postgresql://user:password@host:port/db (default: $"
              + DB_URL_ENV
              + ", else an embedded Postgres kept in <data-dir>/pg).")
  String databaseUrl;

  @Option(
      names = "--min-proposal-age",
      paramLabel = "DURATION",
      defaultValue = "60s",
      description =
          "How long an accepted proposal must wait before it can be completed;"
              + " 0 disables (default: ${DEFAULT-VALUE}). "
              + DURATION_HELP)
  String minProposalAge;

  @Option(
      names = "--dispute-window",
      paramLabel = "SECONDS",
      defaultValue = "259200",
      description =
          "How long the other party of a dispute has to contest it with its own DISPUTE (then"
              + " both are at fault); an uncontested dispute settles in the disputer's favour when"
              + " the window closes. 0 settles at once, as the reference does"
              + " (default: ${DEFAULT-VALUE}, three days). "
              + DURATION_HELP)
  String disputeWindow;

  @Option(
      names = "--trust-server",
      paramLabel = "PEM_FILE",
      description =
          "Public key (PEM file) of a server whose receipts an import counts in ratings;"
              + " repeatable. Receipts of other servers are kept as history only.")
  List<Path> trustedServers = new ArrayList<>();

  @Option(
      names = "--max-skills",
      paramLabel = "N",
      defaultValue = "" + MarketplaceOptions.DEFAULT_MAX_SKILLS,
      description =
          "Skills all agents may register together; search keeps them in memory"
              + " (default: ${DEFAULT-VALUE}).")
  int maxSkills;

  @Option(
      names = "--max-pending-to-unknown",
      paramLabel = "N",
      defaultValue = "" + MarketplaceOptions.DEFAULT_MAX_PENDING_TO_UNSEEN,
      description =
          "Pending proposals one agent may hold for agents this server has never seen; they are"
              + " handed over at that agent's first login (default: ${DEFAULT-VALUE}).")
  int maxPendingToUnknown;

  @Option(
      names = "--challenge-timeout",
      paramLabel = "DURATION",
      defaultValue = RelayOptions.DEFAULT_CHALLENGE_TIMEOUT_SECONDS + "s",
      description =
          "How long a login challenge may go unanswered (default: ${DEFAULT-VALUE}). "
              + DURATION_HELP)
  String challengeTimeout;

  @Option(
      names = "--verification-timeout",
      paramLabel = "DURATION",
      defaultValue = RelayOptions.DEFAULT_VERIFICATION_TIMEOUT_SECONDS + "s",
      description =
          "How long a peer verification waits for the target's answer"
              + " (default: ${DEFAULT-VALUE}). "
              + DURATION_HELP)
  String verificationTimeout;

  @Option(
      names = "--buffer-size",
      paramLabel = "N",
      defaultValue = "" + RelayOptions.DEFAULT_BUFFER_SIZE,
      description = "Messages replayed per channel on join (default: ${DEFAULT-VALUE}).")
  int bufferSize;

  @Option(
      names = "--msg-rate",
      paramLabel = "PER_S",
      defaultValue = "" + RelayOptions.DEFAULT_MSG_RATE,
      description = "Sustained messages per second per connection (default: ${DEFAULT-VALUE}).")
  double msgRate;

  @Option(
      names = "--msg-burst",
      paramLabel = "N",
      defaultValue = "" + RelayOptions.DEFAULT_MSG_BURST,
      description = "Message burst per connection (default: ${DEFAULT-VALUE}).")
  int msgBurst;

  @Option(
      names = "--frame-limit",
      paramLabel = "N",
      defaultValue = "" + RelayOptions.DEFAULT_FRAME_WINDOW_LIMIT,
      description = "Frames per 10 s per connection after login (default: ${DEFAULT-VALUE}).")
  int frameLimit;

  @Option(
      names = "--max-frame-bytes",
      paramLabel = "BYTES",
      defaultValue = "" + RelayOptions.DEFAULT_MAX_FRAME_BYTES,
      description = "Largest WebSocket message accepted (default: ${DEFAULT-VALUE}).")
  int maxFrameBytes;

  @Option(
      names = "--max-outbound-bytes",
      paramLabel = "BYTES",
      defaultValue = "" + RelayOptions.DEFAULT_MAX_OUTBOUND_BYTES,
      description =
          "Bytes queued toward one slow reader before it is cut off"
              + " (default: ${DEFAULT-VALUE}).")
  int maxOutboundBytes;

  @Option(
      names = "--max-channels",
      paramLabel = "N",
      defaultValue = "" + RelayOptions.DEFAULT_MAX_CHANNELS,
      description = "Channels that may exist at once (default: ${DEFAULT-VALUE}).")
  int maxChannels;

  @Option(
      names = "--max-connections-per-ip",
      paramLabel = "N",
      defaultValue = "" + RelayOptions.DEFAULT_MAX_CONNECTIONS_PER_IP,
      description =
          "Open connections allowed from one IP address; 0 for no cap"
              + " (default: ${DEFAULT-VALUE}). Counts the socket's address, not X-Forwarded-For.")
  int maxConnectionsPerIp;

  @Option(
      names = "--log-messages",
      description = "Log the content of every message (off by default: content is never logged).")
  boolean logMessages;

  @Option(names = "--cert", paramLabel = "PEM", description = "TLS certificate (with --key: wss).")
  String cert;

  @Option(names = "--key", paramLabel = "PEM", description = "TLS private key (with --cert).")
  String key;

  @Option(
      names = "--test-faucet",
      paramLabel = "AMOUNT",
      description =
          "TEST each new agent's ledger account starts with, for development (default: 0).")
  String testFaucet;

  @Option(
      names = "--evm-rpc",
      paramLabel = "URL",
      description = "JSON-RPC URL of an EVM chain: proposals in its coin and tokens are checked.")
  String evmRpc;

  @Option(
      names = "--evm-chain-id",
      paramLabel = "N",
      description = "The chain id the --evm-rpc node must report (required with --evm-rpc).")
  String evmChainId;

  @Option(
      names = "--evm-native",
      paramLabel = "CODE",
      description = "Currency code of the chain's native coin, 18 decimals (default: ETH).")
  String evmNative;

  @Option(
      names = "--evm-token",
      paramLabel = "CODE=ADDRESS:DECIMALS",
      description = "An ERC-20 token to accept, e.g. USDC=0xA0b8…eB48:6 (repeatable).")
  List<String> evmTokens = new ArrayList<>();

  @Option(
      names = "--evm-confirmations",
      paramLabel = "N",
      description = "Blocks a payment needs before it verifies (default: 1).")
  String evmConfirmations;

  @Option(
      names = "--evm-timeout",
      paramLabel = "DURATION",
      description =
          "Longest wait for the chain's RPC per payment check (default: 10s). " + DURATION_HELP)
  String evmTimeout;

  @Option(
      names = "--currency-config",
      paramLabel = "FILE",
      description =
          "Currency settings as a properties file (test.faucet, evm.rpc, evm.chain-id, evm.tokens,"
              + " … and third-party adapters' keys); flags override it.")
  Path currencyConfig;

  @Option(
      names = "--currency-setting",
      paramLabel = "KEY=VALUE",
      description = "One currency setting, for adapters without a flag of their own (repeatable).")
  List<String> currencySettings = new ArrayList<>();

  @Option(
      names = "--event-loops",
      paramLabel = "N",
      description = "Event-loop threads (default: number of processors, here ${DEFAULT-VALUE}).")
  int eventLoops = Runtime.getRuntime().availableProcessors();

  @Override
  protected int run() throws Exception {
    RelayOptions options =
        new RelayOptions()
            .port(port)
            .host(host)
            .name(serverName)
            .bufferSize(bufferSize)
            .msgRate(msgRate)
            .msgBurst(msgBurst)
            .frameWindowLimit(frameLimit)
            .maxFrameBytes(maxFrameBytes)
            .maxOutboundBytes(maxOutboundBytes)
            .maxChannels(maxChannels)
            .maxConnectionsPerIp(maxConnectionsPerIp)
            .logMessages(logMessages)
            .certPath(cert)
            .keyPath(key)
            .eventLoops(eventLoops)
            .challengeTimeout(duration("--challenge-timeout", challengeTimeout))
            .verifyRequestTimeout(duration("--verification-timeout", verificationTimeout));
    try {
      options.validate();
    } catch (IllegalArgumentException e) {
      throw CommandExit.badInput(e.getMessage());
    }
    String dbUrl = databaseUrl != null ? databaseUrl : System.getenv(DB_URL_ENV);
    DatabaseConfig database = databaseConfig(dbUrl);
    MarketplaceOptions marketplaceOptions = marketplaceOptions();
    Map<String, String> currencySettings = currencySettings();

    // Native epoll where Netty can load it (it costs less per socket write); NIO elsewhere. The
    // relay logs which one it got.
    Vertx vertx =
        Vertx.vertx(
            new VertxOptions().setEventLoopPoolSize(eventLoops).setPreferNativeTransport(true));
    Currencies currencies;
    Reputation reputation;
    try {
      currencies = Currencies.load(new CurrencySettings(vertx, currencySettings));
      prepareDataDir();
      reputation =
          Reputation.create(new ReputationOptions(dataDir, serverName, trustedServerKeys()));
    } catch (IllegalArgumentException e) {
      awaitQuietly("vert.x", vertx::close);
      throw CommandExit.badInput(asFlags(e.getMessage()));
    } catch (RuntimeException e) {
      awaitQuietly("vert.x", vertx::close);
      throw e;
    }
    // Currencies first: the payment a COMPLETE settles reaches the receipt reputation writes.
    marketplaceOptions
        .settlements(List.of(currencies.settlement(), reputation.settlement()))
        .standings(reputation.standings());
    AgentChatServer server;
    try {
      server =
          AgentChatServer.start(
                  vertx,
                  new ServerConfig(
                      options,
                      database,
                      marketplaceOptions,
                      ServerConfig.DEFAULT_RETRY,
                      passwordOf(dbUrl),
                      reputation,
                      currencies))
              .await(START_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      awaitQuietly("vert.x", vertx::close);
      throw CommandExit.failure(
          e instanceof TimeoutException
              ? "The relay did not start within " + START_WAIT_SECONDS + " s"
              : e.getMessage());
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server, vertx), "agentchat-stop"));
    try {
      server.firstAttempt().await(MARKETPLACE_FIRST_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      log.warn("the marketplace is still starting; chat is available");
    }
    out().println(server.url());
    out().flush();
    // Runs until a signal starts the JVM's shutdown; the hook does the rest.
    new CountDownLatch(1).await();
    return OK;
  }

  /** The currency settings: the config file's, then the flags' over them. */
  private Map<String, String> currencySettings() {
    Map<String, String> settings = new LinkedHashMap<>();
    if (currencyConfig != null) {
      Properties file = new Properties();
      try (Reader in = Files.newBufferedReader(currencyConfig, StandardCharsets.UTF_8)) {
        file.load(in);
      } catch (IOException e) {
        throw CommandExit.badInput(
            "--currency-config " + currencyConfig + ": cannot read it (" + e.getMessage() + ")");
      }
      file.stringPropertyNames().forEach(k -> settings.put(k, file.getProperty(k)));
    }
    for (String pair : currencySettings) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw CommandExit.badInput("--currency-setting must be KEY=VALUE, not \"" + pair + "\"");
      }
      settings.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
    }
    flag(settings, "test.faucet", "--test-faucet", testFaucet);
    flag(settings, "evm.rpc", "--evm-rpc", evmRpc);
    flag(settings, "evm.chain-id", "--evm-chain-id", evmChainId);
    flag(settings, "evm.native", "--evm-native", evmNative);
    flag(settings, "evm.confirmations", "--evm-confirmations", evmConfirmations);
    flag(
        settings,
        "evm.tokens",
        "--evm-token",
        evmTokens.isEmpty() ? null : String.join(",", evmTokens));
    flag(
        settings,
        "evm.timeout-ms",
        "--evm-timeout",
        evmTimeout == null ? null : "" + duration("--evm-timeout", evmTimeout).toMillis());
    return settings;
  }

  /** The flags that set currency settings on this run, by setting key. */
  private final Map<String, String> flagOfSetting = new LinkedHashMap<>();

  private void flag(Map<String, String> settings, String key, String flag, String value) {
    if (value != null) {
      settings.put(key, value);
      flagOfSetting.put(key, flag);
    }
  }

  /**
   * An adapter's message about a setting, naming the flag when the user typed one (a key from the
   * config file or --currency-setting is named as it is).
   */
  private String asFlags(String message) {
    for (Map.Entry<String, String> e : flagOfSetting.entrySet()) {
      if (message.startsWith(e.getKey() + " ")) {
        return e.getValue() + " (" + e.getKey() + ")" + message.substring(e.getKey().length());
      }
    }
    return message;
  }

  /** The keys of {@code --trust-server}, each a readable Ed25519 public key PEM. */
  private List<String> trustedServerKeys() {
    List<String> keys = new ArrayList<>();
    for (Path file : trustedServers) {
      String pem;
      try {
        pem = Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw CommandExit.badInput(
            "--trust-server " + file + ": cannot read it (" + e.getMessage() + ")");
      }
      try {
        AgentKey.fromPem(pem);
      } catch (RuntimeException e) {
        throw CommandExit.badInput(
            "--trust-server " + file + ": not an Ed25519 public key PEM (" + e.getMessage() + ")");
      }
      keys.add(pem);
    }
    return keys;
  }

  private DatabaseConfig databaseConfig(String dbUrl) {
    DatabaseConfig database;
    if (dbUrl == null || dbUrl.isBlank()) {
      database = DatabaseConfig.embedded(dataDir);
    } else {
      try {
        DatabaseAddress.parse(dbUrl);
      } catch (IllegalArgumentException e) {
        // The parser's messages never include the password.
        throw CommandExit.badInput("Invalid database URL: " + e.getMessage());
      }
      database = DatabaseConfig.external(dbUrl);
    }
    return database;
  }

  private MarketplaceOptions marketplaceOptions() {
    Duration minAge = duration("--min-proposal-age", minProposalAge);
    Duration window = duration("--dispute-window", disputeWindow);
    MarketplaceOptions options;
    // Checked here, as the relay's are: the marketplace retries its start, and bad flags would
    // only be retried forever.
    try {
      options =
          new MarketplaceOptions()
              .minProposalAge(minAge)
              .disputeWindow(window)
              .maxSkills(maxSkills)
              .maxPendingToUnseen(maxPendingToUnknown);
      options.validate();
    } catch (IllegalArgumentException e) {
      throw CommandExit.badInput(e.getMessage());
    }
    return options;
  }

  /**
   * Reads a duration flag. Converted here rather than by picocli, so that a bad value reports as
   * every other bad flag value of serve does: one line and exit code 2, not a parse error followed
   * by the whole usage.
   */
  private static Duration duration(String flag, String value) {
    try {
      return DURATIONS.convert(value);
    } catch (TypeConversionException e) {
      throw CommandExit.badInput(flag + " " + e.getMessage());
    }
  }

  private static String passwordOf(String dbUrl) {
    return dbUrl == null || dbUrl.isBlank() ? null : DatabaseAddress.parse(dbUrl).password();
  }

  private void prepareDataDir() {
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw CommandExit.failure("Cannot create data directory " + dataDir + ": " + e.getMessage());
    }
    log.info("data directory {}", dataDir.toAbsolutePath());
  }

  /**
   * Closes every socket with a close frame, then the marketplace (stopping an embedded database),
   * then Vert.x, each within a bound. Stopping on SIGTERM or Ctrl-C is how a server is meant to
   * end, so the process reports success (0) instead of the JVM's 128+signal; a stop that fails or
   * hangs reports 1.
   */
  private static void stop(AgentChatServer server, Vertx vertx) {
    boolean clean = awaitQuietly("server", server::close);
    clean &= awaitQuietly("vert.x", vertx::close);
    System.out.flush();
    System.err.flush();
    Runtime.getRuntime().halt(clean ? OK : FAILURE);
  }

  private static boolean awaitQuietly(String what, Supplier<Future<?>> closing) {
    try {
      closing.get().await(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
      return true;
    } catch (Throwable e) {
      log.warn("Stopping {} failed: {}", what, e.toString());
      return false;
    }
  }
}
