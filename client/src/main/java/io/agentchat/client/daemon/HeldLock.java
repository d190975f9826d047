package io.agentchat.client.daemon;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An OS file lock held for as long as a daemon runs. The operating system drops it when the process
 * dies, however it dies, so a stale file never blocks the next daemon (unlike a pid file).
 *
 * <p>POSIX drops all of a process's locks on a file when the process closes <em>any</em> descriptor
 * of it, so this JVM never opens a file it holds locked: it remembers its own locks, and the lock
 * files carry no content (who holds them is written to a separate file).
 */
final class HeldLock implements AutoCloseable {
  private static final Set<Path> HELD_HERE = ConcurrentHashMap.newKeySet();

  private final Path key;
  private final FileChannel channel;
  private final FileLock lock;

  private HeldLock(Path key, FileChannel channel, FileLock lock) {
    this.key = key;
    this.channel = channel;
    this.lock = lock;
  }

  /** Takes the lock on {@code file}; null when another process, or this one, holds it. */
  static HeldLock tryTake(Path file) throws IOException {
    Path key = key(file);
    if (!HELD_HERE.add(key)) {
      return null;
    }
    try {
      Files.createDirectories(key.getParent());
      FileChannel channel =
          FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException unexpected) {
        lock = null;
      }
      if (lock == null) {
        channel.close();
        HELD_HERE.remove(key);
        return null;
      }
      return new HeldLock(key, channel, lock);
    } catch (IOException | RuntimeException e) {
      HELD_HERE.remove(key);
      throw e;
    }
  }

  /** True when some process (this one included) holds the lock on {@code file} right now. */
  static boolean isHeld(Path file) {
    Path key = key(file);
    if (HELD_HERE.contains(key)) {
      return true;
    }
    if (!Files.exists(key)) {
      return false;
    }
    try (FileChannel channel = FileChannel.open(key, StandardOpenOption.WRITE)) {
      FileLock probe = channel.tryLock();
      if (probe == null) {
        return true;
      }
      probe.release();
      return false;
    } catch (OverlappingFileLockException raced) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static Path key(Path file) {
    return file.toAbsolutePath().normalize();
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
      channel.close();
    } finally {
      HELD_HERE.remove(key);
    }
  }
}
