package io.agentchat.cli;

import io.agentchat.client.AgentSession;
import io.agentchat.protocol.Names;
import io.agentchat.protocol.ServerFrame.NickChanged;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code agentchat nick}: changes the agent's display name on the relay. */
@Command(name = "nick", mixinStandardHelpOptions = true, description = "Change your display name.")
final class NickCommand extends ConnectingCommand {
  @Parameters(index = "1", paramLabel = "NICK", description = "The new name.")
  String nick;

  @Override
  protected void validate() {
    nick = nick.strip();
    if (!Names.isNick(nick)) {
      throw CommandExit.badInput("Invalid nick \"" + nick + "\" (1-24 letters, digits, _ or -)");
    }
    if (Names.isReserved(nick)) {
      throw CommandExit.badInput("Nick \"" + nick + "\" is reserved");
    }
  }

  @Override
  protected int session(AgentSession client) {
    NickChanged changed = client.setNick(nick).await();
    out().println("Nick changed from " + changed.oldNick() + " to " + changed.newNick());
    return OK;
  }
}
