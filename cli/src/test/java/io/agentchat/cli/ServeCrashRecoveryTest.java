package io.agentchat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentchat.client.LocalMarketplace;
import io.agentchat.identity.Identity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code agentchat serve} killed with SIGKILL comes back on the same data directory with the
 * marketplace's data, whether its Postgres watchdog survived the kill or not.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ServeCrashRecoveryTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(180);

  @TempDir Path dir;

  private final List<ServeProcess> servers = new ArrayList<>();
  private final List<ProcessHandle> started = new ArrayList<>();
  private final List<ProcessHandle> postmasters = new ArrayList<>();

  @AfterEach
  void cleanUp() throws Exception {
    for (ServeProcess server : servers) {
      server.close();
    }
    // A watchdog found earlier outlives a serve killed before the clean-up.
    started.forEach(ProcessHandle::destroyForcibly);
    // A Postgres is no descendant of serve (pg_ctl detaches it): stop any still running.
    postmasters.forEach(ProcessHandle::destroyForcibly);
  }

  @Test
  void afterSigkillOfServeAndOfItsWatchdogTheRestartStopsTheOrphanedPostgresAndKeepsTheSkills()
      throws Exception {
    Path data = dir.resolve("data");
    ServeProcess first = serve(data, "first.log");
    String url = first.url(WAIT);
    String agent = announceSkill(url);
    ProcessHandle postmaster = postmaster(data);
    ProcessHandle watchdog = watchdogOf(first);

    watchdog.destroyForcibly();
    assertTrue(gone(watchdog), "the watchdog is killed");
    first.sigkill();
    first.awaitExit(WAIT);
    assertTrue(alive(postmaster), "with no watchdog, Postgres outlives serve");

    ServeProcess second = serve(data, "second.log");
    String again = second.url(WAIT);

    assertFalse(alive(postmaster), "the restart stopped the orphaned Postgres");
    assertEquals(List.of(agent), skillOwners(again));
    JsonNode recovered = second.event("postgres_orphan_stopped");
    assertEquals("WARN", recovered.get("level").asText());
    assertEquals(postmaster.pid(), recovered.get("pid").asLong());
    assertEquals("marketplace_ready", second.event("marketplace_ready").get("event").asText());
    stopNormally(second, postmaster(data));
  }

  @Test
  void afterSigkillOfServeAloneTheWatchdogStopsPostgresAndTheRestartHasNothingToRecover()
      throws Exception {
    Path data = dir.resolve("data");
    ServeProcess first = serve(data, "first.log");
    String agent = announceSkill(first.url(WAIT));
    ProcessHandle postmaster = postmaster(data);

    first.sigkill();
    first.awaitExit(WAIT);
    assertTrue(gone(postmaster), "the watchdog stops Postgres");

    ServeProcess second = serve(data, "second.log");
    String again = second.url(WAIT);

    assertEquals(List.of(agent), skillOwners(again));
    String said = String.join("\n", second.logLines());
    assertFalse(said.contains("postgres_orphan_stopped"), said);
    assertFalse(said.contains("postgres_stale_lock_removed"), said);
    stopNormally(second, postmaster(data));
  }

  // ---------------------------------------------------------------------------------- helpers

  private ServeProcess serve(Path data, String logName) throws IOException {
    ServeProcess server = ServeProcess.start(data, dir.resolve(logName));
    servers.add(server);
    return server;
  }

  /** Registers a skill through the CLI; returns the agent's id. */
  private String announceSkill(String url) throws Exception {
    Path home = Files.createDirectories(dir.resolve("alice"));
    Identity identity = LocalMarketplace.newIdentity(home, "alice");
    CliRun.Result announce =
        CliRun.run(
            "skills",
            "announce",
            url,
            "--capability",
            "survives-sigkill",
            "--rate",
            "1",
            "--identity",
            home.resolve("identity.json").toString());
    assertEquals(0, announce.exitCode(), announce.err());
    return "@" + identity.agentId();
  }

  private static List<String> skillOwners(String url) throws Exception {
    CliRun.Result search =
        CliRun.run("skills", "search", url, "--capability", "survives-sigkill", "--json");
    assertEquals(0, search.exitCode(), search.err());
    List<String> owners = new ArrayList<>();
    JSON.readTree(search.out()).forEach(skill -> owners.add(skill.get("agent_id").asText()));
    return owners;
  }

  /**
   * The running postmaster. A handle, not a pid: it checks the start time, so a pid reused later is
   * neither taken for it nor killed by the clean-up.
   */
  private ProcessHandle postmaster(Path data) throws IOException {
    long pid = Long.parseLong(Files.readAllLines(data.resolve("pg/postmaster.pid")).get(0).strip());
    ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
    postmasters.add(postmaster);
    return postmaster;
  }

  private ProcessHandle watchdogOf(ServeProcess server) {
    List<ProcessHandle> found =
        server
            .handle()
            .children()
            .filter(
                p ->
                    p.info()
                        .arguments()
                        .map(args -> Arrays.asList(args).contains("agentchat-pg-watchdog"))
                        .orElse(false))
            .toList();
    assertEquals(1, found.size(), "one watchdog under serve");
    started.add(found.get(0));
    return found.get(0);
  }

  /** SIGTERM: serve exits 0 and leaves neither Postgres nor watchdog. */
  private void stopNormally(ServeProcess server, ProcessHandle postmaster) throws Exception {
    List<ProcessHandle> children = server.handle().children().toList();
    server.sigterm();
    assertTrue(server.awaitExit(WAIT));
    assertEquals(0, server.exitValue());
    assertTrue(gone(postmaster), "Postgres stopped");
    for (ProcessHandle child : children) {
      assertTrue(gone(child), "serve left " + child.info());
    }
  }

  private static boolean alive(ProcessHandle process) {
    return process.isAlive() && !zombie(process.pid());
  }

  /** Waits until the process has exited (a zombie counts: it only waits to be reaped). */
  private static boolean gone(ProcessHandle process) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (process.isAlive() && !zombie(process.pid())) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }

  private static boolean zombie(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      return stat.substring(stat.lastIndexOf(')') + 1).strip().startsWith("Z");
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
