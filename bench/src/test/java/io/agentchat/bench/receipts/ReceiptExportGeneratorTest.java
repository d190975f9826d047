package io.agentchat.bench.receipts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentchat.identity.Identity;
import io.agentchat.reputation.receipts.ReceiptVerifier;
import io.agentchat.reputation.receipts.ServerKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReceiptExportGeneratorTest {
  @TempDir Path dir;

  @Test
  void theGeneratedChainVerifiesWithCompletionsAndBothKindsOfDispute() throws Exception {
    ServerKey server = ServerKey.of(Identity.generate("bench"), null);
    Path file = dir.resolve("chain.jsonl");

    String agent = ReceiptExportGenerator.write(file, 120, 7, server);

    List<ReceiptVerifier.Problem> problems = new ArrayList<>();
    ReceiptVerifier.Report report =
        ReceiptVerifier.create().expectingServer(server.publicKey()).verify(file, problems::add);
    assertTrue(report.ok(), problems.toString());
    assertEquals(120, report.receipts());
    assertEquals(agent, report.agent());
    String text = Files.readString(file);
    assertTrue(text.contains("\"settlement\":\"unilateral\""));
    assertTrue(text.contains("\"settlement\":\"mutual\""));
  }

  @Test
  void theJsonDocumentFormVerifiesToo() throws Exception {
    ServerKey server = ServerKey.of(Identity.generate("bench"), null);
    Path file = dir.resolve("chain.json");

    ReceiptExportGenerator.write(file, 40, 3, server, true);

    List<ReceiptVerifier.Problem> problems = new ArrayList<>();
    ReceiptVerifier.Report report = ReceiptVerifier.create().verify(file, problems::add);
    assertTrue(report.ok(), problems.toString());
    assertEquals(40, report.receipts());
  }
}
