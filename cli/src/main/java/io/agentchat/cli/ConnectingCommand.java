package io.agentchat.cli;

import io.agentchat.client.AgentChatClient;
import io.agentchat.client.AgentSession;
import io.agentchat.client.RelayUrl;
import io.agentchat.client.daemon.DaemonLink;
import io.agentchat.client.daemon.DaemonPointer;
import io.agentchat.identity.Identity;
import io.agentchat.identity.IdentityFileException;
import io.agentchat.protocol.Names;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Base of the commands that talk to a relay: checks the input, loads the identity if there is one,
 * connects on a Vert.x instance of its own, runs {@link #session}, then closes everything so the
 * command can return at once.
 *
 * <p>When a daemon ({@code agentchat daemon}) holds the identity's connection to the same server,
 * the command goes through it instead of logging in a second time, which would displace the daemon:
 * same outcome, same errors, and the daemon stays connected.
 */
abstract class ConnectingCommand extends AgentChatBaseCommand {
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

  @Parameters(
      index = "0",
      paramLabel = "SERVER",
      description = "Relay URL, ws://host:port or wss://host:port.")
  String server;

  @Option(
      names = {"-i", "--identity"},
      paramLabel = "FILE",
      description =
          "Identity file to log in with (default: .agentchat/identity.json). When the"
              + " file does not exist the agent connects ephemerally (commands that sign refuse to"
              + " run); no file is created.")
  Path identityFile;

  @Option(
      names = {"-n", "--name"},
      paramLabel = "NAME",
      description = "Agent name (default: agent-<pid>). A name stored in the identity file wins.")
  String name;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "10",
      description = "How long the login and each request may take (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  /** Checks the command's own arguments before anything connects; throws {@link CommandExit}. */
  protected void validate() {}

  /** True for commands that sign with the identity: they refuse to connect without one. */
  protected boolean needsIdentity() {
    return false;
  }

  /**
   * Called with the client before it logs in, on its event loop: frame handlers set here also see
   * what the server pushes right after login.
   */
  protected void beforeLogin(AgentSession client) {}

  /**
   * The command's work on a logged-in session (a connection of its own, or the daemon's); returns
   * the exit code.
   */
  protected abstract int session(AgentSession client) throws Exception;

  @Override
  protected final int run() throws Exception {
    RelayUrl.parse(server);
    if (timeoutSeconds < 1) {
      throw CommandExit.badInput("--timeout must be at least 1 second");
    }
    validate();
    Identity identity = loadIdentity();
    String agentName = name != null ? name : "agent-" + ProcessHandle.current().pid();
    if ((identity == null || identity.name() == null) && !Names.isAgentName(agentName)) {
      throw CommandExit.badInput(
          "Invalid agent name \"" + agentName + "\" (1-32 letters, digits, _ or -)");
    }
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
    try {
      DaemonPointer daemon = identity == null ? null : runningDaemon();
      if (daemon != null) {
        DaemonLink link =
            DaemonLink.connect(vertx, daemon, Duration.ofSeconds(timeoutSeconds)).await();
        try {
          beforeLogin(link);
          if (wantsFrames()) {
            link.subscribe().await();
          }
          return session(link);
        } finally {
          awaitQuietly(link.close());
        }
      }
      AgentChatClient client =
          AgentChatClient.connect(
                  vertx,
                  server,
                  agentName,
                  identity,
                  Duration.ofSeconds(timeoutSeconds),
                  this::beforeLogin)
              .await();
      try {
        return session(client);
      } finally {
        awaitQuietly(client.close());
      }
    } finally {
      awaitQuietly(vertx.close());
    }
  }

  /** True for commands that print frames as they arrive: through a daemon they subscribe. */
  protected boolean wantsFrames() {
    return false;
  }

  private DaemonPointer runningDaemon() {
    Path path = identityFile != null ? identityFile : Identity.defaultPath();
    return DaemonPointer.running(path, server).orElse(null);
  }

  private Identity loadIdentity() throws IdentityFileException {
    Path path = identityFile != null ? identityFile : Identity.defaultPath();
    if (!Files.exists(path)) {
      if (needsIdentity()) {
        throw CommandExit.failure(
            (identityFile != null ? "No identity file at " + path + "; " : "")
                + AgentChatClient.IDENTITY_REQUIRED);
      }
      if (identityFile != null) {
        err().println("No identity file at " + path + "; connecting as an ephemeral agent.");
      }
      return null;
    }
    return Identity.load(path);
  }

  private static void awaitQuietly(io.vertx.core.Future<?> future) {
    try {
      future.await(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | RuntimeException e) {
      // Closing is best effort: the command's outcome is already decided.
    }
  }

  /** Refuses anything but {@code #name} with the protocol's channel rules. */
  static String requireChannel(String channel) {
    if (!Names.isChannel(channel)) {
      throw CommandExit.badInput(
          "Invalid channel name \"" + channel + "\" (# followed by 1-31 letters, digits, _ or -)");
    }
    return channel;
  }

  /**
   * Parses a non-negative decimal number given to {@code option} ({@code 10}, {@code 2.5}); bad
   * input otherwise.
   */
  static BigDecimal requireAmount(String option, String text) {
    BigDecimal value;
    try {
      value = new BigDecimal(text.strip());
    } catch (NumberFormatException e) {
      throw CommandExit.badInput(
          "Invalid " + option + " \"" + text + "\" (a non-negative number such as 10 or 2.5)");
    }
    if (value.signum() < 0 || Double.isInfinite(value.doubleValue())) {
      throw CommandExit.badInput(
          "Invalid " + option + " \"" + text + "\" (a non-negative number such as 10 or 2.5)");
    }
    return value;
  }

  /** Refuses a negative value of an optional whole-number option. */
  static void requireNotNegative(String option, Long value) {
    if (value != null && value < 0) {
      throw CommandExit.badInput(option + " must be 0 or more");
    }
  }

  /** Adds a missing {@code @} and checks the agent id's form. */
  static String requireAgent(String agent) {
    String target = agent.startsWith("@") ? agent : "@" + agent;
    if (!Names.isAgentTarget(target)) {
      throw CommandExit.badInput("Invalid agent id \"" + agent + "\"");
    }
    return target;
  }
}
