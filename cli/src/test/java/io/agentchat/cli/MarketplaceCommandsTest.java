package io.agentchat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentchat.client.AgentChatClient;
import io.agentchat.client.LocalMarketplace;
import io.agentchat.identity.Identity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The skills and proposal commands against a real relay and marketplace. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MarketplaceCommandsTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String NO_RELAY = "ws://127.0.0.1:1";
  private static LocalMarketplace market;
  private final ObjectMapper json = new ObjectMapper();

  @TempDir Path dir;

  @BeforeAll
  static void startMarketplace(@TempDir Path dataDir) throws Exception {
    market = LocalMarketplace.start(dataDir);
  }

  @AfterAll
  static void stopMarketplace() throws Exception {
    market.close();
  }

  /** An agent with an identity file of its own, known to the marketplace. */
  private record Agent(String id, String file) {}

  private Agent agent(String name) throws Exception {
    Path home = Files.createDirectories(dir.resolve(name));
    Identity identity = LocalMarketplace.newIdentity(home, name);
    market.introduce(identity);
    return new Agent("@" + identity.agentId(), home.resolve("identity.json").toString());
  }

  private static CliRun.Result ok(String... args) {
    CliRun.Result run = CliRun.run(args);
    assertEquals(0, run.exitCode(), String.join(" ", args) + " failed: " + run.err());
    return run;
  }

  private String propose(Agent from, Agent to, String task, String... options) {
    String[] args = new String[6 + options.length];
    System.arraycopy(
        new String[] {"propose", market.url(), to.id(), task, "--identity", from.file()},
        0,
        args,
        0,
        6);
    System.arraycopy(options, 0, args, 6, options.length);
    return ok(args).out().strip();
  }

  /** The table's data lines split into cells (cells are separated by two spaces or more). */
  private static List<List<String>> rows(String table) {
    return table.lines().skip(1).map(l -> List.of(l.split(" {2,}"))).toList();
  }

  // ------------------------------------------------------------------------------- skills

  @Test
  void skillsAnnouncedWithACapabilityAreFoundBySearchInATable() throws Exception {
    Agent alice = agent("alice");

    CliRun.Result announce =
        ok(
            "skills",
            "announce",
            market.url(),
            "--capability",
            "rust-review",
            "--rate",
            "12.5",
            "--description",
            "Reviews Rust code",
            "--identity",
            alice.file());
    CliRun.Result search = ok("skills", "search", market.url(), "--capability", "RUST-REV");

    assertEquals("Registered 1 skill(s) as " + alice.id() + "\n", announce.out());
    assertTrue(search.out().startsWith("AGENT "), search.out());
    assertEquals(
        List.of(List.of(alice.id(), "rust-review", "12.5", "TEST", "1200", "Reviews Rust code")),
        rows(search.out()));
  }

  @Test
  void skillsSearchWithJsonPrintsTheResultsAsJson() throws Exception {
    Agent bob = agent("bob");
    ok(
        "skills",
        "announce",
        market.url(),
        "-c",
        "json-wrangling",
        "-r",
        "3",
        "--currency",
        "USD",
        "--identity",
        bob.file());

    CliRun.Result search =
        ok(
            "skills",
            "search",
            market.url(),
            "--capability",
            "json-wrangling",
            "--max-rate",
            "5",
            "--currency",
            "usd",
            "--json");

    JsonNode results = json.readTree(search.out());
    assertEquals(1, results.size(), search.out());
    assertEquals(bob.id(), results.get(0).get("agent_id").asText());
    assertEquals(3, results.get(0).get("rate").asInt());
    assertEquals("USD", results.get(0).get("currency").asText());
  }

  @Test
  void skillsSearchThatMatchesNothingSaysSo() {
    CliRun.Result search = ok("skills", "search", market.url(), "--capability", "no-such-skill");

    assertEquals("No skills found\n", search.out());
  }

  @Test
  void skillsAnnounceReadsSeveralSkillsFromAYamlFile() throws Exception {
    Agent carol = agent("carol");
    Path file =
        Files.writeString(
            dir.resolve("skills.yaml"),
            """
            skills:
              - capability: yaml-translation
                rate: 4
                currency: TEST
                description: English to French
              - capability: yaml-summaries
                description: Short and sweet
            """);

    CliRun.Result announce =
        ok(
            "skills",
            "announce",
            market.url(),
            "--file",
            file.toString(),
            "--identity",
            carol.file());
    CliRun.Result search = ok("skills", "search", market.url(), "--capability", "yaml-", "--json");

    assertEquals("Registered 2 skill(s) as " + carol.id() + "\n", announce.out());
    JsonNode results = json.readTree(search.out());
    assertEquals(2, results.size(), search.out());
    assertEquals("English to French", results.get(0).get("description").asText());
  }

  @Test
  void skillsAnnounceAcceptsAYamlFileHoldingASingleSkill() throws Exception {
    Agent dave = agent("dave");
    Path file = Files.writeString(dir.resolve("one.yaml"), "capability: solo-skill\n");

    CliRun.Result announce =
        ok("skills", "announce", market.url(), "-f", file.toString(), "--identity", dave.file());

    assertEquals("Registered 1 skill(s) as " + dave.id() + "\n", announce.out());
  }

  @Test
  void skillsAnnounceWithoutAnIdentityExitsOneWithTheIdentityHint() {
    String missing = dir.resolve("missing.json").toString();

    CliRun.Result announce =
        CliRun.run("skills", "announce", market.url(), "--capability", "x", "--identity", missing);

    assertEquals(1, announce.exitCode());
    assertEquals(
        "Error: No identity file at " + missing + "; " + AgentChatClient.IDENTITY_REQUIRED + "\n",
        announce.err());
  }

  @Test
  void skillsAnnounceRefusesACapabilityAndAFileTogether() {
    CliRun.Result announce =
        CliRun.run("skills", "announce", NO_RELAY, "--capability", "x", "--file", "skills.yaml");

    assertEquals(2, announce.exitCode());
    assertEquals("Error: Give --capability or --file, not both\n", announce.err());
  }

  // ---------------------------------------------------------------------------- proposals

  @Test
  void aProposalIsAcceptedThenCompletedThroughTheCommands() throws Exception {
    Agent alice = agent("alice");
    Agent bob = agent("bob");

    String id =
        propose(alice, bob, "Write the release notes", "--amount", "10", "--currency", "TEST");
    CliRun.Result accept = ok("accept", market.url(), id, "--identity", bob.file());
    CliRun.Result complete =
        ok(
            "complete",
            market.url(),
            id,
            "--proof",
            "https://example.test/1",
            "--identity",
            alice.file());
    CliRun.Result listed = ok("proposals", market.url(), "--identity", bob.file());

    assertTrue(id.matches("prop_[0-9a-z]+_[0-9a-f]{8}"), id);
    assertEquals("Accepted " + id + "\n", accept.out());
    assertEquals("Completed " + id + ".\n", complete.out(), "no reputation here: no rating line");
    List<String> row = rows(listed.out()).get(0);
    assertEquals(
        List.of(id, "completed", alice.id(), bob.id(), "Write the release notes", "10 TEST"),
        row.subList(0, 6),
        listed.out());
    assertTrue(row.get(6).startsWith("updated "), listed.out());
  }

  @Test
  void proposeWithJsonPrintsTheProposalFrame() throws Exception {
    Agent alice = agent("alice");
    Agent bob = agent("bob");

    JsonNode frame =
        json.readTree(
            propose(
                alice,
                bob,
                "Translate the FAQ",
                "--amount",
                "2.50",
                "--expires",
                "120",
                "--terms",
                "net 30",
                "--elo-stake",
                "5",
                "--capability",
                "translation",
                "--json"));

    assertEquals("PROPOSAL", frame.get("type").asText());
    assertEquals("translation", frame.get("capability").asText());
    assertEquals(alice.id(), frame.get("from").asText());
    assertEquals(bob.id(), frame.get("to").asText());
    assertEquals(2.5, frame.get("amount").asDouble());
    assertEquals("net 30", frame.get("terms").asText());
    assertEquals(5, frame.get("elo_stake").asInt());
    assertEquals("pending", frame.get("status").asText());
  }

  @Test
  void theRecipientRejectsAProposalWithAReason() throws Exception {
    Agent alice = agent("alice");
    Agent bob = agent("bob");
    String id = propose(alice, bob, "Mine some coins");

    CliRun.Result reject =
        ok(
            "reject",
            market.url(),
            id,
            "--reason",
            "not my thing",
            "--identity",
            bob.file(),
            "--json");
    CliRun.Result rejected =
        ok("proposals", market.url(), "--status", "rejected", "--identity", alice.file());

    JsonNode frame = json.readTree(reject.out());
    assertEquals("REJECT", frame.get("type").asText());
    assertEquals(id, frame.get("proposal_id").asText());
    assertEquals("not my thing", frame.get("reason").asText());
    assertEquals(id, rows(rejected.out()).get(0).get(0));
  }

  @Test
  void eitherPartyDisputesAnAcceptedProposal() throws Exception {
    Agent alice = agent("alice");
    Agent bob = agent("bob");
    String id = propose(alice, bob, "Fix the flaky test");
    ok("accept", market.url(), id, "--identity", bob.file());

    CliRun.Result dispute =
        ok("dispute", market.url(), id, "never delivered", "--identity", alice.file());
    CliRun.Result disputed =
        ok("proposals", market.url(), "--status", "disputed", "--json", "--identity", bob.file());

    // The server's default contest window is open: the disputer learns when it settles.
    assertTrue(
        dispute
            .out()
            .matches(
                "Disputed "
                    + id
                    + "\\. It settles in your favour at \\S+ unless "
                    + bob.id()
                    + " disputes it too \\(then both are at fault\\)\\.\n"),
        dispute.out());
    JsonNode list = json.readTree(disputed.out());
    assertEquals(1, list.size(), disputed.out());
    assertEquals(id, list.get(0).get("id").asText());
  }

  @Test
  void proposalsWithAStatusListsOnlyTheProposalsInThatStatus() throws Exception {
    Agent alice = agent("alice");
    Agent bob = agent("bob");
    String accepted = propose(alice, bob, "First job");
    String pending =
        propose(
            alice,
            bob,
            "A rather long task description that will not fit in" + " its column",
            "--expires",
            "0");
    ok("accept", market.url(), accepted, "--identity", bob.file());

    CliRun.Result pendingOnly =
        ok("proposals", market.url(), "--status", "pending", "--identity", alice.file());
    CliRun.Result acceptedOnly =
        ok("proposals", market.url(), "--status", "accepted", "--identity", alice.file());
    CliRun.Result expired =
        ok("proposals", market.url(), "--status", "expired", "--identity", alice.file());

    List<List<String>> pendingRows = rows(pendingOnly.out());
    assertEquals(1, pendingRows.size(), pendingOnly.out());
    assertEquals(
        List.of(
            pending,
            "pending",
            alice.id(),
            bob.id(),
            "A rather long task description that wil…",
            "-",
            "never expires"),
        pendingRows.get(0));
    assertEquals(List.of(accepted), rows(acceptedOnly.out()).stream().map(r -> r.get(0)).toList());
    assertEquals("No proposals\n", expired.out());
  }

  @Test
  void aProposalToAnAgentThatNeverLoggedInWaitsForItsFirstLogin() throws Exception {
    Agent alice = agent("alice");
    // The README's flow: bob's identity exists, but bob has never connected to this server.
    Path home = Files.createDirectories(dir.resolve("newcomer"));
    Identity newcomer = LocalMarketplace.newIdentity(home, "newcomer");
    Agent bob = new Agent("@" + newcomer.agentId(), home.resolve("identity.json").toString());

    String id = propose(alice, bob, "Welcome aboard");
    CliRun.Result accept = ok("accept", market.url(), id, "--identity", bob.file());

    assertTrue(id.matches("prop_[0-9a-z]+_[0-9a-f]{8}"), id);
    assertEquals("Accepted " + id + "\n", accept.out());
  }

  @Test
  void proposingToAnEphemeralAgentIdFailsWithItsError() throws Exception {
    Agent alice = agent("alice");

    CliRun.Result propose =
        CliRun.run("propose", market.url(), "@ab12cd34", "task", "--identity", alice.file());

    assertEquals(1, propose.exitCode());
    assertEquals("", propose.out());
    assertEquals("Error: Agent @ab12cd34 not found (AGENT_NOT_FOUND)\n", propose.err());
  }

  @Test
  void anAmountThatIsNotANonNegativeNumberExitsTwoBeforeConnecting() {
    CliRun.Result word = CliRun.run("propose", NO_RELAY, "@abc", "task", "--amount", "abc");
    CliRun.Result negative = CliRun.run("propose", NO_RELAY, "@abc", "task", "--amount=-5");

    assertEquals(2, word.exitCode());
    assertEquals(
        "Error: Invalid --amount \"abc\" (a non-negative number such as 10 or 2.5)\n", word.err());
    assertEquals(2, negative.exitCode());
    assertTrue(negative.err().startsWith("Error: Invalid --amount \"-5\""), negative.err());
  }

  @Test
  void proposalsRefusesAnUnknownStatusBeforeConnecting() {
    CliRun.Result run = CliRun.run("proposals", NO_RELAY, "--status", "done");

    assertEquals(2, run.exitCode());
    assertTrue(run.err().startsWith("Error: Invalid --status \"done\""), run.err());
  }

  @Test
  void listenPrintsTheProposalsAKeyedAgentIsHandedAtLogin() throws Exception {
    Agent alice = agent("alice");
    Agent bob = agent("bob");
    String id = propose(alice, bob, "Proofread the README");

    // #love has no history: the welcome message and the handed-over proposal make two frames.
    CliRun.Result listen =
        ok("listen", market.url(), "#love", "--identity", bob.file(), "--max-messages", "2");

    List<JsonNode> frames = listen.out().lines().map(this::parse).toList();
    assertEquals(
        1,
        frames.stream()
            .filter(
                f -> f.get("type").asText().equals("PROPOSAL") && f.get("id").asText().equals(id))
            .count(),
        listen.out());
  }

  private JsonNode parse(String line) {
    try {
      return json.readTree(line);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + line, e);
    }
  }
}
