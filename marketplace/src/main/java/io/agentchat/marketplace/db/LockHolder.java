package io.agentchat.marketplace.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * Who holds the embedded server's {@code postmaster.pid}, judged from the process it names. Only an
 * {@link Orphan} may be stopped; a {@link Stale} lock file's process is never touched.
 */
sealed interface LockHolder {
  Set<String> POSTGRES_PROGRAMS = Set.of("postgres", "postgres.exe");

  /**
   * Nobody: the pid is dead, or now belongs to a process that is not a postgres on our data
   * directory. The lock file is left over and may be removed.
   *
   * @param why for the log, e.g. "no process with that pid"
   */
  record Stale(long pid, String why) implements LockHolder {}

  /**
   * A postgres on our data directory started from our {@code pg-bin}: the embedded server of an
   * earlier JVM that died without stopping it.
   */
  record Orphan(ProcessView process) implements LockHolder {}

  /**
   * A live postgres on our data directory that we did not start, or a live process we cannot
   * inspect: never touched, the start is refused.
   *
   * @param why for the operator, e.g. "it runs /usr/lib/postgresql/17/bin/postgres"
   */
  record Foreign(long pid, String why) implements LockHolder {}

  /**
   * Judges the process {@code pid} named by the lock file of {@code dataDirectory}.
   *
   * @param binaryDirectory where our binaries are unpacked ({@code <data-dir>/pg-bin})
   */
  static LockHolder of(long pid, Path dataDirectory, Path binaryDirectory) {
    ProcessView process = ProcessView.of(pid);
    if (!process.alive()) {
      return new Stale(pid, "no process with that pid");
    }
    String program = process.programName();
    if (program == null) {
      return new Foreign(pid, "it is alive but this user cannot see what it runs");
    }
    if (!POSTGRES_PROGRAMS.contains(program)) {
      return new Stale(pid, "the pid now belongs to " + process.describe());
    }
    Path servedDirectory = process.postgresDataDirectory();
    if (servedDirectory == null) {
      return new Foreign(
          pid, "it runs " + process.describe() + " and its data directory cannot be seen");
    }
    if (!samePath(servedDirectory, dataDirectory)) {
      return new Stale(pid, "the pid now belongs to a postgres serving " + servedDirectory);
    }
    if (process.executable() == null || !within(process.executable(), binaryDirectory)) {
      return new Foreign(
          pid,
          "it runs "
              + process.describe()
              + ", not the embedded Postgres unpacked in "
              + binaryDirectory);
    }
    return new Orphan(process);
  }

  private static boolean samePath(Path a, Path b) {
    try {
      return Files.isSameFile(a, b);
    } catch (IOException e) {
      return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }
  }

  /** Compares real paths: the kernel reports the executable with every symbolic link resolved. */
  private static boolean within(Path file, Path directory) {
    Path dir;
    try {
      dir = directory.toRealPath();
    } catch (IOException e) {
      dir = directory.toAbsolutePath().normalize();
    }
    return file.toAbsolutePath().normalize().startsWith(dir);
  }
}
