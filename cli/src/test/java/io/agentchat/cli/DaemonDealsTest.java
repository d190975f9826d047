package io.agentchat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentchat.client.LocalMarketplace;
import io.agentchat.client.daemon.DaemonFiles;
import io.agentchat.client.daemon.DaemonState;
import io.agentchat.identity.Identity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proposal verbs run with a daemon's identity go through the daemon, and the daemons keep the
 * receipts of their own deals; a daemon started with --background is a process of its own.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DaemonDealsTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
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

  @AfterEach
  void stopDaemons() {
    CliRun.run("daemon", "--stop-all", "--home", home());
  }

  private String home() {
    return dir.resolve(".agentchat").toString();
  }

  private record Agent(String id, String file) {}

  private Agent agent(String name) throws Exception {
    Path file = dir.resolve(name + ".json");
    Identity identity = Identity.generate(name);
    identity.save(file);
    return new Agent("@" + identity.agentId(), file.toString());
  }

  private CliRun daemon(Agent agent, String name) throws Exception {
    CliRun run =
        CliRun.inBackground(
            "daemon", market.url(), "--name", name, "--home", home(), "--identity", agent.file());
    run.err.awaitContains("connected to", WAIT);
    return run;
  }

  private static CliRun.Result ok(String... args) {
    CliRun.Result run = CliRun.run(args);
    assertEquals(0, run.exitCode(), String.join(" ", args) + " failed: " + run.err());
    return run;
  }

  private String since(String name) throws IOException {
    return Files.readString(DaemonFiles.of(Path.of(home()), name).state());
  }

  @Test
  void aDealMadeThroughTwoDaemonsLeavesThemConnectedAndEachKeepsItsReceipt() throws Exception {
    Agent alice = agent("alice");
    Agent bob = agent("bob");
    daemon(alice, "alice");
    daemon(bob, "bob");
    String aliceSince = since("alice");
    String bobSince = since("bob");

    String id =
        ok("propose", market.url(), bob.id(), "review PR 9", "-i", alice.file()).out().strip();
    CliRun.Result offered = ok("wait", "--name", "bob", "--home", home(), "--timeout", "60");
    ok("accept", market.url(), id, "-i", bob.file());
    CliRun.Result completed = ok("complete", market.url(), id, "-i", alice.file(), "--json");

    assertEquals(
        id, json.readTree(offered.out().lines().findFirst().orElseThrow()).get("id").asText());
    assertEquals("completed", json.readTree(completed.out()).get("status").asText());
    Path receipts = Path.of(home(), "receipts");
    for (Agent agent : List.of(alice, bob)) {
      Path file = receipts.resolve(agent.id().substring(1) + ".jsonl");
      Conditions.await("a receipt for " + agent.id(), WAIT, () -> Files.exists(file));
      List<String> lines = Files.readAllLines(file);
      assertEquals(1, lines.size(), lines.toString());
      JsonNode receipt = json.readTree(lines.get(0));
      assertEquals("COMPLETE", receipt.get("type").asText());
      assertEquals(id, receipt.get("proposal_id").asText());
      assertTrue(receipt.has("stored_at"));
    }
    // Neither daemon was displaced: no disconnect and new login rewrote its state.
    assertEquals(aliceSince, since("alice"));
    assertEquals(bobSince, since("bob"));
  }

  @Test
  void backgroundStartsADetachedDaemonThatStatusSeesAndStopEnds() throws Exception {
    Agent carol = agent("carol");

    CliRun.Result started =
        ok(
            "daemon",
            market.url(),
            "--name",
            "carol",
            "--home",
            home(),
            "--identity",
            carol.file(),
            "--background");
    long pid = DaemonState.read(DaemonFiles.of(Path.of(home()), "carol")).pid();
    CliRun.Result status = ok("daemon", "--status", "--name", "carol", "--home", home());
    CliRun.Result list = ok("daemon", "--list", "--home", home());
    CliRun.Result stopped = ok("daemon", "--stop", "carol", "--home", home());
    CliRun.Result after = CliRun.run("daemon", "--status", "--name", "carol", "--home", home());

    assertTrue(
        started.out().startsWith("Daemon \"carol\" running as " + carol.id()), started.out());
    assertTrue(pid != ProcessHandle.current().pid());
    assertTrue(status.out().contains("is running (pid " + pid + "), connected to"), status.out());
    assertTrue(list.out().contains("carol") && list.out().contains("connected"), list.out());
    assertEquals("Stopped daemon \"carol\"\n", stopped.out());
    ProcessHandle.of(pid).ifPresent(p -> p.onExit().join());
    assertEquals(1, after.exitCode());
    assertEquals("Daemon \"carol\" is not running\n", after.out());
  }
}
