package io.agentchat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.agentchat.marketplace.testdb.TestDatabases;
import io.agentchat.server.ReputationServer;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code receipts export}, {@code import}, {@code list} and {@code summary} against real servers:
 * an issuer where alice dealt with bob and carol, and a second server that trusts the issuer's key
 * and takes request bodies up to {@value #IMPORT_LIMIT} bytes.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ReceiptsTransferCommandsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int IMPORT_LIMIT = 64 * 1024;
  private static final String NO_SERVER = "ws://127.0.0.1:1";

  @TempDir static Path dir;
  private static ReputationServer issuer;
  private static ReputationServer trusting;
  private static TradingAgent alice;
  private static TradingAgent bob;
  private static TradingAgent carol;
  private static Path serverKey;

  /** Alice's export as the issuer wrote it (JSONL). */
  private static Path aliceJsonl;

  @BeforeAll
  static void trade() throws Exception {
    issuer =
        ReputationServer.start(
            TestDatabases.emptyDatabaseUrl(), dir.resolve("issuer"), Duration.ZERO, List.of());
    String issuerKey = issuer.reputation.server().publicKey();
    serverKey = Files.writeString(dir.resolve("issuer.pem"), issuerKey);
    trusting =
        ReputationServer.start(
            TestDatabases.emptyDatabaseUrl(),
            dir.resolve("trusting"),
            Duration.ZERO,
            List.of(issuerKey),
            IMPORT_LIMIT);
    alice = TradingAgent.join(issuer, dir, "alice");
    bob = TradingAgent.join(issuer, dir, "bob");
    carol = TradingAgent.join(issuer, dir, "carol");
    bob.client.complete(alice.agree(bob, new BigDecimal("10"), "Code", null, null), null).await();
    alice.client.dispute(bob.agree(alice, new BigDecimal("2.5"), null, null, null), "late").await();
    alice.client.complete(carol.agree(alice, null, null, null, null), "done").await();

    aliceJsonl = dir.resolve("alice.jsonl");
    Files.writeString(
        aliceJsonl, issuer.get("/v1/agents/" + alice.id() + "/receipts?format=jsonl").body());
  }

  @AfterAll
  static void stop() throws Exception {
    for (TradingAgent a : new TradingAgent[] {alice, bob, carol}) {
      if (a != null) {
        a.close();
      }
    }
    for (ReputationServer s : new ReputationServer[] {issuer, trusting}) {
      if (s != null) {
        s.close();
      }
    }
  }

  private static CliRun.Result ok(String... args) {
    CliRun.Result run = CliRun.run(args);
    assertEquals(0, run.exitCode(), String.join(" ", args) + " failed: " + run.err());
    return run;
  }

  private static CliRun.Result verify(Path file) {
    return CliRun.run("receipts", "verify", file.toString(), "--server-key", serverKey.toString());
  }

  // ---------------------------------------------------------------------------------- export

  @Test
  void aJsonlExportIsTheServersFileAsIs() throws Exception {
    CliRun.Result run =
        ok("receipts", "export", "--server", issuer.url(), "--agent", alice.identity.agentId());

    List<String> printed = run.out().lines().toList();
    List<String> served = Files.readAllLines(aliceJsonl);
    assertEquals(4, printed.size(), run.out());
    // Each export signs a HEAD of its own, issued at its own time; the receipts are the same.
    assertEquals(served.subList(0, 3), printed.subList(0, 3));
    assertEquals("HEAD", JSON.readTree(printed.get(3)).get("type").asText());
  }

  @Test
  void jsonlAndJsonExportsWrittenToAFileVerify() throws Exception {
    for (String format : List.of("jsonl", "json")) {
      Path file = dir.resolve("verified-" + format);
      CliRun.Result export =
          ok(
              "receipts",
              "export",
              "--server",
              issuer.url(),
              "--identity",
              alice.identityFile.toString(),
              "--format",
              format,
              "--out",
              file.toString());

      assertEquals("", export.out());
      assertEquals("Wrote 3 receipts of " + alice.id() + " to " + file + "\n", export.err());
      CliRun.Result verified = verify(file);
      assertEquals(0, verified.exitCode(), format + ": " + verified.out());
      assertTrue(
          verified.out().startsWith("OK: 3 receipts, chain of " + alice.id() + " intact"),
          verified.out());
    }
  }

  @Test
  void anExportReplacesTheFileWholeAndLeavesNothingBehind() throws Exception {
    Path out = Files.createDirectories(dir.resolve("replace")).resolve("bob.jsonl");
    Files.writeString(out, "an older export\n");

    ok("receipts", "export", "--server", issuer.url(), "--agent", bob.id(), "--out", "" + out);

    try (Stream<Path> files = Files.list(out.getParent())) {
      assertEquals(List.of(out), files.toList(), "no temporary file left");
    }
    assertEquals(0, verify(out).exitCode());
  }

  @Test
  void aYamlExportIsForReadingOnly() throws Exception {
    CliRun.Result run =
        ok("receipts", "export", "--server", issuer.url(), "--agent", alice.id(), "-f", "yaml");

    assertTrue(run.out().startsWith("# Receipts for reading only"), run.out());
    assertFalse(run.out().contains("_sig"), "signatures are left out");
    assertFalse(run.out().contains("BEGIN PUBLIC KEY"), "keys are left out");
    JsonNode doc = new YAMLMapper().readTree(run.out());
    assertEquals(3, doc.get("receipts").size());
    assertEquals(3, doc.get("head").get("count").asInt());
    JsonNode first = doc.get("receipts").get(0);
    assertEquals("COMPLETE", first.get("type").asText());
    assertEquals("code", first.get("capability").asText().toLowerCase(java.util.Locale.ROOT));
    Instant.parse(first.get("settled_at").asText());
    Instant.parse(first.get("completed_at").asText());
  }

  @Test
  void exportFailuresAndBadInput() {
    CliRun.Result unknown =
        CliRun.run("receipts", "export", "--server", issuer.url(), "--agent", "0123456789abcdef");
    assertEquals(1, unknown.exitCode());
    assertEquals("Error: No receipts of @0123456789abcdef on this server\n", unknown.err());

    CliRun.Result refused =
        CliRun.run("receipts", "export", "--server", NO_SERVER, "--agent", alice.id());
    assertEquals(1, refused.exitCode());
    assertEquals(
        "Error: Cannot connect to http://127.0.0.1:1 (connection refused)\n", refused.err());

    CliRun.Result format =
        CliRun.run("receipts", "export", "--agent", alice.id(), "--format", "csv");
    assertEquals(2, format.exitCode());
    assertEquals("Error: --format must be jsonl, json or yaml, not \"csv\"\n", format.err());

    Path nowhere = dir.resolve("no-such-dir").resolve("x.jsonl");
    CliRun.Result out =
        CliRun.run("receipts", "export", "--agent", alice.id(), "--out", nowhere.toString());
    assertEquals(2, out.exitCode());
    assertEquals("Error: No such directory: " + nowhere.getParent() + "\n", out.err());

    CliRun.Result badId = CliRun.run("receipts", "export", "--agent", "alice");
    assertEquals(2, badId.exitCode());
    assertEquals(
        "Error: Invalid agent id \"alice\" (16 lowercase hex digits, @ optional)\n", badId.err());
  }

  // ---------------------------------------------------------------------------------- import

  @Test
  void anImportCountsWhereTheIssuerIsTrustedAndOnlyOnce() throws Exception {
    CliRun.Result first =
        ok("receipts", "import", aliceJsonl.toString(), "--server", trusting.url());
    assertEquals("counted 3, kept 0, duplicates 0\n", first.out());
    JsonNode there = JSON.readTree(trusting.get("/v1/agents/" + alice.id()).body());
    JsonNode here = JSON.readTree(issuer.get("/v1/agents/" + alice.id()).body());
    assertEquals(here.get("rating"), there.get("rating"), "the same deals, fresh agents");

    CliRun.Result again =
        ok("receipts", "import", aliceJsonl.toString(), "--server", trusting.url(), "--verbose");
    List<String> lines = again.out().lines().toList();
    assertEquals(5, lines.size(), again.out());
    assertTrue(lines.get(0).matches("PROPOSAL +SERVER +RESULT"), lines.get(0));
    String issuerId = issuer.reputation.server().id();
    for (String line : lines.subList(1, 4)) {
      assertTrue(line.matches("prop_\\S+ +" + issuerId + " +duplicate"), line);
    }
    assertEquals("counted 0, kept 0, duplicates 3", lines.get(4));

    Path bobJson = dir.resolve("bob.json");
    ok(
        "receipts",
        "export",
        "--server",
        issuer.url(),
        "--agent",
        bob.id(),
        "-f",
        "json",
        "-o",
        "" + bobJson);
    CliRun.Result json =
        ok("receipts", "import", bobJson.toString(), "--server", trusting.url(), "--json");
    JsonNode answer = JSON.readTree(json.out());
    assertEquals(0, answer.get("counted").asInt(), json.out());
    assertEquals(2, answer.get("duplicates").asInt(), "bob's deals were all with alice");
    assertEquals(2, answer.get("receipts").size());
  }

  @Test
  void aFileThatDoesNotVerifyIsRefusedWithItsProblems() throws Exception {
    Path tampered = dir.resolve("tampered.jsonl");
    Files.writeString(
        tampered, Files.readString(aliceJsonl).replaceFirst("\"task\":\"task ", "\"task\":\"job "));

    CliRun.Result run =
        CliRun.run("receipts", "import", tampered.toString(), "--server", trusting.url());
    CliRun.Result json =
        CliRun.run("receipts", "import", tampered.toString(), "--server", trusting.url(), "--json");

    assertEquals(1, run.exitCode(), run.out());
    assertEquals("", run.out());
    List<String> err = run.err().lines().toList();
    assertEquals(
        "Error: The file does not verify (1 of 3 receipts bad); nothing was imported", err.get(0));
    assertTrue(err.size() > 1, run.err());
    assertTrue(err.get(1).startsWith("  receipt 1 (prop_"), run.err());
    assertEquals(1, json.exitCode());
    assertEquals(422, JSON.readTree(json.out()).get("status").asInt());
  }

  @Test
  void aFileLargerThanTheServerTakesGetsAClearMessage() throws Exception {
    Path big = dir.resolve("big.jsonl");
    Files.writeString(big, Files.readString(aliceJsonl) + " ".repeat(IMPORT_LIMIT) + "\n");

    CliRun.Result run =
        CliRun.run("receipts", "import", big.toString(), "--server", trusting.url());

    assertEquals(1, run.exitCode(), run.out());
    assertEquals(
        "Error: "
            + big
            + " is larger than the server takes (The request body is larger than "
            + IMPORT_LIMIT
            + " bytes)\n",
        run.err());
  }

  @Test
  void importFailuresAndBadInput() {
    Path missing = dir.resolve("missing.jsonl");
    CliRun.Result noFile = CliRun.run("receipts", "import", missing.toString());
    assertEquals(2, noFile.exitCode());
    assertEquals("Error: No such file: " + missing + "\n", noFile.err());

    CliRun.Result directory = CliRun.run("receipts", "import", dir.toString());
    assertEquals(2, directory.exitCode());
    assertEquals("Error: " + dir + " is not a file\n", directory.err());

    CliRun.Result noServer =
        CliRun.run("receipts", "import", aliceJsonl.toString(), "--server", NO_SERVER);
    assertEquals(1, noServer.exitCode());
    assertEquals(
        "Error: Cannot connect to http://127.0.0.1:1 (connection refused)\n", noServer.err());
  }

  // ---------------------------------------------------------------------------- list, summary

  @Test
  void listShowsOneLinePerReceiptWithTheAgentsChange() throws Exception {
    CliRun.Result run = ok("receipts", "list", aliceJsonl.toString());

    List<String> lines = run.out().lines().toList();
    assertEquals(4, lines.size(), run.out());
    assertTrue(
        lines.get(0).matches("SEQ +TYPE +PROPOSAL +COUNTERPARTY +CHANGE +SETTLED"), lines.get(0));
    List<JsonNode> receipts = receiptsOf(aliceJsonl);
    String[] types = {"COMPLETE", "DISPUTE \\(unilateral\\)", "COMPLETE"};
    String[] counterparties = {bob.id(), bob.id(), carol.id()};
    for (int i = 0; i < 3; i++) {
      JsonNode r = receipts.get(i);
      long change = r.get("rating_changes").get(alice.id()).get("change").asLong();
      String expected =
          r.get("seq").asLong()
              + " +"
              + types[i]
              + " +"
              + r.get("proposal_id").asText()
              + " +"
              + counterparties[i]
              + " +"
              + (change > 0 ? "\\+" + change : "" + change)
              + " +"
              + Instant.ofEpochMilli(r.get("settled_at").asLong())
                  .truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
      assertTrue(lines.get(i + 1).matches(expected), lines.get(i + 1) + " !~ " + expected);
    }
    assertTrue(lines.get(1).contains(" +17 "), "amount 10: +17 each");
  }

  @Test
  void listFromTheServerTakesTheIdentitysAgent() throws Exception {
    CliRun.Result run =
        ok(
            "receipts",
            "list",
            "--server",
            issuer.url(),
            "--identity",
            alice.identityFile.toString(),
            "--json");

    JsonNode list = JSON.readTree(run.out());
    List<JsonNode> receipts = receiptsOf(aliceJsonl);
    assertEquals(3, list.size());
    for (int i = 0; i < 3; i++) {
      assertEquals(receipts.get(i).get("proposal_id"), list.get(i).get("proposal_id"));
    }
    assertEquals("unilateral", list.get(1).get("settlement").asText());
    assertEquals(carol.id(), list.get(2).get("counterparty").asText());
  }

  @Test
  void summaryAddsUpCountsDatesCounterpartiesMoneyAndTheRatingChange() throws Exception {
    CliRun.Result text = ok("receipts", "summary", aliceJsonl.toString());
    CliRun.Result json =
        ok("receipts", "summary", "--server", issuer.url(), "--agent", alice.id(), "--json");

    List<JsonNode> receipts = receiptsOf(aliceJsonl);
    String first = time(receipts.get(0));
    String last = time(receipts.get(2));
    long rating =
        JSON.readTree(issuer.get("/v1/agents/" + alice.id()).body()).get("rating").asLong();
    List<String> counterparties = Stream.of(bob.id(), carol.id()).sorted().toList();
    assertEquals(
        String.join(
            "\n",
            "Agent           " + alice.id(),
            "Receipts        3",
            "First settled   " + first,
            "Last settled    " + last,
            "Counterparties  2: " + String.join(", ", counterparties),
            "Completions     2",
            "Disputes        1",
            "Rating change   +" + (rating - 1200),
            "",
            "CURRENCY  DEALS  TOTAL",
            "TEST      2      12.5",
            "unknown   1      -",
            ""),
        text.out());
    JsonNode s = JSON.readTree(json.out());
    assertEquals(3, s.get("receipts").asInt());
    assertEquals(first, s.get("first_settled_at").asText());
    assertEquals(rating - 1200, s.get("rating_change").asLong());
    assertEquals(
        new BigDecimal("12.5"), s.get("currencies").get("TEST").get("total").decimalValue());
    assertTrue(s.get("currencies").get("unknown").get("total").isNull());
    assertEquals(counterparties.size(), s.get("counterparties").size());
  }

  @Test
  void listAndSummaryRefuseUnusableInput() throws Exception {
    CliRun.Result both =
        CliRun.run("receipts", "list", aliceJsonl.toString(), "--server", issuer.url());
    assertEquals(2, both.exitCode());
    assertEquals("Error: Give a FILE or --server, not both\n", both.err());

    Path notes = Files.writeString(dir.resolve("notes.txt"), "hello\n");
    CliRun.Result notJson = CliRun.run("receipts", "summary", notes.toString());
    assertEquals(2, notJson.exitCode());
    assertTrue(notJson.err().startsWith("Error: " + notes + " is not JSON"), notJson.err());
    assertEquals(1, notJson.err().lines().count());

    CliRun.Result unknown =
        CliRun.run("receipts", "list", "--server", issuer.url(), "--agent", "@0123456789abcdef");
    assertEquals(1, unknown.exitCode());
    assertEquals("Error: No receipts of @0123456789abcdef on this server\n", unknown.err());
  }

  private static List<JsonNode> receiptsOf(Path jsonl) throws Exception {
    List<String> lines = Files.readAllLines(jsonl);
    return lines.subList(0, lines.size() - 1).stream()
        .map(
            l -> {
              try {
                return JSON.readTree(l);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            })
        .toList();
  }

  private static String time(JsonNode receipt) {
    return Instant.ofEpochMilli(receipt.get("settled_at").asLong())
        .truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
        .toString();
  }
}
