package io.agentchat.marketplace.db;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What this process can see of another one: enough to tell whether it is a postgres serving a given
 * data directory, and from which binaries.
 *
 * @param pid the process id
 * @param handle the process as the JDK knows it, which checks its start time before signalling, so
 *     a pid reused meanwhile is never signalled; null when not alive
 * @param executable absolute path of its program, or null when it cannot be read
 * @param argv its command line, argv[0] first; empty when it cannot be read
 * @param name the kernel's short name of the program (Linux only, else null), readable even for a
 *     kernel thread or another user's process
 * @param workingDirectory its current directory, or null when it cannot be read (always outside
 *     Linux): a postmaster runs in its data directory
 * @param alive false for a process that has exited, including a zombie not yet reaped
 */
record ProcessView(
    long pid,
    ProcessHandle handle,
    Path executable,
    List<String> argv,
    String name,
    Path workingDirectory,
    boolean alive) {

  private static final Path PROC = Path.of("/proc");

  /** A view of {@code pid}, from {@code /proc} on Linux and {@link ProcessHandle} elsewhere. */
  static ProcessView of(long pid) {
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    if (handle.isEmpty() || !handle.get().isAlive()) {
      return gone(pid);
    }
    if (Files.isDirectory(PROC.resolve("self"))) {
      return fromProc(handle.get());
    }
    ProcessHandle.Info info = handle.get().info();
    List<String> argv = new ArrayList<>();
    info.command().ifPresent(argv::add);
    info.arguments().ifPresent(args -> argv.addAll(List.of(args)));
    return new ProcessView(
        pid, handle.get(), info.command().map(Path::of).orElse(null), argv, null, null, true);
  }

  /**
   * Reads {@code /proc/PID} directly: {@link ProcessHandle#isAlive} is true for a zombie, and
   * {@link ProcessHandle.Info} knows nothing of the working directory. The links need the right to
   * trace the process (ours, or any as root, even one in the user namespace zonky's {@code unshare
   * -U} creates); cmdline and stat are readable by anyone.
   */
  private static ProcessView fromProc(ProcessHandle handle) {
    long pid = handle.pid();
    Path dir = PROC.resolve(Long.toString(pid));
    String name;
    try {
      String stat = Files.readString(dir.resolve("stat"), StandardCharsets.UTF_8);
      // "pid (comm) S ...": comm may hold spaces and parentheses, the state follows the last ')'.
      int open = stat.indexOf('(');
      int close = stat.lastIndexOf(')');
      name = stat.substring(open + 1, close);
      String state = stat.substring(close + 1).strip();
      if (state.startsWith("Z") || state.startsWith("X")) {
        return gone(pid);
      }
    } catch (IOException | IndexOutOfBoundsException e) {
      return gone(pid);
    }
    return new ProcessView(
        pid, handle, link(dir.resolve("exe")), cmdline(dir), name, link(dir.resolve("cwd")), true);
  }

  private static ProcessView gone(long pid) {
    return new ProcessView(pid, null, null, List.of(), null, null, false);
  }

  private static Path link(Path link) {
    try {
      String target = Files.readSymbolicLink(link).toString();
      // The kernel marks a program replaced or removed since it was started.
      return Path.of(
          target.endsWith(" (deleted)") ? target.substring(0, target.length() - 10) : target);
    } catch (IOException | UnsupportedOperationException e) {
      return null;
    }
  }

  private static List<String> cmdline(Path dir) {
    try {
      String raw = new String(Files.readAllBytes(dir.resolve("cmdline")), StandardCharsets.UTF_8);
      List<String> argv = new ArrayList<>(List.of(raw.split("\0")));
      argv.removeIf(String::isEmpty);
      return List.copyOf(argv);
    } catch (IOException e) {
      return List.of();
    }
  }

  /**
   * The program's file name ("postgres"): of its executable, else of argv[0], else the kernel's
   * name; null if unknown. A postgres child rewrites its argv ("postgres: checkpointer"), a
   * postmaster does not.
   */
  String programName() {
    Path program = executable != null ? executable : argv.isEmpty() ? null : Path.of(argv.get(0));
    Path file = program == null ? null : program.getFileName();
    return file != null ? file.toString() : name;
  }

  /**
   * The data directory a postgres serves: its working directory, else an absolute {@code -D}
   * argument (a relative one depends on a directory we cannot see); null when unknown.
   */
  Path postgresDataDirectory() {
    if (workingDirectory != null) {
      return workingDirectory;
    }
    for (int i = 1; i < argv.size(); i++) {
      String arg = argv.get(i);
      String value =
          arg.equals("-D") && i + 1 < argv.size()
              ? argv.get(i + 1)
              : arg.startsWith("-D") && arg.length() > 2 ? arg.substring(2) : null;
      if (value != null) {
        Path path = Path.of(value);
        return path.isAbsolute() ? path : null;
      }
    }
    return null;
  }

  /** For messages: the executable, else argv[0], else the kernel's name, else "unknown program". */
  String describe() {
    return executable != null
        ? executable.toString()
        : !argv.isEmpty() ? argv.get(0) : name != null ? name : "unknown program";
  }
}
