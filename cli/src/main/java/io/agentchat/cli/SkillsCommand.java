package io.agentchat.cli;

import picocli.CommandLine.Command;

/** {@code agentchat skills}: the skills registry (announce, search). */
@Command(
    name = "skills",
    mixinStandardHelpOptions = true,
    description = "Advertise your skills or find agents that have the one you need.",
    subcommands = {SkillsAnnounceCommand.class, SkillsSearchCommand.class})
final class SkillsCommand extends AgentChatBaseCommand {
  @Override
  protected int run() {
    spec.commandLine().usage(err());
    return BAD_INPUT;
  }
}
