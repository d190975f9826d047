package io.agentchat.reputation.impl;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentchat.reputation.ImportRefusedException;
import io.agentchat.reputation.receipts.ReceiptFile;
import io.agentchat.reputation.receipts.ReceiptFileException;
import io.agentchat.reputation.receipts.ReceiptVerifier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A receipts file sent for import, verified whole: every receipt's signatures, hashes and chain,
 * and the HEAD. Blocking (file I/O and signature checks): call it on a worker thread.
 *
 * @param receipts the receipts, oldest settlement first
 * @param serverPubkey the public key (PEM) of the server that issued them, from the HEAD
 */
record ImportFile(List<JsonNode> receipts, String serverPubkey) {
  /**
   * @throws ImportRefusedException listing every problem when the file does not verify
   */
  static ImportFile verified(String text) {
    Path tmp = null;
    try {
      tmp = Files.createTempFile("agentchat-import", ".receipts");
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      List<String> problems = new ArrayList<>();
      ReceiptVerifier.Report report;
      try {
        report =
            ReceiptVerifier.create()
                .verify(
                    tmp,
                    p ->
                        problems.add(
                            (p.aboutFile() ? "file" : "receipt " + p.index())
                                + (p.proposalId() == null ? "" : " (" + p.proposalId() + ")")
                                + ": "
                                + p.message()));
      } catch (ReceiptFileException e) {
        throw new ImportRefusedException(
            "Not a receipts file: " + e.getMessage(), List.of(e.getMessage()));
      }
      if (!report.ok()) {
        throw new ImportRefusedException(
            "The file does not verify ("
                + report.badReceipts()
                + " of "
                + report.receipts()
                + " receipts bad); nothing was imported",
            problems);
      }
      return read(tmp);
    } catch (ReceiptFileException e) {
      throw new IllegalStateException("a verified file could not be read again", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // A temporary file left behind is the operating system's to clean.
        }
      }
    }
  }

  /** The receipts of a file that verified, oldest settlement first, and its server's key. */
  private static ImportFile read(Path verified) throws ReceiptFileException {
    ReceiptFile file = ReceiptFile.read(verified);
    List<JsonNode> receipts = new ArrayList<>(file.receipts());
    receipts.sort(
        Comparator.<JsonNode>comparingLong(r -> r.path("settled_at").asLong())
            .thenComparingLong(r -> r.path("seq").asLong()));
    return new ImportFile(receipts, file.head().path("server_pubkey").asText());
  }
}
