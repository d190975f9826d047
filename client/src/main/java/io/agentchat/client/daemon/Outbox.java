package io.agentchat.client.daemon;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The daemon's outbox: {@code outbox.jsonl}, to which anyone appends lines {@code
 * {"to":…,"content":…}}. The daemon never truncates or rewrites it, since another process may be
 * appending at that very moment (the reference's truncation lost such lines); it keeps instead, in
 * {@code outbox.offset}, how many bytes it has sent, rewritten atomically after each line the
 * server accepted. A line whose newline has not been written yet is left for the next read.
 *
 * <p>Each line is therefore sent once, across restarts too, with one exception no client can close
 * alone: a crash between the server's acknowledgement of a line and the offset's rewrite
 * (microseconds) sends that line again when the daemon restarts.
 *
 * <p>Not thread-safe: the daemon calls it from one ordered worker queue.
 */
final class Outbox {
  /** Longest line read; a longer one cannot be a valid message and is skipped whole. */
  static final int MAX_LINE_BYTES = 16 * 1024 * 1024;

  private final DaemonFiles files;
  private long offset = -1;

  Outbox(DaemonFiles files) {
    this.files = files;
  }

  /**
   * One whole line of the outbox.
   *
   * @param text the line without its newline (null when it was too long to read)
   * @param end the byte offset just after its newline
   */
  record Line(String text, long end) {}

  /** The whole lines after the sent offset, at most {@code max} of them, oldest first. */
  List<Line> next(int max) throws IOException {
    long from = sentOffset();
    List<Line> lines = new ArrayList<>();
    try (FileChannel channel = FileChannel.open(files.outbox(), StandardOpenOption.READ)) {
      long size = channel.size();
      if (size < from) {
        // Someone truncated or replaced the file by hand: start again from its beginning.
        from = 0;
        commit(0);
      }
      long position = from;
      ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
      java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
      boolean tooLong = false;
      while (lines.size() < max && position < size) {
        buffer.clear();
        int read = channel.read(buffer, position);
        if (read <= 0) {
          break;
        }
        buffer.flip();
        while (buffer.hasRemaining() && lines.size() < max) {
          byte b = buffer.get();
          position++;
          if (b == '\n') {
            lines.add(
                new Line(tooLong ? null : line.toString(StandardCharsets.UTF_8).strip(), position));
            line.reset();
            tooLong = false;
          } else if (!tooLong) {
            line.write(b);
            if (line.size() > MAX_LINE_BYTES) {
              tooLong = true;
              line.reset();
            }
          }
        }
        if (lines.size() >= max) {
          break;
        }
      }
    } catch (NoSuchFileException nothingYet) {
      return lines;
    }
    return lines;
  }

  /** Records that everything before {@code end} has been sent (or dropped as invalid). */
  void commit(long end) throws IOException {
    DaemonFiles.writeAtomically(files.outboxOffset(), end + "\n");
    offset = end;
  }

  /** The offset recorded by the last commit, read from disk once. */
  long sentOffset() throws IOException {
    if (offset < 0) {
      try {
        offset = Long.parseLong(Files.readString(files.outboxOffset()).strip());
      } catch (NoSuchFileException | NumberFormatException e) {
        offset = 0;
      }
    }
    return offset;
  }
}
