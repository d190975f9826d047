package io.agentchat.cli;

import io.agentchat.client.daemon.InboxReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code agentchat ts}: shows or sets the time the primitives have read up to. */
@Command(
    name = "ts",
    mixinStandardHelpOptions = true,
    description =
        "Print the ts (ms) of the newest message read by wait/poll/check; with VALUE, make the"
            + " next one return the kept messages newer than VALUE.")
final class TsCommand extends InboxCommand {
  @Parameters(index = "0", arity = "0..1", paramLabel = "VALUE", description = "A ts in ms.")
  Long value;

  @Override
  protected int run() throws Exception {
    InboxReader reader = new InboxReader(files());
    if (value == null) {
      out().println(reader.lastTs());
      return OK;
    }
    if (value < 0) {
      throw CommandExit.badInput("VALUE must be 0 or more");
    }
    reader.setLastTs(value);
    out().println("Set last ts to " + value);
    return OK;
  }
}
