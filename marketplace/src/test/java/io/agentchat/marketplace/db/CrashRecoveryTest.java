package io.agentchat.marketplace.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.agentchat.marketplace.Marketplace;
import io.agentchat.marketplace.store.AgentRepository;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * After a JVM dies without stopping its embedded Postgres, the next start comes back by itself:
 * with real processes, killed with SIGKILL.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class CrashRecoveryTest {
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final String AGENT = "c000000000000001";

  /** Binaries unpacked once for the class; each data directory links its pg-bin here. */
  @TempDir static Path sharedBinaries;

  @TempDir Path dir;

  private Vertx vertx;
  private final List<Process> children = new ArrayList<>();
  private final List<ProcessHandle> strays = new ArrayList<>();
  private final List<ProcessHandle> postmasters = new ArrayList<>();
  private final List<Database> databases = new ArrayList<>();
  private final ListAppender<ILoggingEvent> events = new ListAppender<>();
  private final Logger recoveryLog = (Logger) LoggerFactory.getLogger(CrashRecovery.class);

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    // Kept for assertions instead of printed: test logs stay quiet.
    events.start();
    recoveryLog.addAppender(events);
    recoveryLog.setAdditive(false);
    recoveryLog.setLevel(Level.WARN);
  }

  @AfterEach
  void cleanUp() throws Exception {
    for (Database database : databases) {
      database.close().await(60, TimeUnit.SECONDS);
    }
    for (Process child : children) {
      strays.addAll(child.descendants().toList());
      child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    for (ProcessHandle stray : strays) {
      stray.destroyForcibly();
    }
    for (ProcessHandle postmaster : postmasters) {
      OrphanShutdown.stop(postmaster);
    }
    vertx.close().await(30, TimeUnit.SECONDS);
    recoveryLog.detachAppender(events);
    recoveryLog.setAdditive(true);
    recoveryLog.setLevel(null);
  }

  @Test
  void aPostgresOrphanedBySigkillOfItsJvmAndWatchdogIsStoppedAndItsDataIsReadAfterwards()
      throws Exception {
    Path data = dataDirectory();
    Process child = startChild(data.toString(), AGENT);
    ProcessHandle postmaster = postmaster(data);
    ProcessHandle watchdog = watchdogOf(child.toHandle(), data);

    watchdog.destroyForcibly();
    assertTrue(OrphanShutdown.awaitGone(watchdog, WAIT), "the watchdog is killed");
    child.destroyForcibly().waitFor(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertTrue(alive(postmaster), "nothing stops the orphan");

    Database database = start(data);

    assertTrue(known(database, AGENT), "the row written before the crash is read");
    assertFalse(alive(postmaster), "the orphan is stopped");
    ILoggingEvent event = onlyEvent();
    assertEquals(Level.WARN, event.getLevel());
    assertEquals("postgres_orphan_stopped", value(event, "event"));
    assertEquals(postmaster.pid(), value(event, "pid"));
    assertEquals("fast_shutdown", value(event, "outcome"));
  }

  @Test
  void theWatchdogStopsPostgresCleanlyWhenItsJvmIsKilledAndTheNextStartHasNothingToRecover()
      throws Exception {
    Path data = dataDirectory();
    Process child = startChild(data.toString(), AGENT);
    ProcessHandle postmaster = postmaster(data);
    ProcessHandle watchdog = watchdogOf(child.toHandle(), data);

    child.destroyForcibly().waitFor(WAIT.toSeconds(), TimeUnit.SECONDS);

    assertTrue(OrphanShutdown.awaitGone(postmaster, WAIT), "the watchdog stops Postgres");
    assertTrue(OrphanShutdown.awaitGone(watchdog, WAIT), "then exits");
    assertFalse(
        Files.exists(data.resolve("pg").resolve(CrashRecovery.LOCK_FILE)),
        "a clean shutdown removes its lock file");
    String said = Files.readString(data.resolve("pg-watchdog.log"));
    assertTrue(said.contains("JVM gone: SIGINT to postgres " + postmaster.pid()), said);

    Database database = start(data);
    assertTrue(known(database, AGENT), "the row written before the crash is read");
    assertEquals(List.of(), events.list, "nothing to recover");
  }

  @Test
  void aLockFileNamingADeadPidIsRemovedAndPostgresStarts() throws Exception {
    Path data = dataDirectory();
    initialise(data);
    Process dead = new ProcessBuilder("true").start();
    dead.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS);
    writeLockFile(data, dead.pid());

    Database database = start(data);

    assertTrue(known(database, AGENT));
    ILoggingEvent event = onlyEvent();
    assertEquals(Level.WARN, event.getLevel());
    assertEquals("postgres_stale_lock_removed", value(event, "event"));
    assertEquals(dead.pid(), value(event, "pid"));
    assertEquals("no process with that pid", value(event, "reason"));
  }

  @Test
  void aLockFileNamingAnUnrelatedLiveProcessIsRemovedAndThatProcessIsLeftAlone() throws Exception {
    Path data = dataDirectory();
    initialise(data);
    // Run as root, Postgres itself would take this pid for a live postmaster and never start.
    Process unrelated = new ProcessBuilder("sleep", "600").start();
    children.add(unrelated);
    writeLockFile(data, unrelated.pid());

    Database database = start(data);

    assertTrue(known(database, AGENT));
    assertTrue(unrelated.isAlive(), "the unrelated process is not touched");
    ILoggingEvent event = onlyEvent();
    assertEquals("postgres_stale_lock_removed", value(event, "event"));
    assertTrue(String.valueOf(value(event, "reason")).endsWith("/sleep"), event.toString());
  }

  @Test
  void aPostgresThatAgentchatDidNotStartIsRefusedWithAnErrorNamingItsPidAndLeftRunning()
      throws Exception {
    Path data = dataDirectory();
    Path pg = data.resolve("pg");
    Process child = startChild("--foreign", dir.resolve("other-bin").toString(), pg.toString());
    ProcessHandle foreign = postmaster(data);
    // Its JVM is gone; the server stays, as a Postgres started by hand would.
    child.destroyForcibly().waitFor(WAIT.toSeconds(), TimeUnit.SECONDS);

    Exception e =
        assertThrows(
            Exception.class,
            () ->
                Database.start(vertx, DatabaseConfig.embedded(data), List.of(Marketplace.SCHEMA))
                    .await(120, TimeUnit.SECONDS));

    assertInstanceOf(DatabaseStartException.class, e);
    assertTrue(
        e.getMessage()
            .startsWith(
                "Cannot start embedded Postgres in " + pg + ": another Postgres server runs on it"),
        e.getMessage());
    assertTrue(
        e.getMessage().contains("postmaster.pid names pid " + foreign.pid()), e.getMessage());
    assertTrue(e.getMessage().contains("stop that server (pg_ctl -D " + pg), e.getMessage());
    assertTrue(alive(foreign), "the other server is left running");
    ILoggingEvent event = onlyEvent();
    assertEquals(Level.ERROR, event.getLevel());
    assertEquals("postgres_start_refused", value(event, "event"));
    assertEquals(foreign.pid(), value(event, "pid"));
  }

  @Test
  void aSecondStartOnADataDirectoryInUseIsRefusedWithoutHarmingTheFirst() throws Exception {
    Path data = dataDirectory();
    Process child = startChild(data.toString(), AGENT);
    ProcessHandle postmaster = postmaster(data);
    ProcessHandle watchdog = watchdogOf(child.toHandle(), data);

    Exception e =
        assertThrows(
            Exception.class,
            () ->
                Database.start(vertx, DatabaseConfig.embedded(data), List.of(Marketplace.SCHEMA))
                    .await(120, TimeUnit.SECONDS));

    assertTrue(e.getMessage().contains("another process holds its epg-lock"), e.getMessage());
    assertTrue(alive(postmaster), "the first server's Postgres is not touched");
    assertEquals("postgres_start_refused", value(onlyEvent(), "event"));

    // The first one then stops normally, its watchdog with it.
    child.getOutputStream().close();
    assertTrue(child.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS));
    assertEquals(0, child.exitValue());
    assertFalse(alive(postmaster));
    assertTrue(OrphanShutdown.awaitGone(watchdog, WAIT), "a normal stop leaves no watchdog");
  }

  @Test
  void aRunningServerKeepsItsWatchdogAndANormalStopLeavesNoneBehind() throws Exception {
    Path data = dataDirectory();
    Database database =
        Database.start(vertx, DatabaseConfig.embedded(data), List.of(Marketplace.SCHEMA))
            .await(120, TimeUnit.SECONDS);
    ProcessHandle postmaster = postmaster(data);
    ProcessHandle watchdog = watchdogOf(ProcessHandle.current(), data);
    try {
      assertTrue(watchdog.isAlive());
      assertFalse(known(database, AGENT));
      assertTrue(alive(postmaster));
    } finally {
      database.close().await(60, TimeUnit.SECONDS);
    }
    assertFalse(watchdog.isAlive(), "stopping waits for the watchdog to exit");
    assertFalse(alive(postmaster));
    assertFalse(Files.readString(data.resolve("pg-watchdog.log")).contains("JVM gone"));
  }

  @Test
  void aLockLeftByAFailedStartInThisJvmDoesNotFailTheNextStart() throws Exception {
    Path data = dataDirectory();
    initialise(data);
    // What zonky does when its start fails after taking its lock: nothing releases it.
    leakLock(data.resolve("pg").resolve(CrashRecovery.ZONKY_LOCK));

    Database database = start(data);

    assertTrue(known(database, AGENT));
  }

  // ---------------------------------------------------------------------------------- helpers

  private static void leakLock(Path file) throws IOException {
    assertTrue(new FileOutputStream(file.toFile()).getChannel().tryLock() != null);
  }

  /** A data directory whose pg-bin is a link to {@link #sharedBinaries}, as an operator might. */
  private Path dataDirectory() throws IOException {
    Path data = Files.createDirectories(dir.resolve("data"));
    Files.createSymbolicLink(data.resolve("pg-bin"), sharedBinaries);
    return data;
  }

  /** Starts {@link DatabaseChild} and waits for its "ready". */
  private Process startChild(String... args) throws Exception {
    Path log = Files.createTempFile(dir, "child", ".log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    // Its first line of stdout must be "ready": logback may not print its status there (it does
    // when it finds two logback-test.xml, as on a reactor test classpath).
    command.add("-Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener");
    command.add(DatabaseChild.class.getName());
    command.addAll(Arrays.asList(args));
    Process child = new ProcessBuilder(command).redirectError(log.toFile()).start();
    children.add(child);
    BufferedReader stdout =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    String line =
        CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return stdout.readLine();
                  } catch (IOException e) {
                    return null;
                  }
                })
            .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertEquals("ready", line, () -> "child said: " + readQuietly(log));
    return child;
  }

  /**
   * The running postmaster, remembered to stop it after a failure. A handle, not a pid: it checks
   * the start time, so a pid reused later is neither taken for it nor signalled.
   */
  private ProcessHandle postmaster(Path data) throws IOException {
    long pid =
        Long.parseLong(
            Files.readAllLines(data.resolve("pg").resolve(CrashRecovery.LOCK_FILE)).get(0).strip());
    ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
    postmasters.add(postmaster);
    return postmaster;
  }

  /** The watchdog {@code parent} started for the Postgres of {@code data}. */
  private ProcessHandle watchdogOf(ProcessHandle parent, Path data) {
    String lockFile = data.resolve("pg").resolve(CrashRecovery.LOCK_FILE).toString();
    List<ProcessHandle> found =
        parent
            .children()
            .filter(
                p ->
                    p.info()
                        .arguments()
                        .map(List::of)
                        .map(
                            args ->
                                args.contains("agentchat-pg-watchdog") && args.contains(lockFile))
                        .orElse(false))
            .toList();
    assertEquals(1, found.size(), "one watchdog under " + parent.pid());
    strays.add(found.get(0));
    return found.get(0);
  }

  /** A data directory with the schema and the agent, its server stopped normally. */
  private void initialise(Path data) throws Exception {
    Database database =
        Database.start(vertx, DatabaseConfig.embedded(data), List.of(Marketplace.SCHEMA))
            .await(120, TimeUnit.SECONDS);
    try {
      new AgentRepository()
          .seen(database.pool(), AGENT, "PEM", "written before", 1_000)
          .await(30, TimeUnit.SECONDS);
    } finally {
      database.close().await(60, TimeUnit.SECONDS);
    }
  }

  /** A postmaster.pid as Postgres writes it, naming {@code pid}. */
  private static void writeLockFile(Path data, long pid) throws IOException {
    Path pg = data.resolve("pg");
    Files.writeString(
        pg.resolve(CrashRecovery.LOCK_FILE),
        pid + "\n" + pg + "\n1796355019\n5432\n/tmp\nlocalhost\n  2154719     65559\nready   \n");
  }

  private Database start(Path data) throws Exception {
    Database database =
        Database.start(vertx, DatabaseConfig.embedded(data), List.of(Marketplace.SCHEMA))
            .await(120, TimeUnit.SECONDS);
    databases.add(database);
    return database;
  }

  private static boolean known(Database database, String agent) throws Exception {
    return new AgentRepository().isKnown(database.pool(), agent).await(30, TimeUnit.SECONDS);
  }

  private static boolean alive(ProcessHandle process) {
    return process.isAlive() && ProcessView.of(process.pid()).alive();
  }

  private ILoggingEvent onlyEvent() {
    assertEquals(1, events.list.size(), events.list.toString());
    return events.list.get(0);
  }

  private static Object value(ILoggingEvent event, String key) {
    return Optional.ofNullable(event.getKeyValuePairs()).orElse(List.of()).stream()
        .filter(pair -> pair.key.equals(key))
        .map(pair -> pair.value)
        .findFirst()
        .orElse(null);
  }

  private static String readQuietly(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return e.toString();
    }
  }
}
