package io.agentchat.reputation.receipts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentchat.reputation.receipts.impl.ExportFile;
import io.agentchat.reputation.receipts.impl.Show;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The receipts of an export file (JSONL, or the JSON form {@code {"receipts":[…],"head":{…}}}) read
 * whole into memory, for tools that list, sum or replay them. Reading checks nothing but that each
 * record is a JSON object: use {@link ReceiptVerifier} to know whether they can be trusted.
 *
 * @param receipts the receipts in file order, HEAD lines left out
 * @param head the file's HEAD, or null when it has none where it belongs
 */
public record ReceiptFile(List<JsonNode> receipts, ObjectNode head) {

  public ReceiptFile {
    receipts = List.copyOf(receipts);
  }

  /**
   * Reads an export file.
   *
   * @throws ReceiptFileException if the file cannot be used: missing, unreadable, empty, not JSON,
   *     or a record that is not a JSON object (the message names its line)
   */
  public static ReceiptFile read(Path file) throws ReceiptFileException {
    ExportFile.Outline outline = ExportFile.outline(file);
    List<JsonNode> receipts = new ArrayList<>();
    try (ExportFile.Reader reader = ExportFile.open(file, outline.format())) {
      for (ExportFile.Entry entry = reader.next(); entry != null; entry = reader.next()) {
        JsonNode record = record(file, entry);
        if (!"HEAD".equals(record.path("type").asText())) {
          receipts.add(record);
        }
      }
      if (reader.stoppedBecause() != null) {
        throw new ReceiptFileException(file + ": " + reader.stoppedBecause());
      }
    } catch (IOException e) {
      throw new ReceiptFileException("Cannot read " + file + ": " + e.getMessage(), e);
    }
    return new ReceiptFile(receipts, outline.head());
  }

  private static JsonNode record(Path file, ExportFile.Entry entry) throws ReceiptFileException {
    String where = file + " line " + entry.line();
    if (entry.problem() != null) {
      throw new ReceiptFileException(where + ": " + entry.problem());
    }
    JsonNode tree;
    try {
      tree = entry.tree();
    } catch (JsonProcessingException e) {
      String reason = e.getOriginalMessage().lines().findFirst().orElse("");
      throw new ReceiptFileException(where + " is not valid JSON (" + Show.clip(reason) + ")", e);
    }
    if (!tree.isObject()) {
      throw new ReceiptFileException(where + " is not a JSON object");
    }
    return tree;
  }
}
