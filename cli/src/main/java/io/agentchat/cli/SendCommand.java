package io.agentchat.cli;

import io.agentchat.client.AgentSession;
import io.agentchat.protocol.FrameCodec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code agentchat send}: one message to a channel (joined first) or an agent. */
@Command(
    name = "send",
    mixinStandardHelpOptions = true,
    description = "Send a message to a #channel (joining it first) or an @agent.")
final class SendCommand extends ConnectingCommand {
  @Parameters(index = "1", paramLabel = "TARGET", description = "#channel or @agent-id.")
  String target;

  @Parameters(index = "2", paramLabel = "MESSAGE", description = "The message text.")
  String message;

  @Override
  protected void validate() {
    if (target.startsWith("#")) {
      requireChannel(target);
    } else if (target.startsWith("@")) {
      requireAgent(target);
    } else {
      throw CommandExit.badInput("Invalid target \"" + target + "\" (use #channel or @agent)");
    }
    if (message.length() > FrameCodec.MAX_CONTENT_UNITS) {
      throw CommandExit.badInput("Message too long (max 2 MB)");
    }
  }

  @Override
  protected int session(AgentSession client) {
    if (target.startsWith("#")) {
      client.join(target).await();
    }
    client.send(target, message).await();
    out().println("Message sent");
    return OK;
  }
}
