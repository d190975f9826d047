package io.agentchat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.agentchat.client.ServerApi;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code agentchat receipts export}: an agent's receipt chain as its server issued it, to stdout or
 * atomically to a file.
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Export an agent's receipts (default: your identity's agent) from a server, oldest first.",
      "jsonl (default) is the server's file as is, ending with the signed HEAD line; json is the"
          + " same as one {\"receipts\":[…],\"head\":{…}} document. Both verify with `receipts"
          + " verify` and import elsewhere. yaml is for reading only: signatures, keys, chain"
          + " links and empty fields are left out and times are shown as dates, so it cannot be"
          + " verified."
    })
final class ReceiptsExportCommand extends AgentChatBaseCommand {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final YAMLMapper YAML =
      YAMLMapper.builder()
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
          .build();

  /** Members a reader has no use for: signatures, keys and chain links, which prove things. */
  private static final List<String> PROOFS = List.of("pubkeys", "prev", "server_pubkey");

  @Mixin ServerOption server;

  @Mixin IdentityOption identity;

  @Option(
      names = {"-a", "--agent"},
      paramLabel = "ID",
      description = "Whose receipts (default: the identity's agent).")
  String agent;

  @Option(
      names = {"-o", "--out"},
      paramLabel = "FILE",
      description = "Write to FILE (replaced whole, never half-written) instead of stdout.")
  Path outFile;

  @Option(
      names = {"-f", "--format"},
      paramLabel = "FORMAT",
      defaultValue = "jsonl",
      description = "jsonl, json or yaml (default: ${DEFAULT-VALUE}).")
  String format;

  @Override
  protected int run() throws IOException {
    if (!List.of("jsonl", "json", "yaml").contains(format)) {
      throw CommandExit.badInput("--format must be jsonl, json or yaml, not \"" + format + "\"");
    }
    Path directory = outFile == null ? null : outFile.toAbsolutePath().getParent();
    if (directory != null && !Files.isDirectory(directory)) {
      throw CommandExit.badInput("No such directory: " + directory);
    }
    if (outFile != null && Files.isDirectory(outFile)) {
      throw CommandExit.badInput(outFile + " is a directory");
    }
    String id = identity.agent(agent, "--agent");
    ServerApi api = server.api();
    String text;
    JsonNode head;
    if (format.equals("jsonl")) {
      text = api.exportReceipts(id, ServerApi.ExportFormat.JSONL);
      head = lastLine(text);
    } else {
      String document = api.exportReceipts(id, ServerApi.ExportFormat.JSON);
      JsonNode parsed = JSON.readTree(document);
      head = parsed.path("head");
      text = format.equals("json") ? document + "\n" : readable(parsed);
    }
    if (outFile == null) {
      out().print(text);
      return OK;
    }
    writeAtomically(directory, text);
    long count = head.path("count").asLong();
    err()
        .println(
            "Wrote "
                + count
                + (count == 1 ? " receipt" : " receipts")
                + " of "
                + id
                + " to "
                + outFile);
    return OK;
  }

  private static JsonNode lastLine(String jsonl) throws IOException {
    String trimmed = jsonl.strip();
    return JSON.readTree(trimmed.substring(trimmed.lastIndexOf('\n') + 1));
  }

  /**
   * The export without its proofs and empty members, times as dates: for people, not for verifiers.
   */
  private static String readable(JsonNode export) throws IOException {
    ObjectNode doc = YAML.createObjectNode();
    List<JsonNode> receipts = new ArrayList<>();
    export.path("receipts").forEach(r -> receipts.add(forPeople(r)));
    doc.putArray("receipts").addAll(receipts);
    doc.set("head", forPeople(export.path("head")));
    return "# Receipts for reading only: signatures and keys are left out, so this cannot be"
        + " verified.\n# Export with --format jsonl or json to verify or import.\n"
        + YAML.writeValueAsString(doc);
  }

  private static JsonNode forPeople(JsonNode record) {
    ObjectNode copy = YAML.createObjectNode();
    record
        .fields()
        .forEachRemaining(
            member -> {
              String name = member.getKey();
              JsonNode value = member.getValue();
              if (name.endsWith("_at") && value.isIntegralNumber()) {
                copy.put(name, Instant.ofEpochMilli(value.asLong()).toString());
              } else if (!value.isNull() && !name.endsWith("_sig") && !PROOFS.contains(name)) {
                copy.set(name, value);
              }
            });
    return copy;
  }

  /** Writes beside the target, then renames over it: a reader never sees half a file. */
  private void writeAtomically(Path directory, String text) {
    Path tmp = null;
    try {
      tmp = Files.createTempFile(directory, "." + outFile.getFileName(), ".tmp");
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      try {
        Files.move(
            tmp, outFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, outFile, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw CommandExit.failure("Cannot write " + outFile + ": " + e.getMessage());
    } finally {
      deleteQuietly(tmp);
    }
  }

  private static void deleteQuietly(Path tmp) {
    if (tmp == null) {
      return;
    }
    try {
      Files.deleteIfExists(tmp);
    } catch (IOException e) {
      // Only a leftover temporary file; the export itself succeeded or failed already.
    }
  }
}
