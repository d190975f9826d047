package io.agentchat.marketplace.db;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A tiny {@code sh} process that stops the embedded Postgres when the JVM that started it dies.
 *
 * <p>Why it is needed: pg_ctl starts the postmaster in a session of its own (setsid) and exits, so
 * the postmaster is re-parented to init and nothing tells it when the JVM goes: a SIGKILL or the
 * OOM killer runs no shutdown hook, and a signal to the JVM's process group misses it.
 *
 * <p>How it works: the watchdog's stdin is a pipe whose only writer is this JVM (Java closes every
 * other descriptor in the processes it starts, so neither pg_ctl nor Postgres holds it). When the
 * JVM dies, however it dies, the kernel closes its end and the watchdog's {@code read} returns
 * end-of-file; unlike polling the JVM's pid, this cannot be fooled by a reused pid. The watchdog
 * then sends the postmaster SIGINT (fast shutdown), then SIGQUIT (immediate), then SIGKILL, each
 * only while {@code postmaster.pid} still names that pid and, on Linux, the pid still runs our
 * postgres binary. A normal stop, once Postgres is down, writes {@code detach}, and the watchdog
 * exits without touching anything. It ignores SIGHUP, SIGINT and SIGQUIT, which a terminal sends to
 * the whole process group (Ctrl-C, Ctrl-\): the JVM's own shutdown stops Postgres then, and the
 * watchdog must outlive it in case that shutdown is cut short.
 *
 * <p>The owner must keep this object for as long as Postgres runs: once unreachable, the pipe's
 * cleaner closes our end, and the watchdog takes that end-of-file for the JVM's death.
 *
 * <p>What it says goes to {@code <data-dir>/pg-watchdog.log}: it runs when no JVM is left to log.
 * Where there is no {@code /bin/sh} (Windows) there is no watchdog, and the start-time recovery of
 * {@link CrashRecovery} deals with the orphan. Not thread-safe: {@link EmbeddedServer} guards it.
 */
final class PostmasterWatchdog {
  private static final Path SHELL = Path.of("/bin/sh");
  private static final String DETACH = "detach\n";

  // $1 postmaster pid, $2 its postmaster.pid file, $3 its executable.
  private static final String SCRIPT =
      """
      # agentchat: stops the embedded Postgres if the JVM that started it dies
      trap '' HUP INT QUIT
      pid=$1 lockfile=$2 exe=$3
      read -r word
      [ "$word" = detach ] && exit 0
      ours() {
        [ "$(head -n 1 "$lockfile" 2>/dev/null)" = "$pid" ] && kill -0 "$pid" 2>/dev/null &&
          { [ ! -e "/proc/$pid/exe" ] || [ "$(readlink "/proc/$pid/exe")" = "$exe" ]; }
      }
      for sig in INT QUIT KILL; do
        ours || exit 0
        echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) JVM gone: SIG$sig to postgres $pid"
        kill -s "$sig" "$pid"
        n=0
        while [ "$n" -lt 30 ] && ours; do sleep 1; n=$((n + 1)); done
      done
      """;

  private final Process process;
  private final OutputStream pipe;

  private PostmasterWatchdog(Process process) {
    this.process = process;
    this.pipe = process.getOutputStream();
  }

  /**
   * Starts watching {@code postmasterPid}; empty where there is no {@code /bin/sh}.
   *
   * @throws IOException if the shell cannot be started
   */
  static Optional<PostmasterWatchdog> start(
      long postmasterPid, Path lockFile, Path executable, Path log) throws IOException {
    if (!Files.isExecutable(SHELL)) {
      return Optional.empty();
    }
    Process process =
        new ProcessBuilder(
                SHELL.toString(),
                "-c",
                SCRIPT,
                "agentchat-pg-watchdog",
                Long.toString(postmasterPid),
                lockFile.toString(),
                executable.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    return Optional.of(new PostmasterWatchdog(process));
  }

  /** The shell's pid, for logs. */
  long pid() {
    return process.pid();
  }

  /** Tells the watchdog to exit without acting and waits for it (killing it after 5 s). */
  void detach() {
    try {
      pipe.write(DETACH.getBytes(StandardCharsets.US_ASCII));
      pipe.close();
    } catch (IOException e) {
      // Already gone: nothing to tell it.
    }
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
