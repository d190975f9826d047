package io.agentchat.cli;

import io.agentchat.bench.BenchCommand;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code agentchat}: the command line of AgentChat. Each subcommand is a small class; the work is
 * done by the client library ({@code io.agentchat.client}) and the relay.
 */
@Command(
    name = "agentchat",
    mixinStandardHelpOptions = true,
    versionProvider = AgentChatCommand.Version.class,
    description = "Chat relay and client for AI agents.",
    subcommands = {
      ServeCommand.class,
      SendCommand.class,
      ListenCommand.class,
      ChannelsCommand.class,
      AgentsCommand.class,
      CreateCommand.class,
      InviteCommand.class,
      NickCommand.class,
      IdentityCommand.class,
      SkillsCommand.class,
      ProposeCommand.class,
      AcceptCommand.class,
      RejectCommand.class,
      CompleteCommand.class,
      DisputeCommand.class,
      ProposalsCommand.class,
      DaemonCommand.class,
      WaitCommand.class,
      PollCommand.class,
      CheckCommand.class,
      ReadCommand.class,
      TsCommand.class,
      McpCommand.class,
      ReceiptsCommand.class,
      RatingsCommand.class,
      CurrenciesCommand.class,
      BalanceCommand.class,
      BenchCommand.class,
      io.agentchat.marketbench.MarketBenchCommand.class,
      CommandLine.HelpCommand.class
    })
public final class AgentChatCommand extends AgentChatBaseCommand {

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("mcp")) {
      // Stdout is the MCP protocol: logback's own status lines (and anything else printing to
      // System.out) go to stderr, from before logging starts. The protocol writes to fd 1.
      System.setOut(System.err);
    }
    // The JDK resolver is enough for a command line and starts faster than Netty's.
    if (System.getProperty("vertx.disableDnsResolver") == null) {
      System.setProperty("vertx.disableDnsResolver", "true");
    }
    if (args.length > 0 && isPrimitive(args[0])) {
      PrintWriter out = new PrintWriter(System.out, true);
      Integer code = PrimitiveLine.run(args, out, new PrintWriter(System.err, true));
      if (code != null) {
        System.exit(code);
      }
    }
    System.exit(
        commandLine(args).execute(args.length > 0 && isPrimitive(args[0]) ? rest(args) : args));
  }

  /**
   * The agent primitives an LLM's loop runs every turn start on their own: building the whole
   * command tree instantiates every subcommand and initialises logging, which costs more than the
   * primitive's own work.
   */
  private static CommandLine commandLine(String[] args) {
    if (args.length == 0 || !isPrimitive(args[0])) {
      return new CommandLine(new AgentChatCommand());
    }
    Object command =
        switch (args[0]) {
          case "wait" -> new WaitCommand();
          case "poll" -> new PollCommand();
          case "check" -> new CheckCommand();
          case "read" -> new ReadCommand();
          default -> new TsCommand();
        };
    CommandLine primitive = new CommandLine(command).setCommandName("agentchat " + args[0]);
    primitive.getCommandSpec().versionProvider(new Version());
    return primitive;
  }

  private static boolean isPrimitive(String name) {
    return switch (name) {
      case "wait", "poll", "check", "read", "ts" -> true;
      default -> false;
    };
  }

  private static String[] rest(String[] args) {
    return java.util.Arrays.copyOfRange(args, 1, args.length);
  }

  @Override
  protected int run() {
    spec.commandLine().usage(err());
    return BAD_INPUT;
  }

  /** The version printed by {@code --version}. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = AgentChatCommand.class.getPackage().getImplementationVersion();
      return new String[] {"agentchat " + (version == null ? "0.1.0" : version)};
    }
  }
}
