package io.agentchat.reputation.receipts;

import static io.agentchat.reputation.receipts.ReceiptChain.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentchat.identity.AgentKey;
import io.agentchat.identity.AgentKeyPair;
import io.agentchat.identity.Identity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReceiptVerifierTest {
  @TempDir Path dir;

  private final AgentKeyPair alice = ReceiptChain.agent();
  private final AgentKeyPair bob = ReceiptChain.agent();
  private final AgentKeyPair carol = ReceiptChain.agent();
  private final AgentKeyPair dave = ReceiptChain.agent();
  private ReceiptChain chain;

  /** Alice's five deals: with bob, carol (a unilateral dispute), bob, dave (mutual), carol. */
  @BeforeEach
  void settleSomeDeals() {
    chain = new ReceiptChain();
    chain.complete(alice, bob, bob);
    chain.dispute(carol, alice, alice, "never delivered");
    chain.complete(bob, carol, carol); // not alice's
    chain.complete(alice, bob, alice);
    chain.dispute(alice, dave, dave, "late", alice, "delivered on time", r -> {});
    chain.complete(carol, alice, carol);
  }

  /** Verification's outcome: the totals and every problem, in the order reported. */
  private record Outcome(ReceiptVerifier.Report report, List<ReceiptVerifier.Problem> problems) {
    String text() {
      return problems.stream()
          .map(p -> p.line() + ":" + p.index() + ": " + p.message())
          .collect(Collectors.joining("\n"));
    }

    /** The problem of the receipt at this position; fails if it has none. */
    String of(int index) {
      return problems.stream()
          .filter(p -> p.index() == index)
          .map(ReceiptVerifier.Problem::message)
          .findFirst()
          .orElseThrow(
              () -> new AssertionError("receipt " + index + " has no problem:\n" + text()));
    }

    List<String> aboutFile() {
      return problems.stream()
          .filter(ReceiptVerifier.Problem::aboutFile)
          .map(ReceiptVerifier.Problem::message)
          .toList();
    }
  }

  private Outcome verify(Path file) throws ReceiptFileException {
    return verify(file, ReceiptVerifier.create());
  }

  private Outcome verify(Path file, ReceiptVerifier verifier) throws ReceiptFileException {
    List<ReceiptVerifier.Problem> problems = new ArrayList<>();
    ReceiptVerifier.Report report = verifier.verify(file, problems::add);
    return new Outcome(report, problems);
  }

  private Path export() {
    return chain.writeJsonl(dir.resolve("alice.jsonl"), alice);
  }

  /** Writes alice's export with its receipt lines changed. */
  private Path exportWith(Consumer<List<String>> change) {
    List<String> lines = new ArrayList<>(chain.jsonlLines(alice));
    change.accept(lines);
    return ReceiptChain.writeLines(dir.resolve("changed.jsonl"), lines);
  }

  /** Changes one member of one receipt line, leaving the rest of the line as it was. */
  private static void edit(List<String> lines, int index, Consumer<ObjectNode> change) {
    ObjectNode receipt = ReceiptChain.parse(lines.get(index));
    change.accept(receipt);
    lines.set(index, ReceiptChain.write(receipt));
  }

  /** Changes one character of a text member, keeping hex hex and base64 base64. */
  private static void flip(ObjectNode receipt, String member, int at) {
    String text = receipt.get(member).asText();
    char replaced = text.charAt(at);
    char by =
        replaced == '0' ? '1' : replaced == 'A' ? 'B' : Character.isDigit(replaced) ? '0' : 'A';
    if (Character.isLowerCase(replaced)) {
      by = replaced == 'a' ? 'b' : 'a';
    }
    receipt.put(member, text.substring(0, at) + by + text.substring(at + 1));
  }

  @Test
  void anIntactChainVerifies() throws Exception {
    Outcome outcome = verify(export());

    assertTrue(outcome.report().ok(), outcome.text());
    assertEquals(5, outcome.report().receipts());
    assertEquals(id(alice), outcome.report().agent());
    assertEquals(chain.server.id(), outcome.report().server());
    assertEquals(chain.of(alice).get(4).get("hash").asText(), outcome.report().head());
  }

  @Test
  void theSameChainVerifiesAsOneJsonDocument() throws Exception {
    Outcome outcome = verify(chain.writeJson(dir.resolve("alice.json"), alice));

    assertTrue(outcome.report().ok(), outcome.text());
    assertEquals(5, outcome.report().receipts());
  }

  @Test
  void anIntactChainVerifiesWithTheServersKeyGiven() throws Exception {
    Outcome outcome =
        verify(export(), ReceiptVerifier.create().expectingServer(chain.server.publicKey()));

    assertTrue(outcome.report().ok(), outcome.text());
  }

  @Test
  void anAgentWithoutSettlementsHasAnEmptyChain() throws Exception {
    AgentKeyPair newcomer = ReceiptChain.agent();

    Outcome outcome = verify(chain.writeJsonl(dir.resolve("new.jsonl"), newcomer));

    assertTrue(outcome.report().ok(), outcome.text());
    assertEquals(0, outcome.report().receipts());
    assertNull(outcome.report().head());
  }

  @Test
  void aChangedTaskBreaksTheProposalSignatureAndTheHash() throws Exception {
    Outcome outcome =
        verify(exportWith(lines -> edit(lines, 0, r -> r.put("task", "Review PR #43"))));

    assertFalse(outcome.report().ok());
    assertEquals(1, outcome.report().badReceipts(), outcome.text());
    assertTrue(
        outcome.of(1).contains("proposal_sig does not verify for " + id(alice)), outcome.text());
    assertTrue(outcome.of(1).contains("hash does not match the content"), outcome.text());
  }

  @Test
  void aChangedAmountBreaksTheProposalSignatureAndTheHash() throws Exception {
    Outcome outcome = verify(exportWith(lines -> edit(lines, 2, r -> r.put("amount", 1.6))));

    assertEquals(1, outcome.report().badReceipts(), outcome.text());
    assertTrue(
        outcome.of(3).contains("proposal_sig does not verify for " + id(alice)), outcome.text());
    assertTrue(outcome.of(3).contains("hash does not match"), outcome.text());
  }

  @Test
  void changedRatingChangesBreakTheHash() throws Exception {
    Outcome outcome =
        verify(
            exportWith(
                lines ->
                    edit(
                        lines,
                        1,
                        r ->
                            ((ObjectNode) r.get("rating_changes").get(id(alice)))
                                .put("change", 9))));

    assertEquals(1, outcome.report().badReceipts(), outcome.text());
    assertTrue(outcome.of(2).startsWith("hash does not match the content"), outcome.text());
  }

  @Test
  void aChangedPartySignatureFailsItsCheck() throws Exception {
    Outcome outcome = verify(exportWith(lines -> edit(lines, 3, r -> flip(r, "accept_sig", 10))));

    assertEquals(1, outcome.report().badReceipts(), outcome.text());
    assertTrue(
        outcome.of(4).contains("accept_sig does not verify for " + id(dave)), outcome.text());
  }

  @Test
  void aChangedServerSignatureFailsItsCheck() throws Exception {
    Outcome outcome = verify(exportWith(lines -> edit(lines, 4, r -> flip(r, "server_sig", 20))));

    assertEquals(1, outcome.report().badReceipts(), outcome.text());
    assertEquals("server_sig does not verify for the server " + chain.server.id(), outcome.of(5));
  }

  @Test
  void aChangedPrevBreaksTheHashAndTheChain() throws Exception {
    Outcome outcome =
        verify(
            exportWith(
                lines -> edit(lines, 2, r -> flip((ObjectNode) r.get("prev"), id(alice), 0))));

    assertEquals(1, outcome.report().badReceipts(), outcome.text());
    assertTrue(outcome.of(3).contains("hash does not match"), outcome.text());
    assertTrue(outcome.of(3).contains("chain broken: prev[" + id(alice) + "]"), outcome.text());
  }

  @Test
  void aRemovedReceiptBreaksTheChainAndTheCount() throws Exception {
    Outcome outcome = verify(exportWith(lines -> lines.remove(2)));

    assertEquals(1, outcome.report().badReceipts(), outcome.text());
    assertTrue(outcome.of(3).startsWith("chain broken: prev[" + id(alice) + "]"), outcome.text());
    assertTrue(
        outcome.aboutFile().contains("HEAD counts 5 receipts of " + id(alice) + ", the file has 4"),
        outcome.text());
  }

  @Test
  void aRemovedNewestReceiptNoLongerMatchesTheHead() throws Exception {
    Outcome outcome = verify(exportWith(lines -> lines.remove(4)));

    assertEquals(0, outcome.report().badReceipts(), outcome.text());
    assertFalse(outcome.report().ok());
    assertTrue(
        outcome.aboutFile().stream().anyMatch(p -> p.startsWith("HEAD names ")), outcome.text());
  }

  @Test
  void aSwappedPairBreaksTheChainAndTheOrder() throws Exception {
    Outcome outcome =
        verify(
            exportWith(
                lines -> {
                  String second = lines.get(1);
                  lines.set(1, lines.get(2));
                  lines.set(2, second);
                }));

    assertTrue(outcome.of(2).contains("chain broken"), outcome.text());
    assertTrue(outcome.of(3).contains("chain broken"), outcome.text());
    assertTrue(outcome.of(3).contains("does not follow seq"), outcome.text());
  }

  @Test
  void aFileWithoutItsHeadWasCutShort() throws Exception {
    Outcome outcome = verify(exportWith(lines -> lines.remove(lines.size() - 1)));

    assertFalse(outcome.report().ok());
    assertEquals(0, outcome.report().badReceipts(), outcome.text());
    assertTrue(
        outcome.aboutFile().contains("no HEAD line at the end: the file was cut short"),
        outcome.text());
  }

  @Test
  void aFileCutInsideItsLastLineHasABadLineAndNoHead() throws Exception {
    Path file = export();
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 100));

    Outcome outcome = verify(file);

    assertFalse(outcome.report().ok());
    assertEquals(6, outcome.report().receipts(), outcome.text());
    assertTrue(outcome.of(6).startsWith("not valid JSON"), outcome.text());
    assertTrue(
        outcome.aboutFile().contains("no HEAD line at the end: the file was cut short"),
        outcome.text());
  }

  @Test
  void aJsonDocumentCutShortIsReported() throws Exception {
    Path file = chain.writeJson(dir.resolve("alice.json"), alice);
    String text = Files.readString(file);
    Files.writeString(file, text.substring(0, text.length() / 2));

    Outcome outcome = verify(file);

    assertFalse(outcome.report().ok());
    assertTrue(
        outcome.aboutFile().stream().anyMatch(p -> p.contains("the file was cut short")),
        outcome.text());
  }

  @Test
  void anotherServersKeyFailsEverySeal() throws Exception {
    AgentKey other = Identity.generate("other").publicKey();

    Outcome outcome = verify(export(), ReceiptVerifier.create().expectingServer(other));

    assertEquals(5, outcome.report().badReceipts(), outcome.text());
    assertEquals(
        "sealed by " + chain.server.id() + ", not by the server @" + other.agentId(),
        outcome.of(1));
    assertTrue(
        outcome
            .aboutFile()
            .contains(
                "the HEAD was issued by "
                    + chain.server.id()
                    + ", not by the expected server @"
                    + other.agentId()),
        outcome.text());
    assertTrue(
        outcome
            .aboutFile()
            .contains("HEAD: server_sig does not verify for the server @" + other.agentId()),
        outcome.text());
  }

  @Test
  void aReceiptOfAnotherAgentSplicedInIsNotPartOfTheChain() throws Exception {
    ObjectNode bobAndCarol = chain.all().get(2);

    Outcome outcome = verify(exportWith(lines -> lines.add(3, ReceiptChain.write(bobAndCarol))));

    assertEquals(1, outcome.report().badReceipts(), outcome.text());
    assertTrue(
        outcome.of(4).startsWith("does not involve " + id(alice) + ", whose export this is"),
        outcome.text());
  }

  @Test
  void aHeadInTheMiddleIsNotTheEnd() throws Exception {
    Outcome outcome = verify(exportWith(lines -> lines.add(2, lines.get(lines.size() - 1))));

    assertEquals(0, outcome.report().badReceipts(), outcome.text());
    assertEquals(
        List.of(
            "more than one HEAD line (lines 3, 7)",
            "receipts follow the HEAD on line 3: the HEAD must come last"),
        outcome.aboutFile());
  }

  @Test
  void aDuplicatedReceiptIsSettledTwice() throws Exception {
    Outcome outcome = verify(exportWith(lines -> lines.add(2, lines.get(1))));

    assertTrue(outcome.of(3).contains("is settled twice (also on line 2)"), outcome.text());
  }

  @Test
  void aServerThatSealsAForeignKeyUnderAPartysIdIsCaught() throws Exception {
    AgentKeyPair mallory = ReceiptChain.agent();
    chain.complete(
        alice,
        bob,
        bob,
        new ReceiptChain.Deal(),
        r -> ((ObjectNode) r.get("pubkeys")).put(id(bob), mallory.publicKey().pem()));

    Outcome outcome = verify(export());

    assertEquals(1, outcome.report().badReceipts(), outcome.text());
    assertEquals(
        "pubkeys[" + id(bob) + "] is the key of " + id(mallory) + ", not " + id(bob),
        outcome.of(6));
  }

  @Test
  void aServerThatSealsAForgedProposalIsCaught() throws Exception {
    chain.complete(
        alice,
        bob,
        bob,
        new ReceiptChain.Deal(),
        r -> r.put("task", "Something alice never proposed"));

    Outcome outcome = verify(export());

    assertEquals("proposal_sig does not verify for " + id(alice), outcome.of(6));
  }

  @Test
  void aMutualSettlementNeedsAContestByTheOtherParty() throws Exception {
    chain.dispute(alice, bob, bob, "late", bob, "me too", r -> {});
    chain.dispute(alice, bob, bob, "late", null, null, r -> r.put("settlement", "mutual"));

    Outcome outcome = verify(export());

    assertTrue(
        outcome.of(6).contains("contested_by is the disputing party " + id(bob)), outcome.text());
    assertTrue(
        outcome.of(7).contains("settlement is mutual, but nobody contested the dispute"),
        outcome.text());
  }

  @Test
  void aContestSignedByTheWrongKeyIsCaught() throws Exception {
    chain.dispute(
        alice, bob, bob, "late", alice, "on time", r -> r.put("contest_reason", "edited"));

    Outcome outcome = verify(export());

    assertEquals("contest_sig does not verify for " + id(alice), outcome.of(6));
  }

  @Test
  void aCompletionByAnOutsiderIsCaught() throws Exception {
    chain.complete(alice, bob, carol, new ReceiptChain.Deal(), r -> {});

    Outcome outcome = verify(export());

    assertEquals("completed_by " + id(carol) + " is not a party to the deal", outcome.of(6));
  }

  @Test
  void missingAndMistypedMembersAreNamed() throws Exception {
    Outcome outcome =
        verify(
            exportWith(
                lines -> {
                  edit(lines, 0, r -> r.remove("accept_sig"));
                  edit(lines, 1, r -> r.put("amount", "1.5"));
                }));

    assertTrue(outcome.of(1).startsWith("missing member accept_sig"), outcome.text());
    assertTrue(outcome.of(2).startsWith("amount must be a number or null"), outcome.text());
  }

  @Test
  void aReceiptWithADuplicateMemberIsRefused() throws Exception {
    Outcome outcome =
        verify(
            exportWith(
                lines ->
                    lines.set(0, lines.get(0).replace("{\"type\"", "{\"task\":\"x\",\"type\""))));

    assertTrue(outcome.of(1).contains("Duplicate field 'task'"), outcome.text());
  }

  @Test
  void problemsComeOutInFileOrderWhateverTheWorkers() throws Exception {
    AgentKeyPair busy = ReceiptChain.agent();
    for (int i = 0; i < 300; i++) {
      chain.complete(busy, i % 2 == 0 ? bob : carol, busy);
    }
    List<String> lines = new ArrayList<>(chain.jsonlLines(busy));
    for (int index : new int[] {7, 130, 131, 299}) {
      edit(lines, index, r -> r.put("task", "changed"));
    }
    Path file = ReceiptChain.writeLines(dir.resolve("busy.jsonl"), lines);

    Outcome outcome = verify(file, ReceiptVerifier.create().withThreads(3));

    assertEquals(
        List.of(8L, 131L, 132L, 300L),
        outcome.problems().stream().map(ReceiptVerifier.Problem::index).toList());
  }

  @Test
  void unusableFilesAreRefusedWithOneLine() throws IOException {
    Path missing = dir.resolve("missing.jsonl");
    Path empty = Files.writeString(dir.resolve("empty.jsonl"), "\n\n");
    Path text = Files.writeString(dir.resolve("notes.txt"), "these are not receipts\n");
    Path array = Files.writeString(dir.resolve("array.json"), "[1,2]\n");

    assertEquals("No such file: " + missing, refusal(missing));
    assertEquals(empty + " is empty", refusal(empty));
    assertTrue(refusal(text).startsWith(text + " is not JSON"), refusal(text));
    assertTrue(refusal(array).startsWith(array + " is not a receipts export"), refusal(array));
    assertTrue(refusal(dir).endsWith("is a directory, not a receipts export"), refusal(dir));
  }

  private String refusal(Path file) {
    return assertThrows(ReceiptFileException.class, () -> verify(file)).getMessage();
  }

  @Test
  void linesAreNumberedAsInTheFile() throws Exception {
    Path file = export();
    String text = Files.readString(file, StandardCharsets.UTF_8);
    Files.writeString(file, "\n" + text.replaceFirst("\n", "\n\n"));
    List<String> lines = Files.readAllLines(file);
    lines.set(3, lines.get(3).replace("\"task\":\"Review PR #42\"", "\"task\":\"x\""));
    Files.write(file, lines);

    Outcome outcome = verify(file);

    assertEquals(4, outcome.problems().get(0).line(), outcome.text());
    assertEquals(2, outcome.problems().get(0).index(), outcome.text());
  }
}
