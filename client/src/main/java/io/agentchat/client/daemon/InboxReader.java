package io.agentchat.client.daemon;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads a daemon's inbox for the agent primitives ({@code wait}, {@code poll}, {@code check},
 * {@code read}, {@code ts}) without Vert.x, so that a short-lived process starts fast.
 *
 * <p>A cursor remembers where the last consuming read stopped: the inbox file (by its identity,
 * which a rotation's rename keeps) and the byte offset after the last whole line, plus the newest
 * {@code ts} seen. Only the lines after it are read, never the whole inbox again. {@code ts VALUE}
 * replaces the position by a time: the next read then takes the retained lines whose {@code ts} is
 * greater, as the reference's {@code last_ts} does. A line still being written (no newline yet) is
 * left for the next read.
 *
 * <p>By default the primitives show what an agent should react to: messages and proposal-family
 * frames, without the agent's own messages, without replayed history ({@code "replay": true}) and
 * without the server's welcome on each join. Not safe for two processes consuming one daemon's
 * cursor at once (each may print the same lines).
 */
public final class InboxReader {
  /** The frame types the primitives show unless told to show all. */
  public static final Set<String> MESSAGE_TYPES =
      Set.of("MSG", "PROPOSAL", "ACCEPT", "REJECT", "COMPLETE", "DISPUTE");

  private static final long POLL_MS = 20;
  private static final String SERVER = "@server";

  private final DaemonFiles files;

  /** A reader of {@code files}' inbox and cursor. */
  public InboxReader(DaemonFiles files) {
    this.files = files;
  }

  /** Which frames a read shows. */
  public record Filter(boolean includeOwn, boolean includeReplay, boolean allTypes) {
    /** What an agent reacts to: others' messages and proposal frames, no replayed history. */
    public static final Filter MESSAGES = new Filter(false, false, false);
  }

  /**
   * Where the primitives stopped reading.
   *
   * @param file the identity of the inbox file the offset is in, or null to read by time
   * @param offset the byte offset after the last line read
   * @param lastTs the newest {@code ts} seen (or the time set by {@code ts VALUE})
   */
  public record Cursor(String file, long offset, long lastTs) {
    static final Cursor START = new Cursor(null, 0, 0);
  }

  /** How {@link #await} ended. */
  public enum Outcome {
    /** New lines were found and returned. */
    ARRIVED,
    /** The time given passed without any. */
    TIMED_OUT,
    /** The stop file exists. */
    STOPPED
  }

  /** What {@link #await} returns: how it ended and the lines shown, oldest first. */
  public record Result(Outcome outcome, List<String> lines) {}

  // ----------------------------------------------------------------------------- primitives

  /** The new lines since the cursor that {@code filter} shows; advances the cursor past all. */
  public List<String> take(Filter filter) throws IOException {
    Batch batch = readAfter(cursor());
    List<String> shown = shown(batch, filter);
    if (batch.advanced()) {
      saveCursor(batch.end());
    }
    return shown;
  }

  /**
   * Waits until new lines that {@code filter} shows arrive, the stop file appears, or {@code
   * timeout} passes; the cursor moves past everything read.
   */
  public Result await(Filter filter, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Cursor cursor = cursor();
    warmUp(cursor);
    while (true) {
      if (Files.exists(files.stopFile())) {
        return new Result(Outcome.STOPPED, List.of());
      }
      Batch batch = readAfter(cursor);
      if (batch.advanced()) {
        cursor = batch.end();
        saveCursor(cursor);
        List<String> shown = shown(batch, filter);
        if (!shown.isEmpty()) {
          return new Result(Outcome.ARRIVED, shown);
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return new Result(Outcome.TIMED_OUT, List.of());
      }
      Thread.sleep(Math.min(POLL_MS, Math.max(1, left / 1_000_000)));
    }
  }

  /**
   * The lines {@code filter} shows, without moving the cursor: those after the cursor, or with
   * {@code all} every retained line; at most the last {@code limit}.
   */
  public List<String> peek(Filter filter, boolean all, int limit) throws IOException {
    List<String> shown = shown(readAfter(all ? Cursor.START : cursor()), filter);
    return shown.size() <= limit ? shown : shown.subList(shown.size() - limit, shown.size());
  }

  /** The newest {@code ts} the cursor has seen. */
  public long lastTs() throws IOException {
    return cursor().lastTs();
  }

  /** Makes the next read take the retained lines with a {@code ts} greater than {@code ts}. */
  public void setLastTs(long ts) throws IOException {
    saveCursor(new Cursor(null, 0, ts));
  }

  /**
   * Runs, before waiting, the code a message's arrival runs (parsing a frame, rewriting the
   * cursor), so that the first use of those classes and string concatenations is not paid between
   * the arrival and the printed line.
   */
  private void warmUp(Cursor cursor) throws IOException {
    FrameFields.parse(
        "{\"type\":\"MSG\",\"ts\":1,\"from\":\"@a\",\"replay\":false,\"x\":{\"y\":[1]}}");
    saveCursor(cursor);
    ownId();
  }

  // ---------------------------------------------------------------------------------- cursor

  Cursor cursor() throws IOException {
    FrameFields node;
    try {
      node = FrameFields.parse(Files.readString(files.cursor(), StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      return Cursor.START;
    }
    if (node == null) {
      // Written atomically, so only a person can have broken it: start over.
      return Cursor.START;
    }
    return new Cursor(node.text("file"), node.number("offset", 0), node.number("last_ts", 0));
  }

  private void saveCursor(Cursor cursor) throws IOException {
    // The file key is "(dev=…,ino=…)" or a time: no character JSON would need to escape.
    String file = cursor.file() == null ? "null" : "\"" + cursor.file() + "\"";
    DaemonFiles.writeAtomically(
        files.cursor(),
        "{\"file\":"
            + file
            + ",\"offset\":"
            + cursor.offset()
            + ",\"last_ts\":"
            + cursor.lastTs()
            + "}\n");
  }

  // ------------------------------------------------------------------------------- reading

  /** The lines read after a cursor, with the ts of each, and the cursor after them. */
  private record Batch(
      List<String> lines, List<FrameFields> frames, Cursor end, boolean advanced) {}

  private record InboxFile(Path path, String key, long size) {}

  /** The inbox files that exist, oldest first. */
  private List<InboxFile> inboxFiles() throws IOException {
    List<InboxFile> found = new ArrayList<>();
    for (int n = Inbox.KEPT_FILES; n >= 0; n--) {
      Path path = n == 0 ? files.inbox() : files.rotatedInbox(n);
      try {
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
        Object key = attributes.fileKey();
        found.add(
            new InboxFile(
                path,
                key != null ? key.toString() : attributes.creationTime().toString(),
                attributes.size()));
      } catch (NoSuchFileException absent) {
        // Not rotated that far yet.
      }
    }
    return found;
  }

  private Batch readAfter(Cursor cursor) throws IOException {
    List<InboxFile> inbox = inboxFiles();
    int first = 0;
    long offset = 0;
    boolean byTime = cursor.file() == null;
    if (!byTime) {
      first = -1;
      for (int i = 0; i < inbox.size(); i++) {
        if (inbox.get(i).key().equals(cursor.file())) {
          first = i;
          offset = cursor.offset();
        }
      }
      if (first < 0) {
        // Rotated out of reach (or the inbox was removed): everything retained is new.
        first = 0;
        offset = 0;
      }
    }
    List<String> lines = new ArrayList<>();
    List<FrameFields> frames = new ArrayList<>();
    long lastTs = cursor.lastTs();
    String endFile = cursor.file();
    long endOffset = cursor.offset();
    for (int i = first; i < inbox.size(); i++) {
      InboxFile file = inbox.get(i);
      long from = i == first ? offset : 0;
      long[] end = {from};
      for (String line : wholeLinesFrom(file.path(), from, end)) {
        FrameFields frame = FrameFields.parse(line);
        long ts = frame == null ? 0 : frame.number("ts", 0);
        if (byTime && ts <= cursor.lastTs()) {
          continue;
        }
        lines.add(line);
        frames.add(frame);
        lastTs = Math.max(lastTs, ts);
      }
      if (i == inbox.size() - 1) {
        endFile = file.key();
        endOffset = end[0];
      }
    }
    boolean advanced =
        !java.util.Objects.equals(endFile, cursor.file())
            || endOffset != cursor.offset()
            || lastTs != cursor.lastTs();
    return new Batch(lines, frames, new Cursor(endFile, endOffset, lastTs), advanced);
  }

  /**
   * The whole lines of {@code path} from byte {@code from}; {@code end[0]} gets the offset after.
   */
  private static List<String> wholeLinesFrom(Path path, long from, long[] end) throws IOException {
    List<String> lines = new ArrayList<>();
    byte[] bytes;
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size <= from) {
        return lines;
      }
      ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(Integer.MAX_VALUE - 8, size - from));
      while (buffer.hasRemaining() && channel.read(buffer, from + buffer.position()) > 0) {
        // Read until the size seen above; what is appended meanwhile waits for the next read.
      }
      bytes = buffer.array();
    } catch (NoSuchFileException rotatedMeanwhile) {
      return lines;
    }
    int start = 0;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '\n') {
        String line = new String(bytes, start, i - start, StandardCharsets.UTF_8).strip();
        if (!line.isEmpty()) {
          lines.add(line);
        }
        start = i + 1;
      }
    }
    end[0] = from + start;
    return lines;
  }

  private List<String> shown(Batch batch, Filter filter) throws IOException {
    String me = filter.includeOwn() ? null : ownId();
    List<String> shown = new ArrayList<>();
    for (int i = 0; i < batch.lines().size(); i++) {
      FrameFields frame = batch.frames().get(i);
      if (frame == null) {
        continue;
      }
      if (!filter.allTypes() && !MESSAGE_TYPES.contains(frame.text("type"))) {
        continue;
      }
      if (!filter.includeReplay() && frame.flag("replay")) {
        continue;
      }
      String from = frame.text("from");
      if (!filter.allTypes() && SERVER.equals(from)) {
        // The welcome the server sends on every join: each reconnect would wake the agent.
        continue;
      }
      if (me != null && me.equals(from)) {
        continue;
      }
      shown.add(batch.lines().get(i));
    }
    return shown;
  }

  /** The daemon's agent id from {@code daemon.json}, or null before its first login. */
  private String ownId() throws IOException {
    try {
      FrameFields state =
          FrameFields.parse(Files.readString(files.state(), StandardCharsets.UTF_8));
      return state == null ? null : state.text("agent_id");
    } catch (NoSuchFileException e) {
      return null;
    }
  }
}
