package io.agentchat.cli;

import io.agentchat.cli.mcp.AgentMcpServer;
import io.agentchat.client.AgentChatClient;
import io.agentchat.client.RelayUrl;
import io.agentchat.identity.Identity;
import io.agentchat.protocol.Names;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code agentchat mcp}: the agent's tools as an MCP server on stdin/stdout, for an LLM host to
 * launch. The work is {@link AgentMcpServer}'s. Stdout carries the protocol only.
 */
@Command(
    name = "mcp",
    mixinStandardHelpOptions = true,
    description = {
      "Serve the agent's tools (send_message, read_messages, propose, accept, …) over the Model"
          + " Context Protocol on stdin/stdout, for an LLM host such as Claude to launch.",
      "Uses the identity's daemon when one runs, else logs in itself. Logs go to stderr."
    })
final class McpCommand extends AgentChatBaseCommand {
  @Parameters(index = "0", paramLabel = "SERVER", description = "Relay URL, ws://host:port.")
  String server;

  @Option(
      names = {"-i", "--identity"},
      paramLabel = "FILE",
      description =
          "Identity to act as (default: .agentchat/identity.json if it exists, else an ephemeral"
              + " agent, which cannot sign proposals).")
  Path identityFile;

  @Option(
      names = {"-n", "--name"},
      paramLabel = "NAME",
      description = "Agent name when the identity has none (default: agent-<pid>).")
  String name;

  @Option(
      names = {"-c", "--channels"},
      paramLabel = "CHANNELS",
      defaultValue = "#general",
      description = "Channels to join, comma-separated (default: ${DEFAULT-VALUE}).")
  String channels;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "10",
      description = "How long the login and each request may take (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Override
  protected int run() throws Exception {
    RelayUrl.parse(server);
    if (timeoutSeconds < 1) {
      throw CommandExit.badInput("--timeout must be at least 1 second");
    }
    List<String> joined = new ArrayList<>();
    for (String c : channels.split("[,\\s]+")) {
      if (!c.isBlank()) {
        joined.add(ConnectingCommand.requireChannel(c.startsWith("#") ? c : "#" + c));
      }
    }
    Path path = identityFile != null ? identityFile : Identity.defaultPath();
    Identity identity = null;
    if (Files.exists(path)) {
      identity = Identity.load(path);
    } else if (identityFile != null) {
      throw CommandExit.failure("No identity file at " + path);
    }
    String agentName = name != null ? name : "agent-" + ProcessHandle.current().pid();
    if ((identity == null || identity.name() == null) && !Names.isAgentName(agentName)) {
      throw CommandExit.badInput("Invalid agent name \"" + agentName + "\"");
    }
    if (identity == null) {
      err()
          .println(
              "No identity: acting as an ephemeral agent; " + AgentChatClient.IDENTITY_REQUIRED);
      err().flush();
    }
    // Stdout is the protocol: anything else that prints to System.out (a library's notice,
    // logback's own status) goes to stderr instead, and the protocol writes to fd 1 directly.
    System.setOut(System.err);
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2));
    try {
      AgentMcpServer.serve(
          vertx,
          server,
          agentName,
          identity,
          path,
          joined,
          Duration.ofSeconds(timeoutSeconds),
          new FileInputStream(FileDescriptor.in),
          new FileOutputStream(FileDescriptor.out));
      return OK;
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
