package io.agentchat.marketplace.db;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clears what a dead JVM left in the embedded server's data directory, before zonky starts Postgres
 * there. Blocks.
 *
 * <p>A JVM killed with SIGKILL (or by the OOM killer) leaves its postmaster running: pg_ctl starts
 * it in a session of its own (setsid) and exits, so it is re-parented to init and nothing tells it
 * that the JVM died. Or it leaves its {@code postmaster.pid} behind if the postmaster died too. The
 * {@link PostmasterWatchdog} makes the first case rare; this covers a watchdog killed too, and
 * platforms without one. Postgres clears a stale lock file itself only when its pid is dead: run as
 * root, zonky starts Postgres under {@code unshare -U}, a user namespace (not a pid namespace: the
 * pid in the file is the one we see) where the server still has kernel uid 0, so its own {@code
 * kill(pid, 0)} finds any root process alive and a pid reused by one blocks every later start. And
 * zonky ignores pg_ctl's exit code and waits for a port that never opens. So before starting, the
 * lock file's pid is judged ({@link LockHolder}):
 *
 * <ul>
 *   <li>an orphan of ours is stopped (fast shutdown, escalating) and Postgres started as usual.
 *       Stopping rather than adopting it: zonky cannot take over a running server, the orphan runs
 *       with the previous start's settings and port and without a watchdog, and a fresh start costs
 *       about a second;
 *   <li>a stale lock file is removed, its pid's process left alone;
 *   <li>any other live postgres on our data directory makes the start fail, logged at ERROR.
 * </ul>
 *
 * <p>All this happens under zonky's own lock on {@code <pg>/epg-lock}, which every live embedded
 * server holds for its lifetime and the kernel releases when its JVM dies: an orphan's JVM is
 * therefore really gone, and a live agentchat on the same directory makes the start fail instead of
 * losing its database. Thread-safe.
 */
final class CrashRecovery {
  private static final Logger LOG = LoggerFactory.getLogger(CrashRecovery.class);

  /** zonky's lock file, in the data directory. */
  static final String ZONKY_LOCK = "epg-lock";

  static final String LOCK_FILE = "postmaster.pid";

  /** Data directories an embedded server of this JVM is starting or running on, by real path. */
  private static final Set<Path> CLAIMED = ConcurrentHashMap.newKeySet();

  /** Rounds of judge-and-act: a killed orphan leaves a lock file that the next round removes. */
  private static final int ROUNDS = 3;

  private final Path dataDirectory;
  private final Path binaryDirectory;

  CrashRecovery(Path dataDirectory, Path binaryDirectory) {
    this.dataDirectory = dataDirectory;
    this.binaryDirectory = binaryDirectory;
  }

  /**
   * Claims the data directory for this JVM's server until {@link #release()}, and leaves it ready
   * for zonky: no lock file, or one that zonky's start will report on.
   *
   * @throws DatabaseStartException if another live process, or another server of this JVM, uses the
   *     data directory
   */
  void prepare() throws IOException {
    Files.createDirectories(dataDirectory);
    Path claim = dataDirectory.toRealPath();
    if (!CLAIMED.add(claim)) {
      throw refuse(
          pidInLockFile(),
          "this process already runs an embedded Postgres on it",
          "stop the other marketplace database of this process first");
    }
    try {
      recover();
    } catch (IOException | RuntimeException e) {
      CLAIMED.remove(claim);
      throw e;
    }
  }

  /** Gives up the claim of {@link #prepare()}, once the server is stopped or failed to start. */
  void release() {
    try {
      CLAIMED.remove(dataDirectory.toRealPath());
    } catch (IOException e) {
      // The directory is gone: so is any claim that could still match it.
      CLAIMED.removeIf(claimed -> !Files.exists(claimed));
    }
  }

  private void recover() throws IOException {
    if (!Files.exists(dataDirectory.resolve("postgresql.conf"))) {
      return; // never started; initdb comes next, and wants the directory empty
    }
    // Opening and closing a channel drops every lock this JVM holds on the file (POSIX locks are
    // per process): safe only because no server of this JVM runs here, as the claim proved.
    try (FileChannel channel =
            FileChannel.open(
                dataDirectory.resolve(ZONKY_LOCK),
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock = lockOrExplain(channel)) {
      for (int round = 0; round < ROUNDS; round++) {
        byte[] content = readLockFile();
        if (content == null) {
          return;
        }
        long pid = parsePid(content);
        LockHolder holder =
            pid <= 0
                ? new LockHolder.Stale(pid, "it names no pid")
                : LockHolder.of(pid, dataDirectory, binaryDirectory);
        if (holder instanceof LockHolder.Foreign foreign) {
          throw refuse(
              foreign.pid(),
              "another Postgres server runs on it (" + foreign.why() + ")",
              "stop that server (pg_ctl -D "
                  + dataDirectory
                  + " stop -m fast) or start agentchat with another --data-dir");
        } else if (holder instanceof LockHolder.Orphan orphan) {
          stopOrphan(orphan);
        } else if (holder instanceof LockHolder.Stale stale) {
          removeStale(stale, content);
        }
      }
    }
  }

  /**
   * Takes zonky's lock, held by any live embedded server on this directory. Inside this JVM the
   * lock table reports a lock of its own as overlapping: with no server running here (the claim)
   * that is a lock zonky took and never released because its start failed, which the table forgets
   * once the lock is garbage-collected. Without this, every retry of a failed start fails the same
   * way until some collection happens to run.
   */
  private FileLock lockOrExplain(FileChannel channel) throws IOException {
    long deadline = System.nanoTime() + 2_000_000_000L;
    while (true) {
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        if (System.nanoTime() - deadline > 0) {
          throw refuse(
              pidInLockFile(),
              "an earlier failed start in this process still holds " + ZONKY_LOCK,
              "restart agentchat");
        }
        System.gc();
        pause(50);
        continue;
      }
      if (lock == null) {
        throw refuse(
            pidInLockFile(),
            "another process holds its "
                + ZONKY_LOCK
                + ": an agentchat serve (or another"
                + " embedded Postgres) is running on it",
            "stop that process, or start agentchat with another --data-dir");
      }
      return lock;
    }
  }

  private void stopOrphan(LockHolder.Orphan orphan) throws IOException {
    long started = System.nanoTime();
    ProcessView process = orphan.process();
    OrphanShutdown.Outcome outcome = OrphanShutdown.stop(process.handle());
    LOG.atWarn()
        .addKeyValue("event", "postgres_orphan_stopped")
        .addKeyValue("pid", process.pid())
        .addKeyValue("executable", process.describe())
        .addKeyValue("data_dir", dataDirectory.toString())
        .addKeyValue("outcome", outcome.name().toLowerCase(Locale.ROOT))
        .addKeyValue("took_ms", (System.nanoTime() - started) / 1_000_000)
        .log(
            "Stopped the embedded Postgres (pid {}) left running by a previous agentchat that"
                + " died without stopping it ({}); starting a fresh one",
            process.pid(),
            outcome.name().toLowerCase(Locale.ROOT).replace('_', ' '));
  }

  /** Removes the lock file only if it still holds what was judged stale. */
  private void removeStale(LockHolder.Stale stale, byte[] judged) throws IOException {
    byte[] now = readLockFile();
    if (now == null || !Arrays.equals(now, judged)) {
      return; // changed meanwhile: judged again in the next round
    }
    Files.deleteIfExists(dataDirectory.resolve(LOCK_FILE));
    LOG.atWarn()
        .addKeyValue("event", "postgres_stale_lock_removed")
        .addKeyValue("pid", stale.pid())
        .addKeyValue("reason", stale.why())
        .addKeyValue("data_dir", dataDirectory.toString())
        .log(
            "Removed a stale {} naming pid {} from {}: {}",
            LOCK_FILE,
            stale.pid(),
            dataDirectory,
            stale.why());
  }

  private DatabaseStartException refuse(long pid, String what, String todo) {
    String message =
        "Cannot start embedded Postgres in "
            + dataDirectory
            + ": "
            + what
            + (pid > 0 ? " (" + LOCK_FILE + " names pid " + pid + ")" : "")
            + ". Left it alone; "
            + todo
            + ".";
    LOG.atError()
        .addKeyValue("event", "postgres_start_refused")
        .addKeyValue("pid", pid)
        .addKeyValue("data_dir", dataDirectory.toString())
        .log(message);
    return new DatabaseStartException(message, null);
  }

  private byte[] readLockFile() throws IOException {
    try {
      return Files.readAllBytes(dataDirectory.resolve(LOCK_FILE));
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  private long pidInLockFile() {
    try {
      byte[] content = readLockFile();
      return content == null ? 0 : parsePid(content);
    } catch (IOException e) {
      return 0;
    }
  }

  /** The first line of postmaster.pid; 0 if it holds none (a crash while it was written). */
  private static long parsePid(byte[] content) {
    String text = new String(content, StandardCharsets.US_ASCII);
    int end = text.indexOf('\n');
    try {
      return Long.parseLong((end < 0 ? text : text.substring(0, end)).strip());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
