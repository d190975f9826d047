package io.agentchat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentchat.bench.receipts.ReceiptExportGenerator;
import io.agentchat.identity.Identity;
import io.agentchat.reputation.receipts.ServerKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReceiptsCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private final ServerKey server = ServerKey.of(Identity.generate("cli-test"), null);
  private Path export;
  private String agent;

  @BeforeEach
  void writeAnExport() throws Exception {
    export = dir.resolve("receipts.jsonl");
    agent = ReceiptExportGenerator.write(export, 30, 4, server);
  }

  /** The export with the task of the receipt on {@code line} (1-based) changed. */
  private Path tampered(int line) throws Exception {
    List<String> lines = Files.readAllLines(export);
    lines.set(line - 1, lines.get(line - 1).replace("\"task\":\"Task ", "\"task\":\"Job "));
    return Files.write(dir.resolve("tampered.jsonl"), lines);
  }

  private String head() throws Exception {
    List<String> lines = Files.readAllLines(export);
    return JSON.readTree(lines.get(lines.size() - 1)).get("head").asText();
  }

  @Test
  void anIntactExportVerifiesWithExitCodeZero() throws Exception {
    CliRun.Result run = CliRun.run("receipts", "verify", export.toString());

    assertEquals(0, run.exitCode(), run.err());
    assertEquals(
        "OK: 30 receipts, chain of " + agent + " intact, head " + head() + "\n", run.out());
  }

  @Test
  void aTamperedReceiptIsNamedAndFailsTheRun() throws Exception {
    CliRun.Result run = CliRun.run("receipts", "verify", tampered(5).toString());

    assertEquals(1, run.exitCode(), run.out() + run.err());
    String[] lines = run.out().split("\n");
    assertEquals(2, lines.length, run.out());
    assertTrue(lines[0].startsWith("line 5 (receipt 5, prop_"), lines[0]);
    assertTrue(lines[0].contains("proposal_sig does not verify for @"), lines[0]);
    assertEquals("FAILED: 1 of 30 receipts bad", lines[1]);
  }

  @Test
  void theServerKeyCanBeGivenAndAWrongOneFails() throws Exception {
    Path own = Files.writeString(dir.resolve("server.pem"), server.publicKeyPem());
    Path other =
        Files.writeString(dir.resolve("other.pem"), Identity.generate(null).publicKey().pem());

    CliRun.Result good =
        CliRun.run("receipts", "verify", export.toString(), "--server-key", own.toString());
    CliRun.Result wrong =
        CliRun.run("receipts", "verify", export.toString(), "--server-key", other.toString());

    assertEquals(0, good.exitCode(), good.out());
    assertEquals(1, wrong.exitCode(), wrong.out());
    assertTrue(wrong.out().contains("file: the HEAD was issued by " + server.id()), wrong.out());
    assertTrue(
        wrong.out().endsWith("FAILED: 30 of 30 receipts bad, 2 problems with the file\n"),
        wrong.out());
  }

  @Test
  void jsonOutputIsOneObjectForScripts() throws Exception {
    CliRun.Result good = CliRun.run("receipts", "verify", export.toString(), "--json");
    CliRun.Result bad = CliRun.run("receipts", "verify", tampered(7).toString(), "--json");

    JsonNode ok = JSON.readTree(good.out());
    assertEquals(0, good.exitCode(), good.err());
    assertTrue(ok.get("ok").asBoolean(), good.out());
    assertEquals(30, ok.get("receipts").asInt());
    assertEquals(agent, ok.get("agent").asText());
    assertEquals(server.id(), ok.get("server").asText());
    assertEquals(0, ok.get("problems").size());
    JsonNode failed = JSON.readTree(bad.out());
    assertEquals(1, bad.exitCode());
    assertEquals(1, failed.get("bad_receipts").asInt());
    assertEquals(7, failed.get("problems").get(0).get("line").asInt());
    assertTrue(failed.get("problems").get(0).get("proposal_id").asText().startsWith("prop_"));
  }

  @Test
  void unusableInputExitsWithTwoAndOneLine() throws Exception {
    Path missing = dir.resolve("nothing.jsonl");
    Path text = Files.writeString(dir.resolve("notes.txt"), "hello\n");
    Path notAKey = Files.writeString(dir.resolve("key.pem"), "not a key\n");

    CliRun.Result noFile = CliRun.run("receipts", "verify", missing.toString());
    CliRun.Result notJson = CliRun.run("receipts", "verify", text.toString());
    CliRun.Result badKey =
        CliRun.run("receipts", "verify", export.toString(), "--server-key", notAKey.toString());

    assertEquals(2, noFile.exitCode());
    assertEquals("Error: No such file: " + missing + "\n", noFile.err());
    assertEquals(2, notJson.exitCode());
    assertTrue(notJson.err().startsWith("Error: " + text + " is not JSON"), notJson.err());
    assertEquals(1, notJson.err().lines().count(), notJson.err());
    assertEquals(2, badKey.exitCode());
    assertTrue(
        badKey.err().startsWith("Error: " + notAKey + " is not an Ed25519 public key"),
        badKey.err());
    assertEquals("", noFile.out() + notJson.out() + badKey.out());
  }

  @Test
  void receiptsAloneShowsItsSubcommands() {
    CliRun.Result run = CliRun.run("receipts");

    assertEquals(2, run.exitCode());
    assertTrue(run.err().contains("verify"), run.err());
  }
}
