package io.agentchat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The payments the receipts of an export file carry, read in one streaming pass (JSONL stays
 * bounded in memory): which were paid on the server's own ledger, and which on a chain. A receipt's
 * signatures prove only that the server says it verified a payment; whether the chain agrees is a
 * separate check, which needs the chain.
 */
final class ReceiptPayments {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A payment a receipt carries, with where it sits in the file. */
  record Paid(long index, String proposalId, JsonNode receipt, JsonNode payment) {
    boolean onChain() {
      return payment.hasNonNull("tx");
    }
  }

  private ReceiptPayments() {}

  /**
   * Hands every receipt's payment to {@code each}, in file order.
   *
   * @return how many receipts carried one
   */
  static long read(Path file, Consumer<Paid> each) throws IOException {
    long index = 0;
    long paid = 0;
    try (MappingIterator<JsonNode> values =
        JSON.readerFor(JsonNode.class).readValues(file.toFile())) {
      while (values.hasNextValue()) {
        JsonNode value = values.nextValue();
        List<JsonNode> receipts = new ArrayList<>();
        if (value.has("receipts") && value.get("receipts").isArray()) {
          value.get("receipts").forEach(receipts::add); // the JSON form: one document
        } else if (!"HEAD".equals(value.path("type").asText())) {
          receipts.add(value);
        }
        for (JsonNode r : receipts) {
          index++;
          JsonNode payment = r.path("payment");
          if (payment.isObject()) {
            paid++;
            each.accept(new Paid(index, r.path("proposal_id").asText(), r, payment));
          }
        }
      }
    }
    return paid;
  }
}
