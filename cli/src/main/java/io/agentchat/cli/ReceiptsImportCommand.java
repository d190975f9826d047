package io.agentchat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentchat.client.ServerApiException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code agentchat receipts import}: sends a receipts export to a server, which takes it whole or
 * not at all.
 */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = {
      "Send a receipts export (JSONL or JSON) to a server. The server verifies the whole file;"
          + " receipts issued by a server it trusts (serve --trust-server) count in its ratings,"
          + " others are kept as history, and receipts it already has are skipped.",
      "A file that does not verify is refused whole: its problems are printed and the exit"
          + " code is 1."
    })
final class ReceiptsImportCommand extends AgentChatBaseCommand {
  @Parameters(paramLabel = "FILE", description = "The export to send.")
  Path file;

  @Mixin ServerOption server;

  @Option(names = "--json", description = "Print the server's answer as JSON.")
  boolean json;

  @Option(
      names = {"-v", "--verbose"},
      description = "Also print what became of each receipt.")
  boolean verbose;

  @Override
  protected int run() {
    if (!Files.isRegularFile(file)) {
      throw CommandExit.badInput(
          Files.exists(file) ? file + " is not a file" : "No such file: " + file);
    }
    if (!Files.isReadable(file)) {
      throw CommandExit.badInput("Cannot read " + file + ": permission denied");
    }
    JsonNode answer;
    try {
      answer = server.api().importReceipts(file);
    } catch (ServerApiException e) {
      return refused(e);
    }
    if (json) {
      out().println(JsonOutput.pretty(answer));
      return OK;
    }
    if (verbose) {
      TextTable table = new TextTable("PROPOSAL", "SERVER", "RESULT");
      answer
          .path("receipts")
          .forEach(
              r ->
                  table.row(
                      TextTable.cell(r.get("proposal_id")),
                      TextTable.cell(r.get("server")),
                      TextTable.cell(r.get("result"))));
      table.print(out());
    }
    out()
        .println(
            "counted "
                + answer.path("counted").asLong()
                + ", kept "
                + answer.path("kept").asLong()
                + ", duplicates "
                + answer.path("duplicates").asLong());
    return OK;
  }

  private int refused(ServerApiException e) {
    if (e.status() == 413) {
      throw CommandExit.failure(file + " is larger than the server takes (" + e.getMessage() + ")");
    }
    if (e.status() != 422) {
      throw e;
    }
    if (json && e.body() != null) {
      out().println(JsonOutput.pretty(e.body()));
      return FAILURE;
    }
    err().println("Error: " + e.getMessage());
    e.problems().forEach(p -> err().println("  " + p));
    return FAILURE;
  }
}
