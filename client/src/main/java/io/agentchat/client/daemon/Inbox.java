package io.agentchat.client.daemon;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The daemon's inbox: every frame received, appended as one JSON line to {@code inbox.jsonl}. When
 * the next line would take the file past its size limit the file is renamed to {@code
 * inbox.1.jsonl} (older ones shift to {@code inbox.2.jsonl} …, the oldest beyond {@link
 * #KEPT_FILES} is deleted) and a new one begins, so the inbox stays bounded and no line is ever
 * cut. A rename keeps the file's identity, which is how {@link InboxReader} follows a rotation.
 *
 * <p>Not thread-safe: the daemon calls it from one ordered worker queue.
 */
final class Inbox implements AutoCloseable {
  /** How many rotated files are kept besides the current one. */
  static final int KEPT_FILES = 3;

  private final DaemonFiles files;
  private final long maxBytes;
  private FileChannel current;
  private long size;

  /**
   * @param maxBytes the size at which the current file is rotated
   */
  Inbox(DaemonFiles files, long maxBytes) {
    this.files = files;
    this.maxBytes = Math.max(1, maxBytes);
  }

  /**
   * Appends one frame; {@code json} must be one line of JSON.
   *
   * @return true when the append rotated the inbox first
   */
  boolean append(String json) throws IOException {
    byte[] line = (json + "\n").getBytes(StandardCharsets.UTF_8);
    boolean rotated = false;
    if (current == null) {
      open();
    }
    if (size > 0 && size + line.length > maxBytes) {
      rotate();
      rotated = true;
    }
    ByteBuffer buffer = ByteBuffer.wrap(line);
    while (buffer.hasRemaining()) {
      current.write(buffer);
    }
    size += line.length;
    return rotated;
  }

  private void open() throws IOException {
    Files.createDirectories(files.dir());
    current =
        FileChannel.open(
            files.inbox(),
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.APPEND);
    size = current.size();
  }

  private void rotate() throws IOException {
    current.close();
    current = null;
    Files.deleteIfExists(files.rotatedInbox(KEPT_FILES));
    for (int n = KEPT_FILES - 1; n >= 1; n--) {
      Path older = files.rotatedInbox(n);
      if (Files.exists(older)) {
        Files.move(older, files.rotatedInbox(n + 1), StandardCopyOption.ATOMIC_MOVE);
      }
    }
    Files.move(files.inbox(), files.rotatedInbox(1), StandardCopyOption.ATOMIC_MOVE);
    open();
  }

  @Override
  public void close() throws IOException {
    if (current != null) {
      current.close();
      current = null;
    }
  }
}
