package io.agentchat.cli;

import picocli.CommandLine.Command;

/**
 * {@code agentchat receipts}: an agent's portable, server-signed record of settled deals. Only
 * {@code verify} exists so far; {@code export}, {@code import}, {@code list} and {@code summary}
 * join it as subcommands.
 */
@Command(
    name = "receipts",
    mixinStandardHelpOptions = true,
    description = "Work with receipts: signed records of settled deals.",
    subcommands = {ReceiptsVerifyCommand.class})
final class ReceiptsCommand extends AgentChatBaseCommand {
  @Override
  protected int run() {
    spec.commandLine().usage(err());
    return BAD_INPUT;
  }
}
