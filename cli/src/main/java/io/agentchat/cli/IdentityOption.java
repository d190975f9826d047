package io.agentchat.cli;

import io.agentchat.identity.AgentIds;
import io.agentchat.identity.Identity;
import io.agentchat.identity.IdentityFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --identity} for the commands about one agent that default to "me": the agent named on the
 * command line, else the identity's.
 */
final class IdentityOption {
  @Option(
      names = {"-i", "--identity"},
      paramLabel = "FILE",
      description =
          "Identity file whose agent is meant when none is named"
              + " (default: .agentchat/identity.json).")
  Path file;

  /**
   * The agent meant, as {@code @id}: {@code named} when given, else the identity's id.
   *
   * @param named the agent given on the command line (with or without {@code @}), or null
   * @param howToName how the user names an agent in this command, for the error message
   * @throws CommandExit bad input when {@code named} is not an agent id, or when nothing names an
   *     agent and no identity file can be read
   */
  String agent(String named, String howToName) {
    if (named != null) {
      return requireAgentId(named);
    }
    Path path = file != null ? file : Identity.defaultPath();
    if (!Files.exists(path)) {
      throw CommandExit.badInput(
          file != null
              ? "No identity file at " + path
              : "Name the agent (" + howToName + ") or give --identity: no identity at " + path);
    }
    try {
      return "@" + Identity.load(path).agentId();
    } catch (IdentityFileException e) {
      throw CommandExit.badInput(e.getMessage());
    }
  }

  /** {@code @} + the id, refusing anything but a persistent agent id (16 lowercase hex digits). */
  static String requireAgentId(String agent) {
    String bare = AgentIds.bare(agent);
    if (!AgentIds.isValidPersistentId(bare)) {
      throw CommandExit.badInput(
          "Invalid agent id \"" + agent + "\" (16 lowercase hex digits, @ optional)");
    }
    return "@" + bare;
  }
}
