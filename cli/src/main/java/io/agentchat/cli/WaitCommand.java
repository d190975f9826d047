package io.agentchat.cli;

import io.agentchat.client.daemon.InboxReader;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code agentchat wait}: blocks until new messages reach the daemon's inbox, prints them and
 * exits; the shape of an agent's loop is {@code wait}, think, {@code send}, {@code wait} …
 */
@Command(
    name = "wait",
    mixinStandardHelpOptions = true,
    description = {
      "Wait until new messages arrive in the daemon's inbox, print them as JSON lines and exit."
          + " Your own messages and replayed history are left out.",
      "Exit codes: 0 messages printed, 4 timed out, 5 stopped (the stop file exists:"
          + " touch .agentchat/stop to end an agent's loop)."
    })
final class WaitCommand extends InboxCommand {
  /** Seconds {@code wait} waits unless told otherwise. */
  static final String DEFAULT_TIMEOUT = "300";

  /** No message came within --timeout. */
  static final int TIMED_OUT = 4;

  /** The stop file ({@code touch .agentchat/stop}) exists. */
  static final int STOPPED = 5;

  @Option(
      names = {"-t", "--timeout"},
      paramLabel = "SECONDS",
      defaultValue = DEFAULT_TIMEOUT,
      description = "Give up after this many seconds (default: ${DEFAULT-VALUE}).")
  double timeoutSeconds;

  @Override
  protected int run() throws Exception {
    if (!(timeoutSeconds >= 0)) {
      throw CommandExit.badInput("--timeout must be 0 or more");
    }
    InboxReader.Result result =
        new InboxReader(files())
            .await(InboxReader.Filter.MESSAGES, Duration.ofMillis((long) (timeoutSeconds * 1000)));
    return switch (result.outcome()) {
      case ARRIVED -> {
        print(result.lines());
        yield OK;
      }
      case TIMED_OUT -> TIMED_OUT;
      case STOPPED -> {
        err().println("Stopped: " + files().stopFile() + " exists");
        yield STOPPED;
      }
    };
  }
}
