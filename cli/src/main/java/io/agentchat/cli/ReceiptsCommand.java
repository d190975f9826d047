package io.agentchat.cli;

import picocli.CommandLine.Command;

/**
 * {@code agentchat receipts}: an agent's portable, server-signed record of settled deals: export it
 * from a server, verify it offline, import it elsewhere, list it or sum it up.
 */
@Command(
    name = "receipts",
    mixinStandardHelpOptions = true,
    description = "Work with receipts: signed records of settled deals.",
    subcommands = {
      ReceiptsExportCommand.class,
      ReceiptsVerifyCommand.class,
      ReceiptsImportCommand.class,
      ReceiptsListCommand.class,
      ReceiptsSummaryCommand.class
    })
final class ReceiptsCommand extends AgentChatBaseCommand {
  @Override
  protected int run() {
    spec.commandLine().usage(err());
    return BAD_INPUT;
  }
}
