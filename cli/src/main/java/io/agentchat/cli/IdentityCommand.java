package io.agentchat.cli;

import io.agentchat.identity.Identity;
import io.agentchat.identity.IdentityFileException;
import io.agentchat.protocol.Names;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code agentchat identity}: creates, shows or exports the identity file that proves who an agent
 * is across sessions.
 */
@Command(
    name = "identity",
    mixinStandardHelpOptions = true,
    description = "Generate, show or export an identity (an Ed25519 key pair kept in a file).")
final class IdentityCommand extends AgentChatBaseCommand {

  static final class Action {
    @Option(
        names = {"-g", "--generate"},
        description = "Create a new identity file.")
    boolean generate;

    @Option(
        names = {"-s", "--show"},
        description = "Show the identity (the default action).")
    boolean show;

    @Option(
        names = {"-e", "--export"},
        description = "Print the public part as JSON.")
    boolean export;
  }

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Action action = new Action();

  @Option(
      names = {"-f", "--file"},
      paramLabel = "FILE",
      description = "Identity file (default: .agentchat/identity.json).")
  Path file;

  @Option(
      names = {"-n", "--name"},
      paramLabel = "NAME",
      description = "Name stored in a generated identity (default: agent-<pid>).")
  String name;

  @Option(names = "--force", description = "Let --generate replace an existing file.")
  boolean force;

  @Override
  protected int run() throws IdentityFileException {
    Path path = file != null ? file.toAbsolutePath() : Identity.defaultPath();
    if (action.generate) {
      return generate(path);
    }
    Identity identity = load(path);
    if (action.export) {
      out().println(JsonOutput.pretty(identity.publicExport()));
    } else {
      show(identity);
    }
    return OK;
  }

  private int generate(Path path) throws IdentityFileException {
    String agentName = name != null ? name : "agent-" + ProcessHandle.current().pid();
    if (!Names.isAgentName(agentName)) {
      throw CommandExit.badInput(
          "Invalid name \"" + agentName + "\" (1-32 letters, digits, _ or -)");
    }
    if (Files.exists(path) && !force) {
      throw CommandExit.failure(
          "Identity file "
              + path
              + " already exists (use --force to replace it; the old key is lost)");
    }
    Identity identity = Identity.generate(agentName);
    identity.save(path);
    out().println("Identity written to " + path);
    show(identity);
    return OK;
  }

  private Identity load(Path path) throws IdentityFileException {
    if (!Files.exists(path)) {
      throw CommandExit.failure(
          "No identity file at " + path + " (create one with: agentchat identity --generate)");
    }
    return Identity.load(path);
  }

  private void show(Identity identity) {
    out().println("Agent ID:   @" + identity.agentId());
    out().println("Name:       " + (identity.name() == null ? "(none)" : identity.name()));
    out().println("Created:    " + (identity.created() == null ? "(unknown)" : identity.created()));
    out().println("Public key:");
    out().print(identity.publicKey().pem());
  }
}
