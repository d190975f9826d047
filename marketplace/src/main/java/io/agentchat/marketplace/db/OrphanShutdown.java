package io.agentchat.marketplace.db;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.FileSystems;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Stops a postmaster that no JVM manages any more: fast shutdown, then immediate, then SIGKILL,
 * each with a bounded wait. Blocks.
 */
final class OrphanShutdown {
  /**
   * Fast shutdown ends sessions, writes a checkpoint and exits; Postgres's own pg_ctl waits 60 s.
   */
  static final Duration FAST_WAIT = Duration.ofSeconds(30);

  /** Immediate shutdown skips the checkpoint: the next start replays the WAL, nothing is lost. */
  static final Duration IMMEDIATE_WAIT = Duration.ofSeconds(10);

  /** After SIGKILL only the kernel is left to wait for. */
  static final Duration KILL_WAIT = Duration.ofSeconds(10);

  private static final long POLL_MS = 20;

  /** How the postmaster ended, for the log. */
  enum Outcome {
    FAST_SHUTDOWN,
    IMMEDIATE_SHUTDOWN,
    KILLED
  }

  private OrphanShutdown() {}

  /**
   * Stops {@code handle}, a postmaster, and waits for it, and for the children it had, to be gone.
   *
   * @throws IOException if it still runs after SIGKILL, or the thread is interrupted (which must
   *     not hurry the escalation to SIGKILL)
   */
  static Outcome stop(ProcessHandle handle) throws IOException {
    try {
      return stopOrInterrupt(handle);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while stopping postgres " + handle.pid());
    }
  }

  private static Outcome stopOrInterrupt(ProcessHandle handle)
      throws IOException, InterruptedException {
    if (handle == null || !handle.isAlive()) {
      return Outcome.FAST_SHUTDOWN;
    }
    // Taken now: once the postmaster is gone they are re-parented and no longer findable as its.
    List<ProcessHandle> children = handle.children().toList();
    Outcome outcome;
    if (signal(handle, "INT") && awaitGone(handle, FAST_WAIT)) {
      outcome = Outcome.FAST_SHUTDOWN;
    } else if (signal(handle, "QUIT") && awaitGone(handle, IMMEDIATE_WAIT)) {
      outcome = Outcome.IMMEDIATE_SHUTDOWN;
    } else {
      handle.destroyForcibly();
      if (!awaitGone(handle, KILL_WAIT)) {
        throw new IOException("postgres " + handle.pid() + " survived SIGKILL");
      }
      outcome = Outcome.KILLED;
    }
    // A postmaster that shut down waited for its children; a killed one did not, and a backend
    // still attached to the old shared memory makes the next postmaster refuse to start.
    for (ProcessHandle child : children) {
      if (!awaitGone(child, KILL_WAIT)) {
        child.destroyForcibly();
        awaitGone(child, KILL_WAIT);
      }
    }
    return outcome;
  }

  /**
   * Sends a Postgres shutdown signal by name (SIGINT fast, SIGQUIT immediate) with {@code kill}:
   * Java can only send SIGTERM (smart shutdown, which waits for every client) and SIGKILL. The
   * handle's liveness check just before compares start times, which leaves a reused pid only the
   * instant between the check and the kill. Where there is no {@code kill} (Windows) it reports
   * false and the caller escalates to a forced stop.
   */
  private static boolean signal(ProcessHandle process, String name) throws InterruptedException {
    if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
        || !process.isAlive()) {
      return false;
    }
    Process kill;
    try {
      kill =
          new ProcessBuilder("kill", "-s", name, Long.toString(process.pid()))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
    } catch (IOException e) {
      return false;
    }
    if (!kill.waitFor(10, TimeUnit.SECONDS)) {
      kill.destroyForcibly();
      return false;
    }
    return kill.exitValue() == 0;
  }

  /**
   * Polls, because a process that is not our child cannot be waited for; a zombie counts as gone.
   *
   * @return false if it still runs after {@code timeout}
   */
  static boolean awaitGone(ProcessHandle process, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (process.isAlive() && ProcessView.of(process.pid()).alive()) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      Thread.sleep(POLL_MS);
    }
    return true;
  }
}
