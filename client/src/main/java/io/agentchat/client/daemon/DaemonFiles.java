package io.agentchat.client.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where one daemon keeps its files: {@code <home>/daemons/<name>/}, {@code home} being {@code
 * ./.agentchat} unless told otherwise. Only paths and small atomic writes live here; the files'
 * owners are {@link Inbox}, {@link Outbox}, {@link InboxCursor} and {@link AgentDaemon}.
 *
 * @param home the agent's state directory ({@code .agentchat})
 * @param name the daemon's name, reduced to {@code [A-Za-z0-9_-]} as in the reference
 */
public record DaemonFiles(Path home, String name) {
  /**
   * The state directory used when none is given: {@code .agentchat} in the working directory (a
   * string, so that command-line defaults can name it).
   */
  public static final String DEFAULT_HOME = ".agentchat";

  /** The daemon name used when none is given. */
  public static final String DEFAULT_NAME = "default";

  /** The layout for {@code name} under {@code home}; the name is cleaned as the reference does. */
  public static DaemonFiles of(Path home, String name) {
    return new DaemonFiles(home, clean(name));
  }

  /** {@code name} without characters outside {@code [A-Za-z0-9_-]}; {@code default} if empty. */
  public static String clean(String name) {
    String cleaned = name == null ? "" : name.replaceAll("[^A-Za-z0-9_-]", "");
    return cleaned.isEmpty() ? DEFAULT_NAME : cleaned;
  }

  /** Every daemon directory under {@code home}, by name. */
  public static List<DaemonFiles> all(Path home) throws IOException {
    Path root = home.resolve("daemons");
    List<DaemonFiles> found = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return found;
    }
    try (Stream<Path> dirs = Files.list(root)) {
      dirs.filter(Files::isDirectory)
          .map(d -> d.getFileName().toString())
          .sorted()
          .forEach(n -> found.add(new DaemonFiles(home, n)));
    }
    return found;
  }

  /** The daemon's directory. */
  public Path dir() {
    return home.resolve("daemons").resolve(name);
  }

  /** Frames received, one JSON line each (the current file). */
  public Path inbox() {
    return dir().resolve("inbox.jsonl");
  }

  /** The {@code n}-th older inbox file ({@code inbox.1.jsonl} is the newest of the old ones). */
  public Path rotatedInbox(int n) {
    return dir().resolve("inbox." + n + ".jsonl");
  }

  /** Lines {@code {"to":…,"content":…}} anyone may append; the daemon sends each once. */
  public Path outbox() {
    return dir().resolve("outbox.jsonl");
  }

  /** How far into the outbox the daemon has sent, in bytes. */
  public Path outboxOffset() {
    return dir().resolve("outbox.offset");
  }

  /** The daemon's own log: JSON lines, never message content. */
  public Path log() {
    return dir().resolve("daemon.log");
  }

  /** The daemon's process id while it runs. */
  public Path pid() {
    return dir().resolve("daemon.pid");
  }

  /** Held locked (an OS file lock) while a daemon runs under this name. */
  public Path lock() {
    return dir().resolve("daemon.lock");
  }

  /** The running daemon's state: pid, agent, server, control port, connected. */
  public Path state() {
    return dir().resolve("daemon.json");
  }

  /** The secret a local process shows the control socket; readable by the owner only. */
  public Path token() {
    return dir().resolve("control.token");
  }

  /** Where the {@code wait}/{@code poll}/{@code check} primitives remember what they printed. */
  public Path cursor() {
    return dir().resolve("cursor.json");
  }

  /** {@code touch}ed by a person to make every waiting primitive return: {@code <home>/stop}. */
  public Path stopFile() {
    return home.resolve("stop");
  }

  /** Where the receipts of one agent's own deals are kept: {@code <home>/receipts/<id>.jsonl}. */
  public Path receipts(String agentId) {
    String bare = agentId.startsWith("@") ? agentId.substring(1) : agentId;
    return home.resolve("receipts").resolve(clean(bare) + ".jsonl");
  }

  /**
   * Replaces {@code target}'s content in one step: written to a temporary file beside it, then
   * moved over it, so a reader sees the old content or the new, never a mix.
   */
  public static void writeAtomically(Path target, String content) throws IOException {
    writeAtomically(target, content, false);
  }

  /** Like {@link #writeAtomically(Path, String)}; {@code ownerOnly} makes the file mode 0600. */
  public static void writeAtomically(Path target, String content, boolean ownerOnly)
      throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    // Named by process and thread rather than Files.createTempFile, whose SecureRandom costs a
    // short-lived primitive tens of milliseconds to initialise.
    Path temp =
        dir.resolve(
            "."
                + target.getFileName()
                + "."
                + ProcessHandle.current().pid()
                + "."
                + Thread.currentThread().getId()
                + ".tmp");
    try {
      Files.deleteIfExists(temp);
      if (ownerOnly) {
        try {
          Files.createFile(
              temp,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
          // Windows: the user's profile directory is private already.
        }
      }
      Files.writeString(temp, content, StandardCharsets.UTF_8);
      try {
        Files.move(
            temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
