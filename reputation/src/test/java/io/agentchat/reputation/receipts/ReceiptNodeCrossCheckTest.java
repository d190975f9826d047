package io.agentchat.reputation.receipts;

import static io.agentchat.reputation.receipts.ReceiptChain.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentchat.identity.AgentKeyPair;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Receipts sealed in Java are verified by an independent implementation: {@code
 * src/test/node/verify-receipts.mjs}, on Node's built-in crypto, with JavaScript's own rendering of
 * numbers and or-empty slots. Node 18 or later is required; without it these tests fail.
 */
class ReceiptNodeCrossCheckTest {
  private static final Path SCRIPT = Path.of("src/test/node/verify-receipts.mjs");
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  @TempDir Path dir;

  private final AgentKeyPair alice = ReceiptChain.agent();
  private final AgentKeyPair bob = ReceiptChain.agent();
  private final AgentKeyPair carol = ReceiptChain.agent();
  private final ReceiptChain chain = new ReceiptChain();

  /** Deals whose values exercise number rendering, or-empty slots, escapes and non-ASCII text. */
  @BeforeEach
  void settleVariedDeals() {
    Object[][] amounts = {
      {NODES.numberNode(10), NODES.numberNode(0)},
      {NODES.numberNode(0.1), NullNode.instance},
      {NODES.numberNode(1e-7), NODES.numberNode(25)},
      {NODES.numberNode(123456789.125), NullNode.instance},
      {NODES.numberNode(1e21), NODES.numberNode(1)},
      {NODES.numberNode(new BigDecimal("10.50")), NullNode.instance},
      {NullNode.instance, NullNode.instance},
    };
    for (Object[] terms : amounts) {
      ReceiptChain.Deal deal =
          new ReceiptChain.Deal()
              .with(
                  d -> {
                    d.amount = (com.fasterxml.jackson.databind.JsonNode) terms[0];
                    d.eloStake = (com.fasterxml.jackson.databind.JsonNode) terms[1];
                  });
      chain.complete(alice, bob, bob, deal, r -> {});
    }
    ReceiptChain.Deal unusual =
        new ReceiptChain.Deal()
            .with(
                d -> {
                  d.task = "Übersetze \"Hallo\"\n日本語 😀 \\ / \u007f\u2028 tab\there";
                  d.capability = NullNode.instance;
                  d.currency = NullNode.instance;
                  d.expires = NullNode.instance;
                  d.paymentCode = NODES.textNode("iban:DE00 1234");
                  d.acceptPaymentCode = NullNode.instance;
                  d.acceptEloStake = NullNode.instance;
                  d.proof = NullNode.instance;
                });
    chain.complete(carol, alice, alice, unusual, r -> {});
    chain.complete(alice, alice, alice); // a self-proposal: one key, one prev entry
    chain.dispute(bob, alice, bob, "never delivered");
    chain.complete(bob, carol, carol); // not alice's, but moves bob's chain
    chain.dispute(alice, carol, carol, "late", alice, "delivered on time", r -> {});
    chain.complete(bob, alice, alice);
  }

  @Test
  void nodeVerifiesTheReceiptsJavaSealed() throws Exception {
    Path file = chain.writeJsonl(dir.resolve("alice.jsonl"), alice);
    assertTrue(javaVerifies(file), "the Java verifier must accept the fixture first");

    NodeRun run = node(file);

    assertEquals(0, run.exitCode(), run.output());
    assertTrue(
        run.output().startsWith("OK: 12 receipts, chain of " + id(alice) + " intact"),
        run.output());
  }

  @Test
  void nodeDetectsAChangedAmount() throws Exception {
    List<String> lines = new ArrayList<>(chain.jsonlLines(alice));
    lines.set(2, lines.get(2).replace("\"amount\":1.0E-7", "\"amount\":1.0E-6"));
    assertTrue(!lines.get(2).equals(chain.jsonlLines(alice).get(2)), "the amount must be there");
    Path file = ReceiptChain.writeLines(dir.resolve("changed.jsonl"), lines);

    NodeRun run = node(file);

    assertEquals(1, run.exitCode(), run.output());
    assertTrue(run.output().contains("line 3 ("), run.output());
    assertTrue(
        run.output().contains("proposal_sig does not verify for " + id(alice)), run.output());
    assertTrue(run.output().contains("hash does not match"), run.output());
    assertTrue(run.output().contains("FAILED: 1 of 12 receipts bad"), run.output());
  }

  @Test
  void nodeDetectsARemovedReceiptAndAForgedSeal() throws Exception {
    List<String> lines = new ArrayList<>(chain.jsonlLines(alice));
    lines.remove(4);
    ObjectNode forged = ReceiptChain.parse(lines.get(6));
    forged.put("task", "rewritten");
    forged.put("hash", ReceiptSeal.hash(forged));
    lines.set(6, ReceiptChain.write(forged));
    Path file = ReceiptChain.writeLines(dir.resolve("changed.jsonl"), lines);

    NodeRun run = node(file);

    assertEquals(1, run.exitCode(), run.output());
    assertTrue(run.output().contains("line 5 ("), run.output());
    assertTrue(run.output().contains("chain broken: prev[" + id(alice) + "]"), run.output());
    assertTrue(run.output().contains("server_sig does not verify"), run.output());
    assertTrue(run.output().contains("file: HEAD counts 12, the file has 11"), run.output());
  }

  @Test
  void nodeChecksAGivenServerKey() throws Exception {
    Path file = chain.writeJsonl(dir.resolve("alice.jsonl"), alice);
    Path ownKey = Files.writeString(dir.resolve("server.pem"), chain.server.publicKeyPem());
    Path otherKey =
        Files.writeString(dir.resolve("other.pem"), ReceiptChain.agent().publicKey().pem());

    NodeRun good = node(file, "--server-key", ownKey.toString());
    NodeRun wrong = node(file, "--server-key", otherKey.toString());

    assertEquals(0, good.exitCode(), good.output());
    assertEquals(1, wrong.exitCode(), wrong.output());
    assertTrue(wrong.output().contains("file: HEAD server_sig does not verify"), wrong.output());
  }

  private boolean javaVerifies(Path file) throws ReceiptFileException {
    List<ReceiptVerifier.Problem> problems = new ArrayList<>();
    boolean ok = ReceiptVerifier.create().verify(file, problems::add).ok();
    if (!ok) {
      fail(problems.toString());
    }
    return true;
  }

  private record NodeRun(int exitCode, String output) {}

  private NodeRun node(Path file, String... flags) throws IOException, InterruptedException {
    requireNode18();
    List<String> command = new ArrayList<>(List.of("node", SCRIPT.toString(), file.toString()));
    command.addAll(List.of(flags));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail("node did not finish within 60 s: " + output);
    }
    return new NodeRun(process.exitValue(), output);
  }

  private static void requireNode18() throws InterruptedException {
    String version;
    try {
      Process process = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      version = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (IOException e) {
      throw new AssertionError(
          "node is not installed: the receipts cross-check needs Node.js 18 or later on the PATH"
              + " (install it, e.g. apt-get install nodejs)",
          e);
    }
    Matcher major = Pattern.compile("^v(\\d+)\\.").matcher(version);
    if (!major.find() || Integer.parseInt(major.group(1)) < 18) {
      fail("the receipts cross-check needs Node.js 18 or later; `node --version` says " + version);
    }
  }
}
