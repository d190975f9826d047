package io.agentchat.client.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentchat.client.RelayUrl;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Beside an identity file, which daemon holds that identity's connection: {@code
 * <identity>.daemon.lock} (locked while the daemon runs) and {@code <identity>.daemon.json} (its
 * directory and server). Kept next to the identity, not in the working directory, so that a command
 * run with that identity finds the daemon from anywhere, and a second daemon for the same identity
 * is refused even when started from another directory.
 *
 * @param home the daemon's state directory (absolute)
 * @param name the daemon's name
 * @param server the relay URL it is connected to
 * @param pid its process id
 */
public record DaemonPointer(Path home, String name, String server, long pid) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The lock file beside {@code identityFile}. */
  static Path lockOf(Path identityFile) {
    return identityFile.resolveSibling(identityFile.getFileName() + ".daemon.lock");
  }

  private static Path pointerOf(Path identityFile) {
    return identityFile.resolveSibling(identityFile.getFileName() + ".daemon.json");
  }

  /** The daemon's files. */
  public DaemonFiles files() {
    return new DaemonFiles(home, name);
  }

  static void write(Path identityFile, DaemonFiles files, String server, long pid)
      throws IOException {
    ObjectNode n = JSON.createObjectNode();
    n.put("home", files.home().toAbsolutePath().normalize().toString());
    n.put("name", files.name());
    n.put("server", server);
    n.put("pid", pid);
    DaemonFiles.writeAtomically(pointerOf(identityFile), n.toString() + "\n");
  }

  /** What the pointer beside {@code identityFile} says, running or not; null when absent. */
  static DaemonPointer read(Path identityFile) {
    try {
      JsonNode n = JSON.readTree(Files.readString(pointerOf(identityFile), StandardCharsets.UTF_8));
      return new DaemonPointer(
          Path.of(n.path("home").asText()),
          n.path("name").asText(),
          n.path("server").asText(),
          n.path("pid").asLong());
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * The daemon running now for {@code identityFile} and connected to {@code server} (the same host,
   * port and path), if there is one.
   */
  public static Optional<DaemonPointer> running(Path identityFile, String server) {
    if (!HeldLock.isHeld(lockOf(identityFile))) {
      return Optional.empty();
    }
    DaemonPointer pointer = read(identityFile);
    if (pointer == null || !sameRelay(pointer.server(), server)) {
      return Optional.empty();
    }
    return Optional.of(pointer);
  }

  /** True when the daemon of {@code files} runs now (its lock is held). */
  public static boolean isRunning(DaemonFiles files) {
    return HeldLock.isHeld(files.lock());
  }

  private static boolean sameRelay(String a, String b) {
    try {
      RelayUrl x = RelayUrl.parse(a);
      RelayUrl y = RelayUrl.parse(b);
      return x.tls() == y.tls()
          && x.port() == y.port()
          && x.path().equals(y.path())
          && (x.host().equalsIgnoreCase(y.host())
              || (isLoopback(x.host()) && isLoopback(y.host())));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The names of this machine that need no resolving: a daemon on one is on all of them. */
  private static boolean isLoopback(String host) {
    return host.equalsIgnoreCase("localhost") || host.equals("127.0.0.1") || host.equals("::1");
  }
}
