package io.agentchat.cli;

import io.agentchat.client.RelayUrl;
import io.agentchat.client.daemon.AgentDaemon;
import io.agentchat.client.daemon.DaemonFiles;
import io.agentchat.client.daemon.DaemonLink;
import io.agentchat.client.daemon.DaemonPointer;
import io.agentchat.client.daemon.DaemonRunningException;
import io.agentchat.client.daemon.DaemonState;
import io.agentchat.identity.Identity;
import io.agentchat.protocol.Names;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code agentchat daemon}: runs, lists and stops the daemons that hold agents' connections. The
 * work is {@link AgentDaemon}'s; this class parses flags, launches {@code --background} copies of
 * itself, and reports.
 */
@Command(
    name = "daemon",
    mixinStandardHelpOptions = true,
    description = {
      "Hold one agent's connection: join channels, write every frame received to"
          + " .agentchat/daemons/NAME/inbox.jsonl, send the lines appended to outbox.jsonl, and"
          + " reconnect when the connection drops.",
      "While it runs, commands run with its identity (send, listen, propose, accept, …) go"
          + " through it instead of logging in again."
    })
final class DaemonCommand extends AgentChatBaseCommand {
  private static final long MIB = 1024L * 1024L;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "SERVER",
      description = "Relay URL, ws://host:port or wss://host:port (needed to start a daemon).")
  String server;

  @Option(
      names = {"-n", "--name"},
      paramLabel = "NAME",
      defaultValue = DaemonFiles.DEFAULT_NAME,
      description = "The daemon's name, and its directory's (default: ${DEFAULT-VALUE}).")
  String name;

  @Option(
      names = {"-i", "--identity"},
      paramLabel = "FILE",
      description =
          "Identity to log in with (default: .agentchat/identity.json if it exists, else an"
              + " ephemeral agent).")
  Path identityFile;

  @Option(
      names = {"-c", "--channels"},
      paramLabel = "CHANNELS",
      defaultValue = "#general",
      description = "Channels to join, comma- or space-separated (default: ${DEFAULT-VALUE}).")
  String channels;

  @Option(
      names = {"-b", "--background"},
      description = "Run detached; return once it is connected (or print why it failed).")
  boolean background;

  @Option(
      names = "--inbox-max-mb",
      paramLabel = "MB",
      defaultValue = "10",
      description =
          "Rotate inbox.jsonl to inbox.1.jsonl when it reaches this size; 3 old files are kept"
              + " (default: ${DEFAULT-VALUE}).")
  double inboxMaxMb;

  @Option(
      names = "--outbox-rate",
      paramLabel = "N",
      defaultValue = "" + AgentDaemon.DEFAULT_OUTBOX_RATE,
      description =
          "Send at most N outbox lines per second, after a burst of 10 (default: ${DEFAULT-VALUE},"
              + " the relay's default limit; raise it only for a relay started with a higher"
              + " --msg-rate).")
  double outboxRate;

  @Option(
      names = "--home",
      paramLabel = "DIR",
      defaultValue = DaemonFiles.DEFAULT_HOME,
      description = "The directory daemons keep their files in (default: ${DEFAULT-VALUE}).")
  Path home;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "30",
      description = "How long --background and --stop wait (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Option(
      names = {"-s", "--status"},
      description = "Say whether the daemon NAME runs.")
  boolean status;

  @Option(
      names = {"-l", "--list"},
      description = "List the daemons under --home.")
  boolean list;

  @Option(names = "--stop", paramLabel = "NAME", description = "Stop the daemon NAME.")
  String stop;

  @Option(names = "--stop-all", description = "Stop every daemon under --home.")
  boolean stopAll;

  @Option(names = "--detached", hidden = true, description = "Set by --background on its child.")
  boolean detached;

  @Override
  protected int run() throws Exception {
    if (timeoutSeconds < 1) {
      throw CommandExit.badInput("--timeout must be at least 1 second");
    }
    if (list) {
      return list();
    }
    if (status) {
      return status(DaemonFiles.of(home, name));
    }
    if (stop != null || stopAll) {
      return stop();
    }
    if (server == null) {
      throw CommandExit.badInput("Give the SERVER to connect to (or --status, --list, --stop)");
    }
    RelayUrl.parse(server);
    if (!(outboxRate > 0)) {
      throw CommandExit.badInput("--outbox-rate must be more than 0");
    }
    if (!(inboxMaxMb > 0)) {
      throw CommandExit.badInput("--inbox-max-mb must be more than 0");
    }
    List<String> joined = channels();
    return background && !detached ? launch() : runHere(joined);
  }

  private List<String> channels() {
    List<String> list = new ArrayList<>();
    for (String c : channels.split("[,\\s]+")) {
      if (c.isBlank()) {
        continue;
      }
      String channel = c.startsWith("#") ? c : "#" + c;
      list.add(ConnectingCommand.requireChannel(channel));
    }
    return list;
  }

  // ---------------------------------------------------------------------------- running

  private int runHere(List<String> joined) throws Exception {
    DaemonFiles files = DaemonFiles.of(home, name);
    Path identityPath = identityFile != null ? identityFile : Identity.defaultPath();
    Identity identity = null;
    if (Files.exists(identityPath)) {
      identity = Identity.load(identityPath);
    } else if (identityFile != null) {
      throw CommandExit.failure("No identity file at " + identityPath);
    }
    String agentName = identity != null && identity.name() != null ? null : files.name();
    if (agentName != null && !Names.isAgentName(agentName)) {
      throw CommandExit.badInput("Invalid agent name \"" + agentName + "\"");
    }
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2));
    AgentDaemon daemon;
    try {
      daemon =
          AgentDaemon.start(
              vertx,
              new AgentDaemon.Options(
                  server,
                  agentName,
                  identity,
                  identity == null ? null : identityPath,
                  files,
                  joined,
                  (long) (inboxMaxMb * MIB),
                  !detached,
                  Duration.ofSeconds(10),
                  outboxRate));
    } catch (DaemonRunningException e) {
      vertx.close();
      throw CommandExit.failure(e.getMessage());
    } catch (IOException | RuntimeException e) {
      vertx.close();
      throw e;
    }
    Thread onSignal =
        new Thread(
            () -> {
              try {
                daemon.close().await(5, TimeUnit.SECONDS);
              } catch (Exception e) {
                // Exiting anyway; the OS releases the locks.
              }
            },
            "agentchat-daemon-stop");
    Runtime.getRuntime().addShutdownHook(onSignal);
    try {
      daemon.firstLogin().await();
      DaemonState state = DaemonState.read(files);
      if (detached) {
        // Stderr is daemon.log, whose lines are JSON; the parent reports the start itself.
        daemon.stopped().await();
        return OK;
      }
      err()
          .println(
              "Daemon \""
                  + files.name()
                  + "\" connected to "
                  + server
                  + " as "
                  + state.agentId()
                  + " (pid "
                  + state.pid()
                  + "); files in "
                  + files.dir());
      err().flush();
      daemon.stopped().await();
      return OK;
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(onSignal);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running: it closes the daemon.
      }
      daemon.close().await(10, TimeUnit.SECONDS);
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** Starts a detached copy of this command and waits until it is connected or has died. */
  private int launch() throws Exception {
    DaemonFiles files = DaemonFiles.of(home, name);
    if (DaemonPointer.isRunning(files)) {
      throw CommandExit.failure(
          "A daemon named \""
              + files.name()
              + "\" is already running; stop it with"
              + " `agentchat daemon --stop "
              + files.name()
              + "`");
    }
    Files.createDirectories(files.dir());
    List<String> command = new ArrayList<>();
    if (new File("/usr/bin/setsid").canExecute()) {
      // Its own session: a Ctrl-C in this terminal does not reach the daemon.
      command.add("/usr/bin/setsid");
    }
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(AgentChatCommand.class.getName());
    command.addAll(
        Arrays.asList(
            "daemon",
            server,
            "--name",
            files.name(),
            "--home",
            home.toAbsolutePath().toString(),
            "--channels",
            channels,
            "--inbox-max-mb",
            Double.toString(inboxMaxMb),
            "--outbox-rate",
            Double.toString(outboxRate),
            "--detached"));
    if (identityFile != null) {
      command.add("--identity");
      command.add(identityFile.toAbsolutePath().toString());
    }
    long logStart = Files.exists(files.log()) ? Files.size(files.log()) : 0;
    Process child =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(files.log().toFile()))
            .redirectInput(
                ProcessBuilder.Redirect.from(
                    new File(File.separatorChar == '\\' ? "NUL" : "/dev/null")))
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    while (System.nanoTime() < deadline) {
      DaemonState state = DaemonState.read(files);
      if (state.connected() && DaemonPointer.isRunning(files)) {
        out()
            .println(
                "Daemon \""
                    + files.name()
                    + "\" running as "
                    + state.agentId()
                    + " (pid "
                    + state.pid()
                    + "); files in "
                    + files.dir());
        return OK;
      }
      if (!child.isAlive()) {
        throw CommandExit.failure(
            "The daemon exited (" + child.exitValue() + "): " + lastError(files, logStart));
      }
      Thread.sleep(50);
    }
    throw CommandExit.failure(
        "The daemon did not connect within "
            + timeoutSeconds
            + " s; it keeps trying (see "
            + files.log()
            + ", stop it with `agentchat daemon --stop "
            + files.name()
            + "`)");
  }

  /** The child's last "Error: …" line, or its last line. */
  private static String lastError(DaemonFiles files, long from) throws IOException {
    byte[] all = Files.readAllBytes(files.log());
    String tail =
        new String(
            all,
            (int) Math.min(from, all.length),
            (int) (all.length - Math.min(from, all.length)),
            StandardCharsets.UTF_8);
    String last = "see " + files.log();
    for (String line : tail.lines().toList()) {
      if (line.startsWith("Error: ")) {
        return line.substring("Error: ".length());
      }
      if (!line.isBlank()) {
        last = line;
      }
    }
    return last;
  }

  // ------------------------------------------------------------------------------ control

  private int list() throws IOException {
    List<DaemonFiles> all = DaemonFiles.all(home);
    if (all.isEmpty()) {
      out().println("No daemons under " + home);
      return OK;
    }
    TextTable table = new TextTable("NAME", "STATE", "PID", "AGENT", "SERVER");
    for (DaemonFiles files : all) {
      DaemonState state = DaemonState.read(files);
      boolean running = DaemonPointer.isRunning(files);
      table.row(
          files.name(),
          running ? (state.connected() ? "connected" : "reconnecting") : "stopped",
          running ? Long.toString(state.pid()) : null,
          state.agentId(),
          state.server());
    }
    table.print(out());
    return OK;
  }

  private int status(DaemonFiles files) throws IOException {
    DaemonState state = DaemonState.read(files);
    if (!DaemonPointer.isRunning(files)) {
      out().println("Daemon \"" + files.name() + "\" is not running");
      return FAILURE;
    }
    out()
        .println(
            "Daemon \""
                + files.name()
                + "\" is running (pid "
                + state.pid()
                + "), "
                + (state.connected() ? "connected to " : "reconnecting to ")
                + state.server()
                + (state.agentId() == null ? "" : " as " + state.agentId())
                + "; files in "
                + files.dir());
    return OK;
  }

  private int stop() throws Exception {
    List<DaemonFiles> targets = new ArrayList<>();
    if (stopAll) {
      for (DaemonFiles files : DaemonFiles.all(home)) {
        if (DaemonPointer.isRunning(files)) {
          targets.add(files);
        }
      }
    } else {
      DaemonFiles files = DaemonFiles.of(home, stop);
      if (!DaemonPointer.isRunning(files)) {
        throw CommandExit.failure("Daemon \"" + files.name() + "\" is not running");
      }
      targets.add(files);
    }
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
    try {
      for (DaemonFiles files : targets) {
        stopOne(vertx, files);
      }
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
    return OK;
  }

  private void stopOne(Vertx vertx, DaemonFiles files) throws Exception {
    long pid = DaemonState.read(files).pid();
    Duration timeout = Duration.ofSeconds(timeoutSeconds);
    try {
      DaemonLink.requestShutdown(vertx, files, timeout)
          .await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception unreachable) {
      // Its control socket is gone: a signal will do.
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (DaemonPointer.isRunning(files)) {
      if (System.nanoTime() > deadline) {
        throw CommandExit.failure("Daemon \"" + files.name() + "\" did not stop (pid " + pid + ")");
      }
      Thread.sleep(50);
    }
    out().println("Stopped daemon \"" + files.name() + "\"");
  }
}
