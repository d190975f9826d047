package io.agentchat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentchat.client.ServerApi;
import io.agentchat.reputation.receipts.ReceiptFile;
import io.agentchat.reputation.receipts.ReceiptFileException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Base of the commands that show one agent's receipts, read from an export file or fetched from a
 * server: they differ only in how they show them.
 */
abstract class ReceiptsReadingCommand extends AgentChatBaseCommand {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "FILE",
      description =
          "An export file (JSONL or JSON). Without it the receipts come from the server."
              + " Nothing is verified: use `receipts verify` for that.")
  Path file;

  @Mixin ServerOption server;

  @Mixin IdentityOption identity;

  @Option(
      names = {"-a", "--agent"},
      paramLabel = "ID",
      description =
          "Whose receipts (default: the agent the file's HEAD names, else the identity's).")
  String agent;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  /**
   * Shows the receipts.
   *
   * @param agent the agent they are about ({@code @id})
   * @param receipts the agent's receipts, oldest first
   */
  protected abstract int show(String agent, List<JsonNode> receipts);

  @Override
  protected final int run() throws IOException {
    if (file != null && spec.commandLine().getParseResult().hasMatchedOption("--server")) {
      throw CommandExit.badInput("Give a FILE or --server, not both");
    }
    return file != null ? fromFile() : fromServer();
  }

  private int fromFile() {
    ReceiptFile export;
    try {
      export = ReceiptFile.read(file);
    } catch (ReceiptFileException e) {
      throw CommandExit.badInput(e.getMessage());
    }
    String named =
        agent != null || export.head() == null ? agent : export.head().path("agent").asText(null);
    String id = identity.agent(named, "--agent");
    List<JsonNode> theirs = new ArrayList<>();
    for (JsonNode r : export.receipts()) {
      if (id.equals(r.path("from").asText()) || id.equals(r.path("to").asText())) {
        theirs.add(r);
      }
    }
    return show(id, theirs);
  }

  private int fromServer() throws IOException {
    String id = identity.agent(agent, "--agent");
    ServerApi api = server.api();
    JsonNode export = JSON.readTree(api.exportReceipts(id, ServerApi.ExportFormat.JSON));
    List<JsonNode> receipts = new ArrayList<>();
    export.path("receipts").forEach(receipts::add);
    return show(id, receipts);
  }
}
