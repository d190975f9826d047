package io.agentchat.cli;

import io.agentchat.client.AgentChatException;
import io.agentchat.client.AgentSession;
import io.vertx.core.Promise;
import java.io.PrintWriter;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code agentchat listen}: joins channels and prints what arrives, one JSON frame per line, until
 * interrupted or until {@code --max-messages} frames were printed.
 */
@Command(
    name = "listen",
    mixinStandardHelpOptions = true,
    description = "Join channels and print each message and membership event as one JSON line.")
final class ListenCommand extends ConnectingCommand {
  /** The frame types the reference prints (messages, membership, marketplace results). */
  static final Set<String> PRINTED_TYPES =
      Set.of(
          "MSG",
          "AGENT_JOINED",
          "AGENT_LEFT",
          "PROPOSAL",
          "ACCEPT",
          "REJECT",
          "COMPLETE",
          "DISPUTE",
          "SKILLS_REGISTERED",
          "SEARCH_RESULTS");

  @Parameters(
      index = "1..*",
      paramLabel = "CHANNEL",
      defaultValue = "#general",
      description = "Channels to join (default: ${DEFAULT-VALUE}).")
  List<String> channels;

  @Option(
      names = {"-m", "--max-messages"},
      paramLabel = "N",
      description = "Exit after printing N frames (default: run until interrupted).")
  Integer maxMessages;

  @Override
  protected void validate() {
    channels.forEach(ConnectingCommand::requireChannel);
    if (maxMessages != null && maxMessages < 1) {
      throw CommandExit.badInput("--max-messages must be at least 1");
    }
  }

  private final Promise<Integer> done = Promise.promise();
  // Only touched by the client's handlers, which all run on its single event loop.
  private int printed;

  @Override
  protected boolean wantsFrames() {
    return true;
  }

  /** Prints from the start: a keyed agent is handed its open proposals right after login. */
  @Override
  protected void beforeLogin(AgentSession client) {
    PrintWriter out = out();
    int limit = maxMessages == null ? Integer.MAX_VALUE : maxMessages;
    client.rawFrameHandler(
        (frame, text) -> {
          if (printed >= limit || !PRINTED_TYPES.contains(frame.type())) {
            return;
          }
          out.println(text);
          out.flush();
          if (++printed >= limit) {
            done.tryComplete(OK);
          }
        });
  }

  @Override
  protected int session(AgentSession client) {
    client.closeHandler(
        how ->
            done.tryFail(
                AgentChatException.local(
                    "Connection closed by the server (" + how.describe() + ")")));
    Thread onInterrupt =
        new Thread(
            () -> {
              try {
                client.close().await(2, TimeUnit.SECONDS);
              } catch (Exception e) {
                // Exiting anyway.
              }
            },
            "agentchat-listen-close");
    Runtime.getRuntime().addShutdownHook(onInterrupt);
    try {
      for (String channel : channels) {
        if (done.future().isComplete()) {
          break;
        }
        client.join(channel).await();
      }
      if (!done.future().isComplete()) {
        err()
            .println(
                "Listening on "
                    + String.join(", ", channels)
                    + " as "
                    + client.agentId()
                    + " ("
                    + client.name()
                    + ")");
        err().flush();
      }
      return done.future().await();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(onInterrupt);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running or about to: nothing to undo.
      }
    }
  }
}
